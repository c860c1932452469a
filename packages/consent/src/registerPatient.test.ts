import { ContractRevertError } from '@mhrchain/contracts';
import { anvilTest } from '@mhrchain/contracts/testing';
import { generateIdentity, type HeliaStorage } from '@mhrchain/core';
import { hexlify, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { startStore } from '../test/fixtures.js';
import { createConsentClient } from './client.js';
import { registerPatient } from './registerPatient.js';

let storage: { store: HeliaStorage; stop: () => Promise<void> };
beforeAll(async () => {
  storage = await startStore();
});
afterAll(async () => {
  await storage.stop();
});

describe('registerPatient', () => {
  anvilTest(
    'publishes the X25519 key of a patient without ETH through its relayer; a second registration reverts and changes nothing',
    async ({ anvil, mhrChain }) => {
      const identity = generateIdentity();
      const wallet = Wallet.createRandom(anvil.provider);
      const patient = await createConsentClient({
        signer: wallet,
        addresses: mhrChain.addresses,
        store: storage.store,
        identity,
        relayer: anvil.signers[4]!,
      });
      const registry = mhrChain.chain.identityRegistry.read;
      expect(await registry.isRegistered(wallet.address)).toBe(false);

      const registered = await registerPatient(patient);
      const onChain = await registry.identityOf(wallet.address);
      expect(onChain.encryptionKey).toBe(hexlify(identity.publicKey));
      expect(Number(onChain.registeredAt)).toBe(registered.blockTime);
      expect(Number(onChain.doctorUntil)).toBe(0); // a patient, not a doctor
      expect(await registry.isDoctor(wallet.address)).toBe(false);
      expect(await anvil.provider.getBalance(wallet.address)).toBe(0n); // the relayer paid

      // The same account again, even with another key: the first key stays.
      const again = await createConsentClient({
        signer: wallet,
        addresses: mhrChain.addresses,
        store: storage.store,
        identity: generateIdentity(),
        relayer: anvil.signers[4]!,
      });
      const error = await registerPatient(again).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ContractRevertError);
      expect((error as ContractRevertError).errorName).toBe('AlreadyRegistered');
      expect((await registry.identityOf(wallet.address)).encryptionKey).toBe(hexlify(identity.publicKey));
    },
  );
});
