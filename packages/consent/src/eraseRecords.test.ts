import { anvilTest } from '@mhrchain/contracts/testing';
import {
  BlockNotFoundError,
  createMemoryStorage,
  DecryptionError,
  exportCar,
  importCar,
  type Storage,
} from '@mhrchain/core';
import type { CID } from 'multiformats/cid';
import { describe, expect } from 'vitest';
import {
  assertInvariant,
  type Fault,
  farFuture,
  note,
  patientApp,
  restart,
  setUp,
  storage,
  useCrashWorld,
  type World,
} from '../test/crashWorld.js';
import { abandoned } from '../test/faults.js';
import { addRecord } from './addRecord.js';
import { type ConsentClient, createConsentClient } from './client.js';
import { eraseRecords } from './eraseRecords.js';
import { InvalidConsentParametersError } from './errors.js';
import { getTimeline } from './getTimeline.js';
import { grantAccess } from './grantAccess.js';
import { pendingActions } from './internal/journal.js';
import { recordsOf } from './internal/records.js';
import { canRead } from './internal/state.js';
import { listReadableRecords } from './listReadableRecords.js';
import { readRecord } from './readRecord.js';
import { revokeAccess } from './revokeAccess.js';
import { shredKeys } from './shredKeys.js';
import { timelineToFhirAuditEvents } from './timelineToFhirAuditEvents.js';

useCrashWorld();

/** Every block of the given versions, copied out of the patient's store: what someone who fetched them holds. */
async function copyOf(cids: readonly CID[]): Promise<{ store: Storage; blocks: CID[] }> {
  const copy = createMemoryStorage();
  const blocks: CID[] = [];
  const recording: Storage = {
    ...copy,
    async put(cid, bytes) {
      if (!blocks.some((b) => b.equals(cid))) blocks.push(cid);
      await copy.put(cid, bytes);
    },
  };
  await importCar(recording, exportCar(storage.store, [...cids]));
  return { store: copy, blocks };
}

/** The same account, reading from another store (a copy it kept). */
function withStore(client: ConsentClient, store: Storage, world: World): Promise<ConsentClient> {
  return createConsentClient({
    signer: client.signer,
    addresses: world.mhrChain.addresses,
    store,
    identity: client.identity,
    fromBlock: world.fromBlock,
  });
}

async function versionsOf(client: ConsentClient, recordId: string): Promise<CID[]> {
  const all = await recordsOf(client, client.address, { includeErased: true });
  return all.find((r) => r.recordId === recordId)!.versions.map((v) => v.cid);
}

async function addTwo(world: World) {
  const first = await addRecord(world.patient, {
    data: note('atrial fibrillation'),
    metadata: { mediaType: 'application/fhir+json' },
    category: 1,
  });
  const second = await addRecord(world.patient, {
    data: note('blood count'),
    metadata: { mediaType: 'application/fhir+json' },
    category: 2,
  });
  return { first, second };
}

describe('eraseRecords: the three cases', () => {
  anvilTest(
    'never shared: on chain, out of the store, and a copy opens for no one once the key is shredded',
    async ({ anvil, mhrChain }) => {
      const world = await setUp(anvil, mhrChain);
      const { patient } = world;
      const { first, second } = await addTwo(world);
      const copy = await copyOf([first.cid]);
      expect(copy.blocks.length).toBeGreaterThanOrEqual(2); // header and payload

      const { records, transactionHash } = await eraseRecords(patient, { recordIds: [first.recordId] });
      expect(records).toEqual([
        { recordId: first.recordId, versions: [first.cid], outcome: 'deleted', blocks: copy.blocks.length },
      ]);
      for (const cid of copy.blocks) expect(await storage.store.has(cid), String(cid)).toBe(false);
      await expect(readRecord(patient, { cid: first.cid })).rejects.toBeInstanceOf(BlockNotFoundError);
      expect((await readRecord(patient, { cid: second.cid })).data).toEqual(note('blood count')); // the other stays

      // the chain: erased, with an event that carries nothing but ids
      const head = await mhrChain.chain.recordRegistry.read.recordOf(first.recordId);
      expect(head.erased).toBe(true);
      const timeline = await getTimeline(patient);
      const erasure = timeline.find((e) => e.kind === 'record-erased')!;
      expect(erasure).toMatchObject({ recordId: first.recordId, transactionHash, actor: patient.address });
      expect(timelineToFhirAuditEvents([erasure])[0]).toMatchObject({
        action: 'D',
        type: { display: 'Record erased' },
      });
      expect((await recordsOf(patient, patient.address)).map((r) => r.recordId)).toEqual([second.recordId]);
      expect(await patient.journal.keys(`readers/${first.cid}`)).toEqual([]);

      // refused before any transaction: twice, someone else's id, malformed, empty
      const sends = await anvil.provider.getTransactionCount(patient.address);
      for (const recordIds of [
        [first.recordId],
        [`0x${'ab'.repeat(32)}`],
        ['0x1234'],
        [],
        [second.recordId, second.recordId],
      ])
        await expect(eraseRecords(patient, { recordIds })).rejects.toBeInstanceOf(InvalidConsentParametersError);
      expect(await anvil.provider.getTransactionCount(patient.address)).toBe(sends);
      await assertInvariant(world);

      // a copy fetched before the erasure is out of reach: it opens with the patient's key while that key exists,
      // and for no one once the key is shredded
      const holder = await withStore(patient, copy.store, world);
      expect((await readRecord(holder, { cid: first.cid })).data).toEqual(note('atrial fibrillation'));
      shredKeys(patient);
      await expect(readRecord(holder, { cid: first.cid })).rejects.toBeInstanceOf(DecryptionError);
    },
  );

  anvilTest(
    'shared, then revoked: the version the doctor was given is gone; only a copy it kept still opens',
    async ({ anvil, mhrChain }) => {
      const world = await setUp(anvil, mhrChain);
      const { patient, doctorA } = world;
      const { first } = await addTwo(world);
      await grantAccess(patient, {
        doctor: doctorA.address,
        scope: { kind: 'all' },
        expiresAt: await farFuture(world),
      });
      const granted = (await versionsOf(patient, first.recordId)).at(-1)!; // the version wrapped for doctor A
      expect((await readRecord(doctorA, { cid: granted })).data).toEqual(note('atrial fibrillation'));
      const kept = await copyOf([granted]); // what a doctor that downloaded the version holds
      await revokeAccess(patient, { doctor: doctorA.address, rotation: 'eager' });
      // revocation already drops the version the doctor was given from the store: with its own key and the CID from
      // the public logs, a doctor that never downloaded it finds nothing to open
      await expect(readRecord(doctorA, { cid: granted })).rejects.toBeInstanceOf(BlockNotFoundError);

      const { records } = await eraseRecords(patient, { recordIds: [first.recordId] });
      const versions = await versionsOf(patient, first.recordId);
      expect(versions.length).toBe(3); // anchored, released to A, rotated without A
      expect(records[0]!.versions.map(String)).toEqual(versions.map(String));
      for (const cid of versions) expect(await storage.store.has(cid)).toBe(false);
      for (const cid of kept.blocks) expect(await storage.store.has(cid)).toBe(false);
      expect(records[0]!.outcome).toBe('deleted');
      // what erasure cannot reach: a copy the doctor kept, with the key it was legitimately given
      const keeper = await withStore(doctorA, kept.store, world);
      expect((await readRecord(keeper, { cid: granted })).data).toEqual(note('atrial fibrillation'));
      await assertInvariant(world);
    },
  );

  anvilTest(
    'shared and still granted: access to that record ends at once, the grant goes on for the others',
    async ({ anvil, mhrChain }) => {
      const world = await setUp(anvil, mhrChain);
      const { patient, doctorA } = world;
      const { first, second } = await addTwo(world);
      await grantAccess(patient, {
        doctor: doctorA.address,
        scope: { kind: 'all' },
        expiresAt: await farFuture(world),
      });
      expect((await listReadableRecords(doctorA)).map((r) => r.recordId).sort()).toEqual(
        [first.recordId, second.recordId].sort(),
      );
      const current = (await versionsOf(patient, first.recordId)).at(-1)!;

      await eraseRecords(patient, { recordIds: [first.recordId] });
      expect(await canRead(patient, patient.address, doctorA.address, first.recordId)).toBe(false);
      expect((await listReadableRecords(doctorA)).map((r) => r.recordId)).toEqual([second.recordId]);
      await expect(readRecord(doctorA, { cid: current })).rejects.toBeInstanceOf(BlockNotFoundError);
      const [stillShared] = await listReadableRecords(doctorA);
      expect((await readRecord(doctorA, { cid: stillShared!.cid })).data).toEqual(note('blood count'));
      // the grant still covers what comes next
      const later = await addRecord(patient, {
        data: note('later'),
        metadata: { mediaType: 'text/plain' },
        category: 1,
      });
      expect(later.readers).toEqual([doctorA.address]);
      await assertInvariant(world);
    },
  );
});

describe('eraseRecords crash points', () => {
  const cases: { name: string; fault: Fault; expected: 'erased' | 'kept' }[] = [
    { name: 'the wallet refuses the erasure', fault: { send: { at: 1, fault: 'refuse' } }, expected: 'kept' },
    { name: 'the erasure is lost after broadcast', fault: { send: { at: 1, fault: 'lost' } }, expected: 'erased' },
    { name: 'killed before the erasure is sent', fault: { send: { at: 1, fault: 'kill' } }, expected: 'erased' },
    { name: 'killed at the first block removal', fault: { store: { operation: 'delete', at: 1, kill: true } }, expected: 'erased' },
    { name: 'the store fails a later block removal', fault: { store: { operation: 'delete', at: 2 } }, expected: 'erased' },
  ]; // biome-ignore format: table

  for (const { name, fault, expected } of cases)
    anvilTest(`${name}: ${expected} on resume`, async ({ anvil, mhrChain }) => {
      const world = await setUp(anvil, mhrChain);
      const { first, second } = await addTwo(world);
      await grantAccess(world.patient, {
        doctor: world.doctorA.address,
        scope: { kind: 'all' },
        expiresAt: await farFuture(world),
      });
      const versions = await versionsOf(world.patient, first.recordId);
      const blocks = (await copyOf([versions.at(-1)!])).blocks; // older versions left the store when superseded
      world.patient = await patientApp(world, fault);
      const call = eraseRecords(world.patient, { recordIds: [first.recordId] });
      if (fault.send?.fault === 'kill' || fault.store?.kill) expect(await abandoned(call)).toBe('pending');
      else await expect(call).rejects.toThrow(/injected/);
      expect(await pendingActions(world.patient)).toHaveLength(1); // the intent survived the crash

      const { finished, rolledBack } = await restart(world);
      expect((expected === 'erased' ? finished : rolledBack).map((a) => a.kind)).toEqual(['eraseRecords']);
      const head = await world.mhrChain.chain.recordRegistry.read.recordOf(first.recordId);
      expect(head.erased).toBe(expected === 'erased');
      for (const cid of blocks) expect(await storage.store.has(cid)).toBe(expected === 'kept');
      expect(await canRead(world.patient, world.patient.address, world.doctorA.address, first.recordId)).toBe(
        expected === 'kept',
      );
      const secondNow = (await versionsOf(world.patient, second.recordId)).at(-1)!;
      expect((await readRecord(world.doctorA, { cid: secondNow })).data).toEqual(note('blood count'));
      await assertInvariant(world);
    });
});
