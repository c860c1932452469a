import { anvilTest } from '@mhrchain/contracts/testing';
import { generateIdentity, type HeliaStorage } from '@mhrchain/core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { setUpWorld, startStore } from '../test/fixtures.js';
import { answerAccessOtp } from './answerAccessOtp.js';
import { approveWithOtp } from './approveWithOtp.js';
import { InvalidOtpResponseError, OtpRejectedError } from './errors.js';
import { issueAccessOtp } from './issueAccessOtp.js';
import { listReadableRecords } from './listReadableRecords.js';
import { sealOtpResponse } from './otpResponse.js';
import { requestAccess } from './requestAccess.js';

let storage: { store: HeliaStorage; stop: () => Promise<void> };
beforeAll(async () => {
  storage = await startStore();
});
afterAll(async () => {
  await storage.stop();
});

const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('approveWithOtp against one-time code attacks', () => {
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
          purpose: 'CAREMGT',
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
