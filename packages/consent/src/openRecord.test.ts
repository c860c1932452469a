import { anvilTest } from '@mhrchain/contracts/testing';
import { DecryptionError, type HeliaStorage } from '@mhrchain/core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { setUpWorld, startStore } from '../test/fixtures.js';
import { addRecord } from './addRecord.js';
import { InvalidConsentParametersError } from './errors.js';
import { grantAccess } from './grantAccess.js';
import { openRecord } from './openRecord.js';

let storage: { store: HeliaStorage; stop: () => Promise<void> };
beforeAll(async () => {
  storage = await startStore();
});
afterAll(async () => {
  await storage.stop();
});

describe('openRecord', () => {
  anvilTest(
    'streams the plaintext of a large record a reader holds the key to; no key or an unknown record is refused',
    async ({ anvil, mhrChain }) => {
      const { patient, doctorA, doctorB } = await setUpWorld(anvil, mhrChain, storage.store);
      const data = new Uint8Array(3 * 1024 * 1024 + 17).map((_, i) => (i * 31) & 0xff); // several chunks and blocks
      const added = await addRecord(patient, {
        data,
        metadata: { mediaType: 'application/octet-stream' },
        category: 4,
      });
      const now = (await anvil.provider.getBlock('latest'))!.timestamp;
      await grantAccess(patient, { doctor: doctorA.address, scope: { kind: 'all' }, expiresAt: now + 3600 });

      const opened = await openRecord(doctorA, { patient: patient.address, recordId: added.recordId });
      expect(opened.metadata).toMatchObject({ mediaType: 'application/octet-stream' });
      expect(opened.cid.equals(added.cid)).toBe(false); // the current version, re-published by the grant
      const read = new Uint8Array(await new Response(opened.stream).arrayBuffer());
      expect(read.length).toBe(data.length);
      expect(read).toEqual(data);

      await expect(openRecord(doctorB, { patient: patient.address, recordId: added.recordId })).rejects.toBeInstanceOf(
        DecryptionError,
      );
      await expect(
        openRecord(doctorA, { patient: patient.address, recordId: added.recordId, version: 9 }),
      ).rejects.toBeInstanceOf(InvalidConsentParametersError);
    },
  );
});
