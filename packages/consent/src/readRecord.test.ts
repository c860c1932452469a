import { anvilTest } from '@mhrchain/contracts/testing';
import { DecryptionError, type HeliaStorage } from '@mhrchain/core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { setUpWorld, startStore } from '../test/fixtures.js';
import { addRecord } from './addRecord.js';
import { InvalidConsentParametersError } from './errors.js';
import { grantAccess } from './grantAccess.js';
import { listRecords } from './listRecords.js';
import { readRecord } from './readRecord.js';
import type { Hex } from './scope.js';

let storage: { store: HeliaStorage; stop: () => Promise<void> };
beforeAll(async () => {
  storage = await startStore();
});
afterAll(async () => {
  await storage.stop();
});

const text = (s: string) => new TextEncoder().encode(s);

describe('readRecord', () => {
  anvilTest(
    'reads a record by id (current or named version) or by CID; no key, an unknown record or version is refused',
    async ({ anvil, mhrChain }) => {
      const { patient, doctorA, doctorB } = await setUpWorld(anvil, mhrChain, storage.store);
      const added = await addRecord(patient, {
        data: text('ecg of 3 May'),
        metadata: { mediaType: 'text/plain', title: 'ECG' },
        category: 1,
      });
      const first = await readRecord(patient, { patient: patient.address, recordId: added.recordId, version: 0 });
      expect(first.cid.equals(added.cid)).toBe(true);
      expect(first.data).toEqual(text('ecg of 3 May'));
      const now = (await anvil.provider.getBlock('latest'))!.timestamp;
      await grantAccess(patient, { doctor: doctorA.address, scope: { kind: 'all' }, expiresAt: now + 3600 });
      const [record] = await listRecords(patient);
      expect(record!.version).toBe(1); // the grant re-published it with the doctor's key

      const own = await readRecord(patient, { patient: patient.address, recordId: added.recordId });
      expect(own.data).toEqual(text('ecg of 3 May'));
      expect(own.metadata).toMatchObject({ mediaType: 'text/plain', title: 'ECG' });
      expect(own.cid.equals(record!.cid)).toBe(true);
      const named = await readRecord(patient, { patient: patient.address, recordId: added.recordId, version: 1 });
      expect(named.cid.equals(record!.cid)).toBe(true);
      const byCid = await readRecord(doctorA, { cid: record!.cid });
      expect(byCid.data).toEqual(own.data);
      // The record id is matched whatever its case.
      const upper = `0x${added.recordId.slice(2).toUpperCase()}` as Hex;
      expect((await readRecord(doctorA, { patient: patient.address, recordId: upper })).data).toEqual(own.data);

      // Doctor B holds no key; a version, or a record, the chain does not list is refused before any storage read.
      await expect(readRecord(doctorB, { cid: record!.cid })).rejects.toBeInstanceOf(DecryptionError);
      await expect(
        readRecord(patient, { patient: patient.address, recordId: added.recordId, version: 2 }),
      ).rejects.toBeInstanceOf(InvalidConsentParametersError);
      await expect(
        readRecord(patient, { patient: patient.address, recordId: `0x${'ab'.repeat(32)}` }),
      ).rejects.toBeInstanceOf(InvalidConsentParametersError);
      await expect(readRecord(patient, { patient: doctorB.address, recordId: added.recordId })).rejects.toBeInstanceOf(
        InvalidConsentParametersError,
      ); // another patient's records do not hold it
    },
  );
});
