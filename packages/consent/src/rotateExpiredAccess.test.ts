import { anvilTest } from '@mhrchain/contracts/testing';
import { DecryptionError, type HeliaStorage, readEnvelopeHeader } from '@mhrchain/core';
import type { CID } from 'multiformats/cid';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { setUpWorld, startStore } from '../test/fixtures.js';
import { addRecord } from './addRecord.js';
import type { ConsentClient } from './client.js';
import { grantAccess } from './grantAccess.js';
import { listReadableRecords } from './listReadableRecords.js';
import { readRecord } from './readRecord.js';
import { rotateExpiredAccess } from './rotateExpiredAccess.js';

let storage: { store: HeliaStorage; stop: () => Promise<void> };
beforeAll(async () => {
  storage = await startStore();
});
afterAll(async () => {
  await storage.stop();
});

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const conditionResource = encode({ resourceType: 'Condition', code: { text: 'Atrial fibrillation' } });
const ids = (records: { recordId: string }[]) => records.map((r) => r.recordId).sort();

async function cannotOpen(client: ConsentClient, cid: Parameters<typeof readRecord>[1]) {
  await expect(readRecord(client, cid)).rejects.toBeInstanceOf(DecryptionError);
}

describe('rotateExpiredAccess', () => {
  anvilTest(
    'publishes the records an expired grant covered without its doctor (eager: fresh payloads), once',
    { timeout: 60_000 },
    async ({ anvil, mhrChain }) => {
      const { patient, doctorB } = await setUpWorld(anvil, mhrChain, storage.store);
      const fhir = { mediaType: 'application/fhir+json' };
      await addRecord(patient, { data: encode({ resourceType: 'Patient' }), metadata: fhir, category: 1 });
      const condition = await addRecord(patient, { data: conditionResource, metadata: fhir, category: 2 });
      const now = (await anvil.provider.getBlock('latest'))!.timestamp;
      const grantB = await grantAccess(patient, {
        doctor: doctorB.address,
        scope: { kind: 'category', category: 2 },
        expiresAt: now + 3600,
      });
      // a record added while the grant is live is readable by B from the start
      const followUp = await addRecord(patient, {
        data: encode({ resourceType: 'Observation', valueQuantity: { value: 142 } }),
        metadata: fhir,
        category: 2,
      });
      expect(followUp.readers).toEqual([doctorB.address]);

      // B's grant expires by itself: nothing to read, but the envelopes still name B
      await anvil.increaseTime(3601);
      expect(await listReadableRecords(doctorB)).toEqual([]);
      const published = new Map<string, CID>([
        ...grantB.released.map((v) => [v.recordId, v.cid] as const),
        [followUp.recordId, followUp.cid] as const,
      ]);
      const payloadBefore = async (recordId: string) =>
        readEnvelopeHeader(await storage.store.get(published.get(recordId)!)).payload;
      const before = new Map([
        [condition.recordId, await payloadBefore(condition.recordId)],
        [followUp.recordId, await payloadBefore(followUp.recordId)],
      ]);
      const expiredRotation = await rotateExpiredAccess(patient, { rotation: 'eager' });
      expect(ids(expiredRotation)).toEqual(ids([condition, followUp]));
      for (const version of expiredRotation) {
        await cannotOpen(doctorB, { cid: version.cid });
        // eager rotation: a fresh payload under a fresh data key, and the old one left the store
        const old = before.get(version.recordId)!;
        expect(readEnvelopeHeader(await storage.store.get(version.cid)).payload.equals(old)).toBe(false);
        expect(await storage.store.has(old)).toBe(false);
      }
      expect(await rotateExpiredAccess(patient)).toEqual([]); // nothing left to rotate
      expect((await readRecord(patient, { patient: patient.address, recordId: condition.recordId })).data).toEqual(
        conditionResource,
      );
    },
  );
});
