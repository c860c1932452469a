import { anvilTest } from '@mhrchain/contracts/testing';
import type { HeliaStorage } from '@mhrchain/core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { setUpWorld, startStore } from '../test/fixtures.js';
import { getPendingRequest } from './getPendingRequest.js';
import { rejectRequest } from './rejectRequest.js';
import { requestAccess } from './requestAccess.js';

let storage: { store: HeliaStorage; stop: () => Promise<void> };
beforeAll(async () => {
  storage = await startStore();
});
afterAll(async () => {
  await storage.stop();
});

describe('getPendingRequest', () => {
  anvilTest(
    'reads the pending request of one doctor, for the patient or anyone naming the patient; none once answered',
    async ({ anvil, mhrChain }) => {
      const { patient, doctorA, doctorB } = await setUpWorld(anvil, mhrChain, storage.store);
      expect(await getPendingRequest(patient, { doctor: doctorA.address })).toBeUndefined();
      const requested = await requestAccess(doctorA, {
        patient: patient.address,
        scope: { kind: 'category', category: 7 },
        purpose: 'ETREAT',
        duration: 900,
      });

      const pending = await getPendingRequest(patient, { doctor: doctorA.address.toLowerCase() });
      expect(pending).toEqual({
        requestId: requested.requestId,
        serial: 1,
        patient: patient.address,
        doctor: doctorA.address,
        scope: { kind: 'category', category: 7 },
        purpose: 'ETREAT',
        duration: 900,
        blockNumber: requested.blockNumber,
      });
      expect(await getPendingRequest(doctorA, { doctor: doctorA.address, patient: patient.address })).toEqual(pending);
      // Another doctor has asked nothing; the doctor's own account, read as a patient, has no request either.
      expect(await getPendingRequest(patient, { doctor: doctorB.address })).toBeUndefined();
      expect(await getPendingRequest(doctorA, { doctor: doctorA.address })).toBeUndefined();

      await rejectRequest(patient, { doctor: doctorA.address });
      expect(await getPendingRequest(patient, { doctor: doctorA.address })).toBeUndefined();
    },
  );
});
