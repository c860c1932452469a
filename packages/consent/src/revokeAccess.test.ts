import { anvilTest } from '@mhrchain/contracts/testing';
import { DecryptionError, generateIdentity, type HeliaStorage, readEnvelopeHeader } from '@mhrchain/core';
import type { CID } from 'multiformats/cid';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { setUpWorld, startStore } from '../test/fixtures.js';
import { addRecord } from './addRecord.js';
import { createConsentClient } from './client.js';
import { grantAccess } from './grantAccess.js';
import { listReadableRecords } from './listReadableRecords.js';
import { readRecord } from './readRecord.js';
import { registerPatient } from './registerPatient.js';
import { revokeAccess } from './revokeAccess.js';

let storage: { store: HeliaStorage; stop: () => Promise<void> };
beforeAll(async () => {
  storage = await startStore();
});
afterAll(async () => {
  await storage.stop();
});

describe('revokeAccess by a patient paying its own gas', () => {
  anvilTest(
    'grants and revokes with eager rotation from its own wallet',
    { timeout: 60_000 },
    async ({ anvil, mhrChain }) => {
      const { doctorA } = await setUpWorld(anvil, mhrChain, storage.store);
      const patient = await createConsentClient({
        signer: anvil.signers[5]!,
        addresses: mhrChain.addresses,
        store: storage.store,
        identity: generateIdentity(),
      });
      await registerPatient(patient);
      const texts = ['first', 'second', 'third', 'fourth', 'fifth'];
      const records = [];
      for (const [i, text] of texts.entries())
        records.push(
          await addRecord(patient, {
            data: new TextEncoder().encode(text),
            metadata: { mediaType: 'text/plain' },
            category: i % 2,
          }),
        );
      const expiresAt = (await anvil.provider.getBlock('latest'))!.timestamp + 3600;
      const grant = await grantAccess(patient, {
        doctor: doctorA.address,
        scope: { kind: 'category', category: 0 },
        expiresAt,
      });
      expect(grant.released.map((r) => r.recordId).sort()).toEqual(
        [records[0]!, records[2]!, records[4]!].map((r) => r.recordId).sort(),
      );
      expect(new Set(grant.released.map((r) => r.transaction.transactionHash)).size).toBe(1); // one batch
      const readable = await listReadableRecords(doctorA);
      expect(readable).toHaveLength(3);
      for (const record of readable) expect(record.version).toBe(1);
      const texts0 = await Promise.all(
        readable.map(async (r) => new TextDecoder().decode((await readRecord(doctorA, { cid: r.cid })).data)),
      );
      expect(texts0.sort()).toEqual(['fifth', 'first', 'third']);

      const payloadsBefore = new Map<string, CID>();
      for (const r of readable)
        payloadsBefore.set(r.recordId, readEnvelopeHeader(await storage.store.get(r.cid)).payload);
      const revoked = await revokeAccess(patient, { doctor: doctorA.address, rotation: 'eager' });
      expect(revoked.rotated).toHaveLength(3);
      for (const version of revoked.rotated) {
        await expect(readRecord(doctorA, { cid: version.cid })).rejects.toBeInstanceOf(DecryptionError);
        const before = readable.find((r) => r.recordId === version.recordId)!;
        const oldPayload = payloadsBefore.get(version.recordId)!;
        expect(readEnvelopeHeader(await storage.store.get(version.cid)).payload.equals(oldPayload)).toBe(false);
        // eager rotation: the version the doctor was given left the store whole, payload included
        expect(await storage.store.has(before.cid)).toBe(false);
        expect(await storage.store.has(oldPayload)).toBe(false);
        expect(version.version).toBe(2);
      }
      expect(await listReadableRecords(doctorA)).toEqual([]);
      const own = await readRecord(patient, { cid: revoked.rotated[0]!.cid });
      expect(texts).toContain(new TextDecoder().decode(own.data));
    },
  );
});
