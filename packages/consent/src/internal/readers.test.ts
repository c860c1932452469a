import { anvilTest } from '@mhrchain/contracts/testing';
import type { HeliaStorage } from '@mhrchain/core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { setUpWorld, startStore } from '../../test/fixtures.js';
import { addRecord } from '../addRecord.js';
import { grantAccess } from '../grantAccess.js';

let storage: { store: HeliaStorage; stop: () => Promise<void> };
beforeAll(async () => {
  storage = await startStore();
});
afterAll(async () => {
  await storage.stop();
});

describe('readers of a new record', () => {
  anvilTest(
    'a doctor whose attestation was withdrawn is not encrypted to, and is again once re-attested',
    { timeout: 120_000 },
    async ({ anvil, mhrChain }) => {
      const { registrar, patient, doctorA, doctorB } = await setUpWorld(anvil, mhrChain, storage.store);
      const now = (await anvil.provider.getBlock('latest'))!.timestamp;
      for (const doctor of [doctorA, doctorB])
        await grantAccess(patient, { doctor: doctor.address, scope: { kind: 'all' }, expiresAt: now + 86_400 });
      await registrar.chain.identityRegistry.write.revokeDoctor(doctorA.address);
      const record = { data: new Uint8Array([1]), metadata: { mediaType: 'application/octet-stream' }, category: 1 };
      const first = await addRecord(patient, record);
      expect(first.readers).toEqual([doctorB.address]);
      await registrar.chain.identityRegistry.write.attestDoctor(doctorA.address, now + 365 * 86_400);
      const second = await addRecord(patient, { ...record, data: new Uint8Array([2]) });
      expect([...second.readers].sort()).toEqual([doctorA.address, doctorB.address].sort());
    },
  );
});
