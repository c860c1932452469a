/**
 * reconcileAccess on a real anvil and embedded IPFS node: access the chain no longer allows (a revoke or de-attestation
 * made outside the SDK) is flagged by verifyAccess, then rotated out, also when the sweep is cut short.
 */
import { anvilTest } from '@mhrchain/contracts/testing';
import { describe, expect } from 'vitest';
import { assertInvariant, farFuture, note, patientApp, restart, setUp, useCrashWorld } from '../test/crashWorld.js';
import { addRecord } from './addRecord.js';
import { grantAccess } from './grantAccess.js';
import { recordsOf } from './internal/records.js';
import { readRecord } from './readRecord.js';
import { reconcileAccess } from './reconcileAccess.js';
import { verifyAccess } from './verifyAccess.js';

useCrashWorld();

describe('reconcileAccess', () => {
  anvilTest(
    'a revoke made outside the SDK (no rotation) is flagged, and reconciling rotates it out',
    async ({ anvil, mhrChain }) => {
      const world = await setUp(anvil, mhrChain);
      await addRecord(world.patient, { data: note('r'), metadata: { mediaType: 'text/plain' }, category: 1 });
      await grantAccess(world.patient, {
        doctor: world.doctorA.address,
        scope: { kind: 'all' },
        expiresAt: await farFuture(world),
      });
      expect(await verifyAccess(world.patient)).toEqual([]);
      await world.patient.chain.consentManager.write.revokeAccess(world.doctorA.address, 1);
      const [violation] = await verifyAccess(world.patient);
      expect(violation).toMatchObject({ account: world.doctorA.address, reason: 'no-access' });
      const [record] = await recordsOf(world.patient, world.patient.address);
      await expect(readRecord(world.doctorA, { cid: record!.versions.at(-1)!.cid })).resolves.toBeDefined();
      expect(await reconcileAccess(world.patient)).toHaveLength(1);
      await assertInvariant(world);
    },
  );

  anvilTest(
    'a de-attested doctor is flagged; the sweep, cut short and run again, rotates it out',
    async ({ anvil, mhrChain }) => {
      const world = await setUp(anvil, mhrChain);
      for (const category of [1, 2])
        await addRecord(world.patient, { data: note(`r${category}`), metadata: { mediaType: 'text/plain' }, category });
      await grantAccess(world.patient, {
        doctor: world.doctorA.address,
        scope: { kind: 'all' },
        expiresAt: await farFuture(world),
      });
      // The registrar withdraws the doctor's attestation: the chain no longer counts its grant as live.
      await world.mhrChain.chain.identityRegistry.write.revokeDoctor(world.doctorA.address);
      const violations = await verifyAccess(world.patient);
      expect(violations.map((v) => [v.account, v.reason])).toEqual([
        [world.doctorA.address, 'no-access'],
        [world.doctorA.address, 'no-access'],
      ]);
      world.patient = await patientApp(world, { send: { at: 1, fault: 'refuse' } });
      await expect(reconcileAccess(world.patient)).rejects.toThrow(/injected/);
      expect(await verifyAccess(world.patient)).toHaveLength(2);
      await restart(world);
      expect(await reconcileAccess(world.patient)).toHaveLength(2);
      await assertInvariant(world);
      // New records are not encrypted to the de-attested doctor either.
      await addRecord(world.patient, { data: note('r3'), metadata: { mediaType: 'text/plain' }, category: 1 });
      await assertInvariant(world);
    },
  );
});
