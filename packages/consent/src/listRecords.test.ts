import { anvilTest } from '@mhrchain/contracts/testing';
import type { HeliaStorage } from '@mhrchain/core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { setUpWorld, startStore } from '../test/fixtures.js';
import { addRecord } from './addRecord.js';
import { eraseRecords } from './eraseRecords.js';
import { grantAccess } from './grantAccess.js';
import { listReadableRecords } from './listReadableRecords.js';
import { listRecords } from './listRecords.js';

let storage: { store: HeliaStorage; stop: () => Promise<void> };
beforeAll(async () => {
  storage = await startStore();
});
afterAll(async () => {
  await storage.stop();
});

const text = (value: string) => ({
  data: new TextEncoder().encode(value),
  metadata: { mediaType: 'text/plain' },
});

describe('listRecords', () => {
  anvilTest(
    "lists the patient's records with their current version, category and anchor times; erased ones on request",
    { timeout: 60_000 },
    async ({ anvil, mhrChain }) => {
      const { patient, doctorA } = await setUpWorld(anvil, mhrChain, storage.store);
      expect(await listRecords(patient)).toEqual([]);
      const ecg = await addRecord(patient, { ...text('ecg'), category: 1 });
      const lab = await addRecord(patient, { ...text('lab'), category: 2 });
      const note = await addRecord(patient, { ...text('note'), category: 2 });
      const now = (await anvil.provider.getBlock('latest'))!.timestamp;
      const grant = await grantAccess(patient, {
        doctor: doctorA.address,
        scope: { kind: 'category', category: 2 },
        expiresAt: now + 3600,
      });
      expect(grant.released).toHaveLength(2);

      const listed = await listRecords(patient);
      expect(listed.map((r) => [r.recordId, r.category, r.version, r.erased])).toEqual([
        [ecg.recordId, 1, 0, false],
        [lab.recordId, 2, 1, false],
        [note.recordId, 2, 1, false],
      ]);
      const [first, second] = listed;
      expect(first!.cid.equals(ecg.cid)).toBe(true);
      expect(first!.versions).toHaveLength(1);
      expect(first!.anchoredAt).toBe(ecg.blockTime);
      expect(first!.updatedAt).toBe(ecg.blockTime);
      const released = grant.released.find((v) => v.recordId === lab.recordId)!;
      expect(second!.cid.equals(released.cid)).toBe(true);
      expect(second!.versions.map(String)).toEqual([lab.cid, released.cid].map(String));
      expect(second!.anchoredAt).toBe(lab.blockTime);
      expect(second!.updatedAt).toBe(released.transaction.blockTime);
      expect(second!.erasedAt).toBeUndefined();
      // The same list for the doctor (anyone may read it from the chain), and the doctor's readable view agrees.
      expect(await listRecords(doctorA, { patient: patient.address })).toEqual(listed);
      const readable = await listReadableRecords(doctorA, { patient: patient.address });
      expect(readable.map((r) => [r.recordId, r.version, r.anchoredAt, r.updatedAt])).toEqual(
        listed.slice(1).map((r) => [r.recordId, r.version, r.anchoredAt, r.updatedAt]),
      );

      const erased = await eraseRecords(patient, { recordIds: [lab.recordId] });
      expect((await listRecords(patient)).map((r) => r.recordId)).toEqual([ecg.recordId, note.recordId]);
      const all = await listRecords(patient, { includeErased: true });
      expect(all.map((r) => [r.recordId, r.erased])).toEqual([
        [ecg.recordId, false],
        [lab.recordId, true],
        [note.recordId, false],
      ]);
      expect(all[1]!.erasedAt).toBe(erased.blockTime);
    },
  );
});
