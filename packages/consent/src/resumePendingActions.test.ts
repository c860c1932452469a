/**
 * Crash points of every journalled action, on a real anvil and a real embedded IPFS node: the wallet refuses, the
 * transaction is lost after broadcast, the process is killed before a send or in the middle of a store, the store
 * fails. After each, a new client (a restarted app: same wallet, same store, the journal read back from its folder)
 * calls resumePendingActions, and the access invariant must hold.
 */
import { anvilTest } from '@mhrchain/contracts/testing';
import { DecryptionError } from '@mhrchain/core';
import { describe, expect } from 'vitest';
import {
  anchoredCount,
  assertInvariant,
  type Fault,
  farFuture,
  note,
  otherDevice,
  patientApp,
  restart,
  setUp,
  useCrashWorld,
} from '../test/crashWorld.js';
import { abandoned } from '../test/faults.js';
import { addRecord } from './addRecord.js';
import { getTimeline } from './getTimeline.js';
import { grantAccess } from './grantAccess.js';
import { pendingActions, readersOf } from './internal/journal.js';
import { recordsOf } from './internal/records.js';
import { readRecord } from './readRecord.js';
import { revokeAccess } from './revokeAccess.js';
import type { AccessScope } from './scope.js';
import { verifyAccess } from './verifyAccess.js';

useCrashWorld();

describe('addRecord crash points', () => {
  const cases: { name: string; fault: Fault; expected: 'anchored' | 'rolled back' }[] = [
    { name: 'the store fails the first block', fault: { store: { operation: 'put', at: 1 } }, expected: 'rolled back' },
    { name: 'killed while storing blocks', fault: { store: { operation: 'put', at: 2, kill: true } }, expected: 'rolled back' },
    { name: 'the pin fails', fault: { store: { operation: 'pin', at: 1 } }, expected: 'rolled back' },
    { name: 'the wallet refuses the anchor', fault: { send: { at: 1, fault: 'refuse' } }, expected: 'anchored' },
    { name: 'the anchor is lost after broadcast', fault: { send: { at: 1, fault: 'lost' } }, expected: 'anchored' },
    { name: 'killed before the anchor is sent', fault: { send: { at: 1, fault: 'kill' } }, expected: 'anchored' },
  ]; // biome-ignore format: table

  for (const { name, fault, expected } of cases)
    anvilTest(`${name}: ${expected} on resume`, async ({ anvil, mhrChain }) => {
      const world = await setUp(anvil, mhrChain);
      world.patient = await patientApp(world, fault);
      const call = addRecord(world.patient, {
        data: note(name),
        metadata: { mediaType: 'application/fhir+json' },
        category: 1,
      });
      if (fault.send?.fault === 'kill' || fault.store?.kill) expect(await abandoned(call)).toBe('pending');
      else await expect(call).rejects.toThrow(/injected/);
      const { finished, rolledBack } = await restart(world);
      expect(await anchoredCount(world)).toBe(expected === 'anchored' ? 1 : 0);
      expect((expected === 'anchored' ? finished : rolledBack).map((a) => a.kind)).toEqual(['addRecord']);
      await assertInvariant(world);
    });

  anvilTest(
    'stored, then its reader revoked before the app came back: anchored without that reader',
    async ({ anvil, mhrChain }) => {
      const world = await setUp(anvil, mhrChain);
      await grantAccess(world.patient, {
        doctor: world.doctorA.address,
        scope: { kind: 'all' },
        expiresAt: await farFuture(world),
      });
      world.patient = await patientApp(world, { send: { at: 1, fault: 'kill' } });
      const call = addRecord(world.patient, {
        data: note('late'),
        metadata: { mediaType: 'application/fhir+json' },
        category: 1,
      });
      expect(await abandoned(call)).toBe('pending');
      // Another device of the patient revokes meanwhile.
      await revokeAccess(await otherDevice(world), { doctor: world.doctorA.address });
      await restart(world);
      expect(await anchoredCount(world)).toBe(1);
      await assertInvariant(world);
    },
  );
});

describe('grant crash points', () => {
  const cases: { name: string; fault: Fault; granted: boolean }[] = [
    { name: 'the wallet refuses the grant', fault: { send: { at: 1, fault: 'refuse' } }, granted: false },
    { name: 'killed before the grant is sent', fault: { send: { at: 1, fault: 'kill' } }, granted: false },
    { name: 'the grant is lost after broadcast', fault: { send: { at: 1, fault: 'lost' } }, granted: true },
    { name: 'the key release is refused', fault: { send: { at: 2, fault: 'refuse' } }, granted: true },
    { name: 'the key release is lost after broadcast', fault: { send: { at: 2, fault: 'lost' } }, granted: true },
    { name: 'killed before the key release is sent', fault: { send: { at: 2, fault: 'kill' } }, granted: true },
    { name: 'the store fails the re-wrapped header', fault: { store: { operation: 'put', at: 1 } }, granted: true },
  ]; // biome-ignore format: table

  for (const { name, fault, granted } of cases)
    anvilTest(
      `${name}: ${granted ? 'release finished' : 'nothing released'} on resume`,
      async ({ anvil, mhrChain }) => {
        const world = await setUp(anvil, mhrChain);
        for (const category of [1, 2])
          await addRecord(world.patient, {
            data: note(`r${category}`),
            metadata: { mediaType: 'text/plain' },
            category,
          });
        world.patient = await patientApp(world, fault);
        const call = grantAccess(world.patient, {
          doctor: world.doctorA.address,
          scope: { kind: 'all' },
          expiresAt: await farFuture(world),
        });
        if (fault.send?.fault === 'kill') expect(await abandoned(call)).toBe('pending');
        else await expect(call).rejects.toThrow(/injected/);
        // Meanwhile (the crash window): never more access than the chain shows.
        expect((await verifyAccess(world.patient)).filter((v) => v.reason === 'no-access')).toEqual([]);
        await restart(world);
        await assertInvariant(world);
        const timeline = await getTimeline(world.patient);
        expect(timeline.some((e) => e.kind === 'access-granted')).toBe(granted);
        const readable = await Promise.all(
          (await recordsOf(world.patient, world.patient.address)).map((r) =>
            readRecord(world.doctorA, { cid: r.versions.at(-1)!.cid }).then(
              () => true,
              () => false,
            ),
          ),
        );
        expect(readable).toEqual([granted, granted]);
      },
    );

  const narrowing: { name: string; fault: Fault }[] = [
    { name: 'the narrowed grant is lost after broadcast', fault: { send: { at: 1, fault: 'lost' } } },
    { name: 'the narrowing rotation is refused', fault: { send: { at: 2, fault: 'refuse' } } },
    { name: 'killed before the narrowing rotation is sent', fault: { send: { at: 2, fault: 'kill' } } },
  ]; // biome-ignore format: table

  for (const { name, fault } of narrowing)
    anvilTest(`narrowing a grant, ${name}: out-of-scope records rotated out on resume`, async ({ anvil, mhrChain }) => {
      const world = await setUp(anvil, mhrChain);
      for (const category of [1, 2])
        await addRecord(world.patient, { data: note(`r${category}`), metadata: { mediaType: 'text/plain' }, category });
      const expiresAt = await farFuture(world);
      await grantAccess(world.patient, { doctor: world.doctorA.address, scope: { kind: 'all' }, expiresAt });
      world.patient = await patientApp(world, fault);
      const narrowed: AccessScope = { kind: 'category', category: 2 };
      const call = grantAccess(world.patient, { doctor: world.doctorA.address, scope: narrowed, expiresAt });
      if (fault.send?.fault === 'kill') expect(await abandoned(call)).toBe('pending');
      else await expect(call).rejects.toThrow(/injected/);
      await restart(world);
      await assertInvariant(world);
      const records = await recordsOf(world.patient, world.patient.address);
      for (const record of records) {
        const read = readRecord(world.doctorA, { cid: record.versions.at(-1)!.cid });
        if (record.category === 2) await expect(read).resolves.toBeDefined();
        else await expect(read).rejects.toThrow(DecryptionError);
      }
    });
});

describe('revoke crash points', () => {
  const cases: { name: string; fault: Fault; revoked: boolean }[] = [
    { name: 'the wallet refuses the revoke', fault: { send: { at: 1, fault: 'refuse' } }, revoked: false },
    { name: 'killed before the revoke is sent', fault: { send: { at: 1, fault: 'kill' } }, revoked: true },
    { name: 'the revoke is lost after broadcast', fault: { send: { at: 1, fault: 'lost' } }, revoked: true },
    { name: 'the rotation is refused', fault: { send: { at: 2, fault: 'refuse' } }, revoked: true },
    { name: 'the rotation is lost after broadcast', fault: { send: { at: 2, fault: 'lost' } }, revoked: true },
    { name: 'killed before the rotation is sent', fault: { send: { at: 2, fault: 'kill' } }, revoked: true },
    { name: 'the store fails the rotated header', fault: { store: { operation: 'put', at: 1 } }, revoked: true },
    { name: 'killed while pinning the rotated version', fault: { store: { operation: 'pin', at: 1, kill: true } }, revoked: true },
  ]; // biome-ignore format: table

  for (const { name, fault, revoked } of cases)
    anvilTest(`${name}: ${revoked ? 'rotation finished' : 'still granted'} on resume`, async ({ anvil, mhrChain }) => {
      const world = await setUp(anvil, mhrChain);
      for (const category of [1, 2])
        await addRecord(world.patient, { data: note(`r${category}`), metadata: { mediaType: 'text/plain' }, category });
      const expiresAt = await farFuture(world);
      await grantAccess(world.patient, { doctor: world.doctorA.address, scope: { kind: 'all' }, expiresAt });
      await grantAccess(world.patient, {
        doctor: world.doctorB.address,
        scope: { kind: 'category', category: 1 },
        expiresAt,
      });
      world.patient = await patientApp(world, fault);
      const call = revokeAccess(world.patient, { doctor: world.doctorA.address });
      if (fault.send?.fault === 'kill' || fault.store?.kill) expect(await abandoned(call)).toBe('pending');
      else await expect(call).rejects.toThrow(/injected/);
      await restart(world);
      await assertInvariant(world);
      const timeline = await getTimeline(world.patient);
      expect(timeline.some((e) => e.kind === 'access-revoked')).toBe(revoked);
      // The other doctor keeps its access throughout.
      const category1 = (await recordsOf(world.patient, world.patient.address)).find((r) => r.category === 1)!;
      await expect(readRecord(world.doctorB, { cid: category1.versions.at(-1)!.cid })).resolves.toBeDefined();
      expect(await readersOf(world.patient, category1.versions.at(-1)!.cid)).toContain(world.doctorB.address);
    });

  anvilTest(
    'a revoke lost after broadcast and mined only after the call failed: rotated on resume',
    async ({ anvil, mhrChain }) => {
      const world = await setUp(anvil, mhrChain);
      await addRecord(world.patient, { data: note('r'), metadata: { mediaType: 'text/plain' }, category: 1 });
      await grantAccess(world.patient, {
        doctor: world.doctorA.address,
        scope: { kind: 'all' },
        expiresAt: await farFuture(world),
      });
      world.patient = await patientApp(world, { send: { at: 1, fault: 'lost' } });
      await anvil.provider.send('evm_setAutomine', [false]);
      try {
        // The revoke sits in the pool while the call fails and the app looks at the chain: the grant is still live.
        await expect(revokeAccess(world.patient, { doctor: world.doctorA.address })).rejects.toThrow(/injected/);
        await anvil.provider.send('evm_mine', []);
      } finally {
        await anvil.provider.send('evm_setAutomine', [true]);
      }
      expect((await verifyAccess(world.patient)).map((v) => v.reason)).toEqual(['no-access']);
      await restart(world);
      await assertInvariant(world);
    },
  );

  anvilTest('a crash during resume itself: the next resume finishes', async ({ anvil, mhrChain }) => {
    const world = await setUp(anvil, mhrChain);
    await addRecord(world.patient, { data: note('r'), metadata: { mediaType: 'text/plain' }, category: 1 });
    await grantAccess(world.patient, {
      doctor: world.doctorA.address,
      scope: { kind: 'all' },
      expiresAt: await farFuture(world),
    });
    world.patient = await patientApp(world, { send: { at: 1, fault: 'kill' } });
    expect(await abandoned(revokeAccess(world.patient, { doctor: world.doctorA.address }))).toBe('pending');
    // The first resume sends the revoke, then its rotation is refused: reported, kept in the journal.
    const { failed } = await restart(world, { send: { at: 2, fault: 'refuse' } });
    expect(failed.map(({ action, error }) => [action.kind, action.step, error.details])).toEqual([
      ['revokeAccess', 'revoked', 'Error: injected: the wallet refused the transaction'],
    ]);
    expect((await pendingActions(world.patient)).map((a) => [a.kind, a.step])).toEqual([['revokeAccess', 'revoked']]);
    await restart(world);
    await assertInvariant(world);
  });
});
