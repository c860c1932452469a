import { anvilTest } from '@mhrchain/contracts/testing';
import type { HeliaStorage } from '@mhrchain/core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { setUpWorld, startStore } from '../test/fixtures.js';
import { addRecord } from './addRecord.js';
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

describe('listReadableRecords', () => {
  anvilTest(
    'lists what a grant covers now, with its current version; nothing without a grant or once it has expired',
    async ({ anvil, mhrChain }) => {
      const { patient, doctorA, doctorB } = await setUpWorld(anvil, mhrChain, storage.store);
      const ecg = await addRecord(patient, {
        data: new Uint8Array([1]),
        metadata: { mediaType: 'text/plain' },
        category: 1,
      });
      await addRecord(patient, { data: new Uint8Array([2]), metadata: { mediaType: 'text/plain' }, category: 2 });
      const now = (await anvil.provider.getBlock('latest'))!.timestamp;
      await grantAccess(patient, {
        doctor: doctorA.address,
        scope: { kind: 'category', category: 1 },
        expiresAt: now + 3600,
      });

      const readable = await listReadableRecords(doctorA);
      const [own] = (await listRecords(patient)).filter((r) => r.recordId === ecg.recordId);
      expect(readable).toHaveLength(1);
      expect(readable[0]).toEqual({
        patient: patient.address,
        recordId: ecg.recordId,
        category: 1,
        version: own!.version,
        cid: own!.cid,
        versions: own!.versions,
        anchoredAt: own!.anchoredAt,
        updatedAt: own!.updatedAt,
      });
      expect(readable[0]!.versions.at(0)!.equals(ecg.cid)).toBe(true);
      expect(await listReadableRecords(doctorA, { patient: patient.address.toLowerCase() })).toEqual(readable);

      // A doctor without a grant finds nothing, even naming the patient.
      expect(await listReadableRecords(doctorB)).toEqual([]);
      expect(await listReadableRecords(doctorB, { patient: patient.address })).toEqual([]);

      // Once the grant has expired, the same doctor lists nothing.
      await anvil.provider.send('evm_increaseTime', [3601]);
      await anvil.provider.send('evm_mine', []);
      expect(await listReadableRecords(doctorA)).toEqual([]);
    },
  );
});
