import { anvilTest } from '@mhrchain/contracts/testing';
import type { HeliaStorage } from '@mhrchain/core';
import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { setUpWorld, startStore } from '../test/fixtures.js';
import { answerAccessOtp } from './answerAccessOtp.js';
import { InvalidConsentParametersError, InvalidOtpResponseError } from './errors.js';
import { openOtpResponse } from './otpResponse.js';
import { requestAccess } from './requestAccess.js';
import type { Hex } from './scope.js';

let storage: { store: HeliaStorage; stop: () => Promise<void> };
beforeAll(async () => {
  storage = await startStore();
});
afterAll(async () => {
  await storage.stop();
});

describe('answerAccessOtp', () => {
  anvilTest(
    'seals the code to the patient for the doctor’s pending request; only the patient opens it; no request, a malformed id or an unregistered patient is refused',
    async ({ anvil, mhrChain }) => {
      const { patient, doctorA, doctorB } = await setUpWorld(anvil, mhrChain, storage.store);
      await expect(answerAccessOtp(doctorA, { patient: patient.address, code: '123456' })).rejects.toBeInstanceOf(
        InvalidConsentParametersError,
      );
      const { requestId } = await requestAccess(doctorA, {
        patient: patient.address,
        scope: { kind: 'all' },
        purpose: 'TREAT',
        duration: 600,
      });

      const sealed = await answerAccessOtp(doctorA, { patient: patient.address.toLowerCase(), code: '123456' });
      expect(openOtpResponse({ identity: patient.identity, sealed })).toEqual({
        chainId: patient.chainId,
        consent: mhrChain.addresses.consentManager,
        requestId,
        patient: patient.address,
        doctor: doctorA.address,
        code: '123456',
      });
      // Another party's key does not open it, and the code is not in the clear.
      expect(() => openOtpResponse({ identity: doctorB.identity, sealed })).toThrow(InvalidOtpResponseError);
      expect(new TextDecoder('latin1').decode(sealed)).not.toContain('123456');

      // Doctor B has no pending request; a requestId that is not 32 bytes is refused before anything is sealed.
      await expect(answerAccessOtp(doctorB, { patient: patient.address, code: '123456' })).rejects.toBeInstanceOf(
        InvalidConsentParametersError,
      );
      await expect(
        answerAccessOtp(doctorA, { patient: patient.address, code: '123456', requestId: '0x1234' as Hex }),
      ).rejects.toBeInstanceOf(InvalidConsentParametersError);
      // An account that never registered has no key to seal to: refused before anything is sealed, saying so.
      const stranger = Wallet.createRandom().address;
      const refused = answerAccessOtp(doctorA, { patient: stranger, code: '123456', requestId });
      await expect(refused).rejects.toBeInstanceOf(InvalidConsentParametersError);
      await expect(refused).rejects.toThrow(/never registered/);
    },
  );
});
