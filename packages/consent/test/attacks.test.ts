import { ContractRevertError, deployMhrChain, signRelayedAction, submitRelayedAction } from '@mhrchain/contracts';
import { anvilTest, startAnvil } from '@mhrchain/contracts/testing';
import { generateIdentity, type HeliaStorage } from '@mhrchain/core';
import { getCreateAddress, toQuantity, type Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import {
  answerAccessOtp,
  approveWithOtp,
  InvalidOtpResponseError,
  issueAccessOtp,
  listReadableRecords,
  OtpRejectedError,
  requestAccess,
  sealOtpResponse,
  toScopeTuple,
} from '../src/index.js';
import { setUpWorld, startStore } from './fixtures.js';

let storage: { store: HeliaStorage; stop: () => Promise<void> };
beforeAll(async () => {
  storage = await startStore();
});
afterAll(async () => {
  await storage.stop();
});

const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('one-time code attacks', () => {
  anvilTest(
    'wrong codes lock, codes expire, replay and cross-request use fail',
    { timeout: 60_000 },
    async ({ anvil, mhrChain }) => {
      let clock = Date.now();
      const world = await setUpWorld(anvil, mhrChain, storage.store, { patient: { otp: { now: () => clock } } });
      const { patient, doctorA, doctorB, colleague } = world;
      const ask = (doctor: typeof doctorA, category: number) =>
        requestAccess(doctor, {
          patient: patient.address,
          scope: { kind: 'category', category },
          purpose: 'care',
          duration: 3600,
        });
      await ask(doctorA, 1);
      await ask(doctorB, 2);

      // wrong code 6 times: 4 mismatches, the 5th locks, the 6th finds it locked — and then even the right code fails
      const { code } = await issueAccessOtp(patient, { doctor: doctorA.address });
      const reasons: string[] = [];
      for (let i = 0; i < 6; i++) {
        const response = await answerAccessOtp(doctorA, { patient: patient.address, code: wrong(code) });
        const error = await approveWithOtp(patient, { response }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(OtpRejectedError);
        reasons.push((error as OtpRejectedError).reason);
      }
      expect(reasons).toEqual(['mismatch', 'mismatch', 'mismatch', 'mismatch', 'locked', 'locked']);
      const right = await answerAccessOtp(doctorA, { patient: patient.address, code });
      await expect(approveWithOtp(patient, { response: right })).rejects.toMatchObject({ reason: 'locked' });
      expect(await listReadableRecords(doctorA)).toEqual([]);

      // an expired code
      const second = await issueAccessOtp(patient, { doctor: doctorA.address });
      clock += 5 * 60_000 + 1;
      const late = await answerAccessOtp(doctorA, { patient: patient.address, code: second.code });
      await expect(approveWithOtp(patient, { response: late })).rejects.toMatchObject({ reason: 'expired' });

      // a code for another request: B's code entered by A, and A's response re-targeted at B's request
      const codeA = await issueAccessOtp(patient, { doctor: doctorA.address });
      const codeB = await issueAccessOtp(patient, { doctor: doctorB.address });
      const crossed = await answerAccessOtp(doctorA, { patient: patient.address, code: codeB.code });
      await expect(approveWithOtp(patient, { response: crossed })).rejects.toMatchObject({ reason: 'mismatch' });
      const retargeted = await answerAccessOtp(doctorA, {
        patient: patient.address,
        code: codeA.code,
        requestId: codeB.requestId,
      });
      await expect(approveWithOtp(patient, { response: retargeted })).rejects.toMatchObject({
        reason: 'wrong-request',
      });
      // an eavesdropper (another doctor) who heard B's code cannot answer in B's place
      const eavesdropped = await answerAccessOtp(colleague, {
        patient: patient.address,
        code: codeB.code,
        requestId: codeB.requestId,
      });
      await expect(approveWithOtp(patient, { response: eavesdropped })).rejects.toMatchObject({
        reason: 'wrong-request',
      });
      // a response for another chain or contract
      const otherChain = await sealOtpResponse({
        patientPublicKey: patient.identity.publicKey,
        chainId: 1n,
        consent: mhrChain.addresses.consentManager,
        requestId: codeA.requestId,
        patient: patient.address,
        code: codeA.code,
        signer: doctorA.signer,
      });
      await expect(approveWithOtp(patient, { response: otherChain })).rejects.toMatchObject({
        reason: 'wrong-request',
      });
      // a response sealed to someone else's key
      const misdirected = await sealOtpResponse({
        patientPublicKey: generateIdentity().publicKey,
        chainId: patient.chainId,
        consent: mhrChain.addresses.consentManager,
        requestId: codeA.requestId,
        patient: patient.address,
        code: codeA.code,
        signer: doctorA.signer,
      });
      await expect(approveWithOtp(patient, { response: misdirected })).rejects.toBeInstanceOf(InvalidOtpResponseError);

      // the genuine answers still work, once
      const okA = await answerAccessOtp(doctorA, { patient: patient.address, code: codeA.code });
      const grant = await approveWithOtp(patient, { response: okA });
      expect(grant.serial).toBe(1);
      await expect(approveWithOtp(patient, { response: okA })).rejects.toMatchObject({ reason: 'used' });
      const okB = await answerAccessOtp(doctorB, { patient: patient.address, code: codeB.code });
      await approveWithOtp(patient, { response: okB });
      expect(await mhrChain.chain.consentManager.read.isGrantActive(patient.address, doctorB.address)).toBe(true);
    },
  );
});

describe('relayed signatures', () => {
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
          scope: toScopeTuple({ kind: 'all' }) as never,
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
