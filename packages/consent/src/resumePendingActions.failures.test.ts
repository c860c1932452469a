/**
 * Resume when a step fails again while resuming, on a real anvil and embedded IPFS node: the chain refuses a
 * transaction resume re-sends (a real revert: another device of the patient acted first, or the transaction the app
 * lost was mined meanwhile), or the wallet cannot send at all (no funds, a refused prompt). Each journalled action is
 * settled on its own: one that fails stays in the journal and is reported, the others and the pin clean-up still run.
 */
import { ContractCallError, scopeAll, signRelayedAction, submitRelayedAction } from '@mhrchain/contracts';
import { anvilTest } from '@mhrchain/contracts/testing';
import { CID } from 'multiformats/cid';
import { describe, expect } from 'vitest';
import {
  anchoredCount,
  assertInvariant,
  farFuture,
  note,
  otherDevice,
  otherDeviceRelayed,
  patientApp,
  pooled,
  restart,
  setUp,
  storage,
  useCrashWorld,
  type World,
} from '../test/crashWorld.js';
import { abandoned } from '../test/faults.js';
import { addRecord } from './addRecord.js';
import { PendingActionError } from './errors.js';
import { getTimeline } from './getTimeline.js';
import { grantAccess } from './grantAccess.js';
import { pendingActions, readersOf } from './internal/journal.js';
import { recordsOf } from './internal/records.js';
import { readRecord } from './readRecord.js';
import { revokeAccess } from './revokeAccess.js';
import { verifyAccess } from './verifyAccess.js';

useCrashWorld();

/** An `addRecord` whose app was killed before the anchor: the journal holds it at `stored`. */
async function storedUnanchored(world: World, text: string): Promise<CID> {
  world.patient = await patientApp(world, { send: { at: 1, fault: 'kill' } });
  const call = addRecord(world.patient, { data: note(text), metadata: { mediaType: 'text/plain' }, category: 1 });
  expect(await abandoned(call)).toBe('pending');
  const action = (await pendingActions(world.patient)).at(-1)!;
  expect([action.kind, action.step]).toEqual(['addRecord', 'stored']);
  return CID.parse(action.data.cid as string);
}

describe('resume settles each action on its own', () => {
  anvilTest(
    'a revoke resume re-sends is refused by the chain (the other device revoked first, NoActiveGrant): settled from the chain, and the record added after it is still anchored',
    async ({ anvil, mhrChain }) => {
      const world = await setUp(anvil, mhrChain);
      await addRecord(world.patient, { data: note('r'), metadata: { mediaType: 'text/plain' }, category: 1 });
      await grantAccess(world.patient, {
        doctor: world.doctorA.address,
        scope: { kind: 'all' },
        expiresAt: await farFuture(world),
      });
      world.patient = await patientApp(world, { send: { at: 1, fault: 'kill' } });
      expect(await abandoned(revokeAccess(world.patient, { doctor: world.doctorA.address }))).toBe('pending');
      // A record added next, encrypted to the doctor (still granted), killed before its anchor.
      await storedUnanchored(world, 'after the revoke');
      expect((await pendingActions(world.patient)).map((a) => [a.kind, a.step])).toEqual([
        ['revokeAccess', 'intent'],
        ['addRecord', 'stored'],
      ]);
      const other = await otherDevice(world);
      const { finished, rolledBack, failed } = await restart(world, {
        // Between resume's look at the grant and its revoke, the other device's revoke lands: resume's reverts.
        race: { at: 1, run: () => other.chain.consentManager.write.revokeAccess(world.doctorA.address, 1) },
      });
      expect(finished.map((a) => a.kind)).toEqual(['revokeAccess', 'addRecord']);
      expect(rolledBack).toEqual([]);
      expect(failed).toEqual([]);
      expect(await anchoredCount(world)).toBe(2);
      await assertInvariant(world);
      const revocations = (await getTimeline(world.patient)).filter((e) => e.kind === 'access-revoked');
      expect(revocations).toHaveLength(1);
    },
  );

  anvilTest(
    'the wallet cannot pay for gas: the actions that need a transaction are reported and kept, the others settled, orphan pins released, the stored record kept pinned; once funded, the next resume finishes',
    async ({ anvil, mhrChain }) => {
      const world = await setUp(anvil, mhrChain);
      for (const category of [1, 2])
        await addRecord(world.patient, { data: note(`r${category}`), metadata: { mediaType: 'text/plain' }, category });
      const stored = await storedUnanchored(world, 'waiting for its anchor');
      // A grant whose key release was refused: the versions prepared for it are pinned, never anchored.
      world.patient = await patientApp(world, { send: { at: 2, fault: 'refuse' } });
      await expect(
        grantAccess(world.patient, {
          doctor: world.doctorA.address,
          scope: { kind: 'all' },
          expiresAt: await farFuture(world),
        }),
      ).rejects.toThrow(/injected/);
      // A record whose store failed its first block: nothing of it needs the chain.
      world.patient = await patientApp(world, { store: { operation: 'put', at: 1 } });
      await expect(
        addRecord(world.patient, { data: note('never stored'), metadata: { mediaType: 'text/plain' }, category: 2 }),
      ).rejects.toThrow(/injected/);
      const before = await pendingActions(world.patient);
      expect(before.map((a) => [a.kind, a.step])).toEqual([
        ['addRecord', 'stored'],
        ['grantAccess', 'granted'],
        ['addRecord', 'intent'],
      ]);

      const balance = await anvil.provider.getBalance(world.patient.address);
      await anvil.provider.send('anvil_setBalance', [world.patient.address, '0x0']);
      let first: Awaited<ReturnType<typeof restart>>;
      try {
        first = await restart(world);
      } finally {
        await anvil.provider.send('anvil_setBalance', [world.patient.address, `0x${balance.toString(16)}`]);
      }
      expect(first.failed.map((f) => [f.action.kind, f.action.step])).toEqual([
        ['addRecord', 'stored'],
        ['grantAccess', 'granted'],
      ]);
      for (const { error } of first.failed) {
        expect(error).toBeInstanceOf(PendingActionError);
        expect(error.cause).toBeInstanceOf(ContractCallError);
      }
      expect(first.rolledBack.map((a) => [a.kind, a.step])).toEqual([['addRecord', 'intent']]);
      expect(first.finished).toEqual([]);
      // The clean-up ran: the versions prepared for the key release (two records), by the refused call and by this
      // resume, never anchored, are released; the stored record is not among them.
      expect(first.unpinned).toHaveLength(4);
      expect(first.unpinned.map(String)).not.toContain(stored.toString());
      // The failing actions are kept as they were; the stored record is still pinned and in the ledger.
      expect(await pendingActions(world.patient)).toEqual(before.slice(0, 2));
      expect(await storage.store.isPinned(stored)).toBe(true);
      expect(await readersOf(world.patient, stored)).toEqual([]);
      expect(await verifyAccess(world.patient)).toEqual([]);

      const second = await restart(world);
      expect(second.finished.map((a) => a.kind)).toEqual(['addRecord', 'grantAccess']);
      expect(second.failed).toEqual([]);
      expect(await anchoredCount(world)).toBe(3);
      await assertInvariant(world);
      for (const record of await recordsOf(world.patient, world.patient.address))
        await expect(readRecord(world.doctorA, { cid: record.versions.at(-1)!.cid })).resolves.toBeDefined();
    },
  );
});

describe('a revoke resume sends after the patient granted the doctor again', () => {
  /** A revoke of grant 1 journalled, its send lost with the app (killed before broadcasting). */
  async function revokeLost(world: World): Promise<void> {
    await addRecord(world.patient, { data: note('before'), metadata: { mediaType: 'text/plain' }, category: 1 });
    await grantAccess(world.patient, {
      doctor: world.doctorA.address,
      scope: { kind: 'all' },
      expiresAt: await farFuture(world),
    });
    world.patient = await patientApp(world, { send: { at: 1, fault: 'kill' } });
    expect(await abandoned(revokeAccess(world.patient, { doctor: world.doctorA.address }))).toBe('pending');
    const [action] = await pendingActions(world.patient);
    expect([action!.kind, action!.step, action!.data.serial]).toEqual(['revokeAccess', 'intent', 1]);
  }

  /** The newer grant is live, the doctor reads what is published after it, and nothing was revoked. */
  async function newerGrantKept(world: World): Promise<void> {
    const grant = await world.patient.chain.consentManager.read.grantOf(world.patient.address, world.doctorA.address);
    expect(grant.serial).toBe(2n);
    expect(
      await world.patient.chain.consentManager.read.isGrantActive(world.patient.address, world.doctorA.address),
    ).toBe(true);
    const timeline = await getTimeline(world.patient);
    expect(timeline.filter((e) => e.kind === 'access-revoked')).toEqual([]);
    await assertInvariant(world);
    const after = await addRecord(world.patient, {
      data: note('after the new grant'),
      metadata: { mediaType: 'text/plain' },
      category: 1,
    });
    const opened = await readRecord(world.doctorA, { cid: after.cid });
    expect(new TextDecoder().decode(opened.data)).toContain('after the new grant');
    for (const record of await recordsOf(world.patient, world.patient.address))
      await expect(readRecord(world.doctorA, { cid: record.versions.at(-1)!.cid })).resolves.toBeDefined();
    await assertInvariant(world);
  }

  anvilTest(
    'the other device grants again before resume looks: the revoke is not sent, settled, the newer grant kept',
    async ({ anvil, mhrChain }) => {
      const world = await setUp(anvil, mhrChain);
      await revokeLost(world);
      await grantAccess(await otherDeviceRelayed(world), {
        doctor: world.doctorA.address,
        scope: { kind: 'all' },
        expiresAt: await farFuture(world),
      });
      const { finished, rolledBack, failed } = await restart(world);
      expect(finished.map((a) => [a.kind, a.step])).toEqual([['revokeAccess', 'intent']]);
      expect(rolledBack).toEqual([]);
      expect(failed).toEqual([]);
      await newerGrantKept(world);
    },
  );

  anvilTest(
    "the other device grants again between resume's look and its send (refused on chain: GrantSerialMismatch): settled, the newer grant kept",
    async ({ anvil, mhrChain }) => {
      const world = await setUp(anvil, mhrChain);
      await revokeLost(world);
      const other = await otherDeviceRelayed(world);
      const nonce = await anvil.provider.getTransactionCount(world.patient.address);
      const { finished, rolledBack, failed } = await restart(world, {
        race: {
          at: 1,
          // Through its relayer and without a key release (the doctor holds the keys already): the patient's wallet
          // sends nothing here, so resume's revoke goes out right after the newer grant, with the wallet's next nonce.
          run: async () => {
            const signed = await signRelayedAction({
              chain: other.chain,
              signer: world.wallet,
              action: 'GrantAccess',
              message: {
                patient: world.patient.address,
                doctor: world.doctorA.address,
                scope: scopeAll(),
                expiresAt: await farFuture(world),
              },
            });
            await submitRelayedAction(other.relayerChain!, signed);
          },
        },
      });
      // Settled as a revoke the chain refused because its grant ended: past its send, its rotation done.
      expect(finished.map((a) => [a.kind, a.step])).toEqual([['revokeAccess', 'revoked']]);
      expect(rolledBack).toEqual([]);
      expect(failed).toEqual([]);
      // The chain refused resume's revoke of grant 1 (GrantSerialMismatch at its gas estimate): nothing broadcast.
      expect(await anvil.provider.getTransactionCount(world.patient.address)).toBe(nonce);
      await newerGrantKept(world);
    },
  );
});

describe('an addRecord anchor resume re-sends', () => {
  anvilTest(
    'the lost anchor is mined just before resume sends its own (RecordAlreadyAnchored at the estimate): finished, kept pinned, anchored once',
    async ({ anvil, mhrChain }) => {
      const world = await setUp(anvil, mhrChain);
      world.patient = await patientApp(world, { send: { at: 1, fault: 'lost' } });
      const nonce = await anvil.provider.getTransactionCount(world.patient.address);
      await anvil.provider.send('evm_setAutomine', [false]);
      let result: Awaited<ReturnType<typeof restart>>;
      try {
        // The anchor is broadcast, then the app dies: the transaction waits in the pool, not yet mined.
        await expect(
          addRecord(world.patient, { data: note('lost'), metadata: { mediaType: 'text/plain' }, category: 1 }),
        ).rejects.toThrow(/injected/);
        await pooled(world, 1);
        // Resume sees no anchor; the lost one is mined just before resume's own goes out.
        result = await restart(world, {
          race: {
            at: 1,
            run: async () => {
              await anvil.provider.send('evm_mine', []);
              await anvil.provider.send('evm_setAutomine', [true]);
            },
          },
        });
      } finally {
        await anvil.provider.send('evm_setAutomine', [true]);
      }
      // Refused at its estimate: resume's anchor was never broadcast.
      expect(await anvil.provider.getTransactionCount(world.patient.address)).toBe(nonce + 1);
      expect(result.finished.map((a) => [a.kind, a.step])).toEqual([['addRecord', 'stored']]);
      expect(result.rolledBack).toEqual([]);
      expect(result.failed).toEqual([]);
      expect(await anchoredCount(world)).toBe(1);
      await assertInvariant(world);
      const [record] = await recordsOf(world.patient, world.patient.address);
      expect(await storage.store.isPinned(record!.versions[0]!.cid)).toBe(true);
      await expect(readRecord(world.patient, { cid: record!.versions[0]!.cid })).resolves.toBeDefined();
    },
  );

  anvilTest(
    'the wallet refuses the anchor resume sends: reported, kept at stored and pinned; the next resume anchors it',
    async ({ anvil, mhrChain }) => {
      const world = await setUp(anvil, mhrChain);
      const stored = await storedUnanchored(world, 'refused twice');
      const first = await restart(world, { send: { at: 1, fault: 'refuse' } });
      expect(first.failed.map((f) => [f.action.kind, f.action.step])).toEqual([['addRecord', 'stored']]);
      expect(first.failed[0]!.error).toBeInstanceOf(PendingActionError);
      expect(first.failed[0]!.error.walk()).toBeInstanceOf(Error);
      expect(first.failed[0]!.error.message).toMatch(/injected: the wallet refused/);
      expect(first.finished).toEqual([]);
      expect(first.rolledBack).toEqual([]);
      expect(first.unpinned).toEqual([]);
      expect((await pendingActions(world.patient)).map((a) => [a.kind, a.step])).toEqual([['addRecord', 'stored']]);
      expect(await storage.store.isPinned(stored)).toBe(true);
      expect(await anchoredCount(world)).toBe(0);
      const second = await restart(world);
      expect(second.finished.map((a) => a.kind)).toEqual(['addRecord']);
      expect(await anchoredCount(world)).toBe(1);
      await assertInvariant(world);
    },
  );
});
