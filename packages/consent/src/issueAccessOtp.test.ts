import { anvilTest } from '@mhrchain/contracts/testing';
import type { HeliaStorage } from '@mhrchain/core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { setUpWorld, startStore } from '../test/fixtures.js';
import type { PendingOtpRequest } from './client.js';
import { InvalidConsentParametersError } from './errors.js';
import { issueAccessOtp } from './issueAccessOtp.js';
import { requestAccess } from './requestAccess.js';

let storage: { store: HeliaStorage; stop: () => Promise<void> };
beforeAll(async () => {
  storage = await startStore();
});
afterAll(async () => {
  await storage.stop();
});

describe('issueAccessOtp', () => {
  anvilTest(
    'shows a 6-digit code for the pending request and its terms, keeping the nonce back; no request, no code',
    async ({ anvil, mhrChain }) => {
      let clock = 1_900_000_000_000;
      const kept = new Map<string, PendingOtpRequest>();
      const { patient, doctorA, doctorB } = await setUpWorld(anvil, mhrChain, storage.store, {
        patient: { otp: { now: () => clock }, pendingOtp: kept },
      });
      await expect(issueAccessOtp(patient, { doctor: doctorA.address })).rejects.toBeInstanceOf(
        InvalidConsentParametersError,
      );
      expect(kept.size).toBe(0);

      const { requestId } = await requestAccess(doctorA, {
        patient: patient.address,
        scope: { kind: 'category', category: 2 },
        purpose: 'PATRQT',
        duration: 600,
      });
      // Doctor B asked nothing: no code for it, nothing kept.
      await expect(issueAccessOtp(patient, { doctor: doctorB.address })).rejects.toBeInstanceOf(
        InvalidConsentParametersError,
      );
      expect(kept.size).toBe(0);

      const issued = await issueAccessOtp(patient, { doctor: doctorA.address });
      expect(issued.code).toMatch(/^\d{6}$/);
      expect(issued).toEqual({
        code: issued.code,
        expiresAt: clock + 5 * 60_000,
        requestId,
        doctor: doctorA.address,
        scope: { kind: 'category', category: 2 },
        purpose: 'PATRQT',
        duration: 600,
      });
      expect([...kept.keys()]).toEqual([requestId]);
      const first = kept.get(requestId)!;
      expect(first.nonce).toHaveLength(32);
      expect(JSON.stringify(first)).not.toContain(issued.code); // the code is shown, not stored

      // Issuing again replaces the nonce the approval will bind to.
      clock += 1000;
      const again = await issueAccessOtp(patient, { doctor: doctorA.address });
      expect(again.expiresAt).toBe(clock + 5 * 60_000);
      expect(kept.get(requestId)!.nonce).not.toEqual(first.nonce);
    },
  );
});
