import { anvilTest } from '@mhrchain/contracts/testing';
import type { HeliaStorage } from '@mhrchain/core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { setUpWorld, startStore } from '../test/fixtures.js';
import { approveRequest } from './approveRequest.js';
import type { ConsentClient } from './client.js';
import { listPendingRequests } from './listPendingRequests.js';
import { rejectRequest } from './rejectRequest.js';
import { requestAccess } from './requestAccess.js';

let storage: { store: HeliaStorage; stop: () => Promise<void> };
beforeAll(async () => {
  storage = await startStore();
});
afterAll(async () => {
  await storage.stop();
});

describe('listPendingRequests', () => {
  anvilTest(
    "the patient's inbox: the pending request of every doctor, without the answered ones; a new request shows again",
    { timeout: 60_000 },
    async ({ anvil, mhrChain }) => {
      const { patient, doctorA, doctorB, colleague } = await setUpWorld(anvil, mhrChain, storage.store);
      expect(await listPendingRequests(patient)).toEqual([]);
      const ask = (doctor: ConsentClient, category: number) =>
        requestAccess(doctor, {
          patient: patient.address,
          scope: { kind: 'category', category },
          purpose: 'TREAT',
          duration: 3600 * (category + 1),
        });
      const fromA = await ask(doctorA, 1);
      const fromB = await ask(doctorB, 2);
      const fromColleague = await ask(colleague, 3);

      const inbox = await listPendingRequests(patient);
      expect(inbox.map((r) => [r.doctor, r.requestId])).toEqual([
        [doctorA.address, fromA.requestId],
        [doctorB.address, fromB.requestId],
        [colleague.address, fromColleague.requestId],
      ]);
      expect(inbox[1]).toMatchObject({
        patient: patient.address,
        scope: { kind: 'category', category: 2 },
        purpose: 'TREAT', // the code name, read back from the number on chain
        duration: 3 * 3600,
      });
      // anyone may read a patient's inbox from the chain
      expect(await listPendingRequests(doctorA, { patient: patient.address })).toEqual(inbox);

      await approveRequest(patient, { doctor: doctorA.address });
      await rejectRequest(patient, { doctor: colleague.address });
      expect((await listPendingRequests(patient)).map((r) => r.doctor)).toEqual([doctorB.address]);

      // a new request after a rejection shows up again, under its new id
      const again = await ask(colleague, 4);
      expect((await listPendingRequests(patient)).map((r) => [r.doctor, r.requestId])).toEqual([
        [doctorB.address, fromB.requestId],
        [colleague.address, again.requestId],
      ]);
    },
  );
});
