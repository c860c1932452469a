import { ContractRevertError, deployMhrChain, signRelayedAction, submitRelayedAction } from '@mhrchain/contracts';
import { anvilTest, startAnvil } from '@mhrchain/contracts/testing';
import type { HeliaStorage } from '@mhrchain/core';
import { getCreateAddress, toQuantity, type Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { setUpWorld, startStore } from '../test/fixtures.js';
import { toScopeTuple } from './scope.js';

let storage: { store: HeliaStorage; stop: () => Promise<void> };
beforeAll(async () => {
  storage = await startStore();
});
afterAll(async () => {
  await storage.stop();
});

describe('grantAccess through a relayer', () => {
  anvilTest(
    'a patient signature cannot be replayed or used on another chain',
    { timeout: 60_000 },
    async ({ anvil, mhrChain }) => {
      const { patient, doctorA } = await setUpWorld(anvil, mhrChain, storage.store);
      const expiresAt = (await anvil.provider.getBlock('latest'))!.timestamp + 3600;
      const signed = await signRelayedAction({
        chain: patient.chain,
        signer: patient.signer as Wallet,
        action: 'GrantAccess',
        message: {
          patient: patient.address,
          doctor: doctorA.address,
          scope: toScopeTuple({ kind: 'all' }),
          expiresAt,
        },
      });
      await submitRelayedAction(patient.relayerChain!, signed);
      expect(await mhrChain.chain.consentManager.read.isGrantActive(patient.address, doctorA.address)).toBe(true);

      // replay on the same chain
      const replay = await submitRelayedAction(patient.relayerChain!, signed).catch((e: unknown) => e);
      expect(replay).toBeInstanceOf(ContractRevertError);
      expect((replay as ContractRevertError).errorName).toBe('InvalidSignature');

      // the same signature on another chain: same contract addresses, same accounts, fresh nonces
      const other = await startAnvil({ chainId: 31_338 });
      try {
        const deployer = other.signers[0]!;
        let nonce = 0;
        while (getCreateAddress({ from: deployer.address, nonce }) !== mhrChain.addresses.identityRegistry) nonce++;
        await other.provider.send('anvil_setNonce', [deployer.address, toQuantity(nonce)]);
        const deployed = await deployMhrChain({ deployer });
        expect(deployed.addresses).toEqual(mhrChain.addresses);
        expect(await deployed.chain.consentManager.read.nonces(patient.address)).toBe(signed.nonce);
        const error = await deployed.chain.consentManager
          .connect(other.signers[4]!)
          .write.grantAccessBySig(
            signed.message.patient,
            signed.message.doctor,
            signed.message.scope,
            signed.message.expiresAt,
            signed.deadline,
            signed.signature,
          )
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ContractRevertError);
        expect((error as ContractRevertError).errorName).toBe('InvalidSignature');
      } finally {
        await other.stop();
      }
    },
  );
});
