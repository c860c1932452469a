import { anvilTest } from '@mhrchain/contracts/testing';
import { BlockNotFoundError } from '@mhrchain/core';
import { describe, expect } from 'vitest';
import {
  assertInvariant,
  farFuture,
  note,
  patientApp,
  restart,
  setUp,
  storage,
  useCrashWorld,
} from '../../test/crashWorld.js';
import { addRecord } from '../addRecord.js';
import { grantAccess } from '../grantAccess.js';
import { readRecord } from '../readRecord.js';
import { revokeAccess } from '../revokeAccess.js';
import { recordsOf } from './records.js';

useCrashWorld();

describe('superseded versions leave the store', () => {
  anvilTest(
    'a store that fails the clean-up does not fail the revoke; the next resume drops the old version',
    async ({ anvil, mhrChain }) => {
      const world = await setUp(anvil, mhrChain);
      const added = await addRecord(world.patient, {
        data: note('ecg'),
        metadata: { mediaType: 'application/fhir+json' },
        category: 1,
      });
      await grantAccess(world.patient, {
        doctor: world.doctorA.address,
        scope: { kind: 'all' },
        expiresAt: await farFuture(world),
      });
      const versions = async () =>
        (await recordsOf(world.patient, world.patient.address))[0]!.versions.map((v) => v.cid);
      const [first, granted] = await versions();
      expect(first!.equals(added.cid)).toBe(true);
      expect(await storage.store.has(first!)).toBe(false); // dropped when the release was anchored
      expect((await readRecord(world.doctorA, { cid: granted! })).data).toEqual(note('ecg'));

      // the store refuses every block removal during the revoke: the revoke and its rotation still complete
      world.patient = await patientApp(world, { store: { operation: 'delete', at: 1 } });
      const revoked = await revokeAccess(world.patient, { doctor: world.doctorA.address });
      expect(revoked.rotated).toHaveLength(1);
      expect(await storage.store.has(granted!)).toBe(true); // the clean-up failed: still there
      expect(await world.patient.journal.keys(`readers/${granted}`)).toHaveLength(1); // and still in the ledger

      const { unpinned } = await restart(world);
      expect(unpinned).toEqual([]); // it was unpinned; only its blocks were left
      expect(await storage.store.has(granted!)).toBe(false);
      await expect(readRecord(world.doctorA, { cid: granted! })).rejects.toBeInstanceOf(BlockNotFoundError);
      await assertInvariant(world);
    },
  );
});
