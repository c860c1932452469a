/**
 * An addRecord anchor that outlives the app that sent it, on a real anvil and embedded IPFS node: signed and handed to
 * another node, then the app died, and meanwhile the patient's other device revoked the doctor the record was
 * encrypted to. The held anchor may be mined before the app comes back, while it resumes, or after resume re-wrapped
 * the record without that doctor. Whatever the order, the record is anchored once and no current version can be
 * opened by an account the chain does not allow.
 */
import type { DeployMhrChainReturnType } from '@mhrchain/contracts';
import { type AnvilInstance, anvilTest } from '@mhrchain/contracts/testing';
import { describe, expect } from 'vitest';
import {
  anchoredCount,
  assertInvariant,
  farFuture,
  note,
  otherDeviceRelayed,
  patientApp,
  pooled,
  restart,
  setUp,
  useCrashWorld,
  type World,
} from '../test/crashWorld.js';
import { abandoned } from '../test/faults.js';
import { addRecord } from './addRecord.js';
import { AnchorNotSettledError } from './errors.js';
import { grantAccess } from './grantAccess.js';
import { pendingActions } from './internal/journal.js';
import { recordsOf } from './internal/records.js';
import { revokeAccess } from './revokeAccess.js';

useCrashWorld();

/**
 * A record for the doctor's category whose anchor the app signed and handed to another node before dying; then the
 * patient's other device revokes the doctor (through its relayer: the wallet's nonce stays free for the held anchor).
 * Returns the world and `mine`, which broadcasts the held anchor and waits for its block.
 */
async function heldAnchor(anvil: AnvilInstance, mhrChain: DeployMhrChainReturnType) {
  const world = await setUp(anvil, mhrChain);
  await grantAccess(world.patient, {
    doctor: world.doctorA.address,
    scope: { kind: 'all' },
    expiresAt: await farFuture(world),
  });
  const held: string[] = [];
  world.patient = await patientApp(world, { send: { at: 1, fault: 'hold', held } });
  await expect(
    addRecord(world.patient, { data: note('held'), metadata: { mediaType: 'application/fhir+json' }, category: 1 }),
  ).rejects.toThrow(/injected/);
  await revokeAccess(await otherDeviceRelayed(world), { doctor: world.doctorA.address });
  expect(held).toHaveLength(1);
  const raw = held[0]!;
  return { world, raw, mine: async () => (await anvil.provider.broadcastTransaction(raw)).wait() };
}

/** The resumed addRecord finished with its one record on chain, and the access invariant holds. */
async function expectOneRecord(world: World, finished: { kind: string }[]): Promise<void> {
  expect(finished.map((a) => a.kind)).toEqual(['addRecord']);
  expect(await anchoredCount(world)).toBe(1);
  await assertInvariant(world);
}

describe('an anchor held by another node while the doctor is revoked', () => {
  anvilTest(
    'mined before the app comes back: resume keeps the record and rotates it past the doctor',
    async ({ anvil, mhrChain }) => {
      const { world, mine } = await heldAnchor(anvil, mhrChain);
      await mine();
      await expectOneRecord(world, (await restart(world)).finished);
    },
  );

  anvilTest(
    'still unmined in the pool when the app comes back: resume waits for it, then rotates it',
    async ({ anvil, mhrChain }) => {
      const { world, raw } = await heldAnchor(anvil, mhrChain);
      await anvil.provider.send('evm_setAutomine', [false]);
      let first: ReturnType<typeof restart>;
      let settled: 'pending' | 'settled';
      try {
        await anvil.provider.broadcastTransaction(raw);
        await pooled(world, 1);
        first = restart(world);
        settled = await abandoned(first, 5_000);
        await anvil.provider.send('evm_mine', []);
      } finally {
        await anvil.provider.send('evm_setAutomine', [true]);
      }
      // Resume neither re-wrapped nor sent a second anchor behind the pending one: it left the action for later.
      expect(settled).toBe('settled');
      const { failed } = await first;
      expect(failed.map(({ action, error }) => [action.kind, error.cause instanceof AnchorNotSettledError])).toEqual([
        ['addRecord', true],
      ]);
      expect((await pendingActions(world.patient)).map((a) => [a.kind, a.step])).toEqual([['addRecord', 'stored']]);
      await expectOneRecord(world, (await restart(world)).finished);
    },
  );

  anvilTest(
    'mined after resume re-wrapped the record and died before its own anchor: the next resume keeps that one',
    async ({ anvil, mhrChain }) => {
      const { world, mine } = await heldAnchor(anvil, mhrChain);
      expect(await abandoned(restart(world, { send: { at: 1, fault: 'kill' } }))).toBe('pending');
      expect((await pendingActions(world.patient))[0]?.data.replaced).toHaveLength(1);
      await mine();
      await expectOneRecord(world, (await restart(world)).finished);
    },
  );

  anvilTest(
    'mined after resume looked and before it chose its nonce: both land, both rotated under fresh keys',
    async ({ anvil, mhrChain }) => {
      const { world, mine } = await heldAnchor(anvil, mhrChain);
      // Resume's first store write is the re-wrapped envelope: after its look at the chain, before its own anchor.
      const { finished } = await restart(world, { store: { operation: 'put', at: 1, before: mine } });
      expect(finished.map((a) => a.kind)).toEqual(['addRecord']);
      // Two records of one payload and data key, the first encrypted to the revoked doctor: both re-encrypted.
      const records = await recordsOf(world.patient, world.patient.address);
      expect(records.map((record) => record.versions.length)).toEqual([2, 2]);
      await assertInvariant(world);
    },
  );

  anvilTest(
    'mined after resume chose its nonce and before it sent: resume keeps the held one and rotates it',
    async ({ anvil, mhrChain }) => {
      const { world, mine } = await heldAnchor(anvil, mhrChain);
      // The app's wallet picked the nonce the held anchor carries: its own anchor is refused, the held one lands.
      const { finished } = await restart(world, { race: { at: 1, run: mine } });
      expect(finished.map((a) => a.kind)).toEqual(['addRecord']);
      const records = await recordsOf(world.patient, world.patient.address);
      expect(records.map((record) => record.versions.length)).toEqual([2]);
      await assertInvariant(world);
    },
  );
});
