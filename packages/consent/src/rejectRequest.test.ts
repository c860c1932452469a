import { ContractRevertError, RequestStatus } from '@mhrchain/contracts';
import { anvilTest } from '@mhrchain/contracts/testing';
import type { HeliaStorage } from '@mhrchain/core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { setUpWorld, startStore } from '../test/fixtures.js';
import { InvalidConsentParametersError } from './errors.js';
import { getPendingRequest } from './getPendingRequest.js';
import { listActiveGrants } from './listActiveGrants.js';
import { rejectRequest } from './rejectRequest.js';
import { requestAccess } from './requestAccess.js';

let storage: { store: HeliaStorage; stop: () => Promise<void> };
beforeAll(async () => {
  storage = await startStore();
});
afterAll(async () => {
  await storage.stop();
});

describe('rejectRequest', () => {
  anvilTest(
    'a stale serial is refused and the request stays pending; the named one is rejected, grants nothing, and cannot be rejected twice',
    async ({ anvil, mhrChain }) => {
      const { patient, doctorA } = await setUpWorld(anvil, mhrChain, storage.store);
      const ask = () =>
        requestAccess(doctorA, {
          patient: patient.address,
          scope: { kind: 'all' },
          purpose: 'TREAT',
          duration: 3600,
        });
      await ask();
      const status = async () =>
        Number((await mhrChain.chain.consentManager.read.requestOf(patient.address, doctorA.address)).status);

      // The patient reviewed request 1; the doctor's pending one is 1, so serial 2 names nothing.
      await expect(rejectRequest(patient, { doctor: doctorA.address, serial: 2 })).rejects.toBeInstanceOf(
        InvalidConsentParametersError,
      );
      expect(await status()).toBe(RequestStatus.Pending);

      const rejected = await rejectRequest(patient, { doctor: doctorA.address, serial: 1 });
      expect(rejected.transactionHash).toMatch(/^0x[0-9a-f]{64}$/);
      expect(await status()).toBe(RequestStatus.Rejected);
      expect(await getPendingRequest(patient, { doctor: doctorA.address })).toBeUndefined();
      expect(await listActiveGrants(patient)).toEqual([]);

      // Nothing is pending now: by serial the SDK refuses, without one the contract reverts.
      await expect(rejectRequest(patient, { doctor: doctorA.address, serial: 1 })).rejects.toBeInstanceOf(
        InvalidConsentParametersError,
      );
      const error = await rejectRequest(patient, { doctor: doctorA.address }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ContractRevertError);
      expect((error as ContractRevertError).errorName).toBe('NoPendingRequest');
      expect(await status()).toBe(RequestStatus.Rejected);

      // The doctor may ask again; the new request is serial 2.
      await ask();
      expect((await getPendingRequest(patient, { doctor: doctorA.address }))?.serial).toBe(2);
    },
  );
});
