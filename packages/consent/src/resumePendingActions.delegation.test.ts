/**
 * Crash points of the journalled delegation actions (approve, revoke): after each, a restarted app calls
 * resumePendingActions, and the access invariant must hold. See resumePendingActions.test.ts for the other actions.
 */
import { DelegationStatus, isContractRevert, scopeCategory, TransactionRevertedError } from '@mhrchain/contracts';
import { anvilTest } from '@mhrchain/contracts/testing';
import { describe, expect } from 'vitest';
import {
  assertInvariant,
  type Fault,
  farFuture,
  note,
  patientApp,
  restart,
  setUp,
  useCrashWorld,
} from '../test/crashWorld.js';
import { abandoned } from '../test/faults.js';
import { addRecord } from './addRecord.js';
import { approveDelegation } from './approveDelegation.js';
import { getTimeline } from './getTimeline.js';
import { grantAccess } from './grantAccess.js';
import { pendingActions } from './internal/journal.js';
import { recordsOf } from './internal/records.js';
import { readRecord } from './readRecord.js';
import { requestDelegation } from './requestDelegation.js';
import { revokeDelegation } from './revokeDelegation.js';
import { verifyAccess } from './verifyAccess.js';

useCrashWorld();

describe('delegation crash points', () => {
  async function delegated(world: Awaited<ReturnType<typeof setUp>>) {
    for (const category of [1, 2])
      await addRecord(world.patient, { data: note(`r${category}`), metadata: { mediaType: 'text/plain' }, category });
    const expiresAt = await farFuture(world);
    await grantAccess(world.patient, { doctor: world.doctorA.address, scope: { kind: 'all' }, expiresAt });
    await requestDelegation(world.doctorA, {
      patient: world.patient.address,
      colleague: world.doctorB.address,
      scope: { kind: 'category', category: 1 },
      expiresAt,
    });
  }

  const colleagueReads = async (world: Awaited<ReturnType<typeof setUp>>) => {
    const record = (await recordsOf(world.patient, world.patient.address)).find((r) => r.category === 1)!;
    return readRecord(world.doctorB, { cid: record.versions.at(-1)!.cid }).then(
      () => true,
      () => false,
    );
  };

  const approvals: { name: string; fault: Fault; approved: boolean }[] = [
    { name: 'the wallet refuses the approval', fault: { send: { at: 1, fault: 'refuse' } }, approved: false },
    { name: 'killed before the approval is sent', fault: { send: { at: 1, fault: 'kill' } }, approved: false },
    { name: 'the approval is lost after broadcast', fault: { send: { at: 1, fault: 'lost' } }, approved: true },
    { name: 'the key release is refused', fault: { send: { at: 2, fault: 'refuse' } }, approved: true },
    { name: 'killed before the key release is sent', fault: { send: { at: 2, fault: 'kill' } }, approved: true },
  ]; // biome-ignore format: table

  for (const { name, fault, approved } of approvals)
    anvilTest(
      `approving, ${name}: ${approved ? 'release finished' : 'nothing released'} on resume`,
      async ({ anvil, mhrChain }) => {
        const world = await setUp(anvil, mhrChain);
        await delegated(world);
        world.patient = await patientApp(world, fault);
        const call = approveDelegation(world.patient, { colleague: world.doctorB.address });
        if (fault.send?.fault === 'kill') expect(await abandoned(call)).toBe('pending');
        else await expect(call).rejects.toThrow(/injected/);
        expect((await verifyAccess(world.patient)).filter((v) => v.reason === 'no-access')).toEqual([]);
        expect(await colleagueReads(world)).toBe(false);
        await restart(world);
        await assertInvariant(world);
        expect(await colleagueReads(world)).toBe(approved);
      },
    );

  const revocations: { name: string; fault: Fault; revoked: boolean }[] = [
    { name: 'the wallet refuses the revoke', fault: { send: { at: 1, fault: 'refuse' } }, revoked: false },
    { name: 'killed before the revoke is sent', fault: { send: { at: 1, fault: 'kill' } }, revoked: true },
    { name: 'the revoke is lost after broadcast', fault: { send: { at: 1, fault: 'lost' } }, revoked: true },
    { name: 'the rotation is refused', fault: { send: { at: 2, fault: 'refuse' } }, revoked: true },
    { name: 'killed before the rotation is sent', fault: { send: { at: 2, fault: 'kill' } }, revoked: true },
  ]; // biome-ignore format: table

  for (const { name, fault, revoked } of revocations)
    anvilTest(
      `revoking a delegation, ${name}: ${revoked ? 'rotated' : 'still delegated'} on resume`,
      async ({ anvil, mhrChain }) => {
        const world = await setUp(anvil, mhrChain);
        await delegated(world);
        await approveDelegation(world.patient, { colleague: world.doctorB.address });
        world.patient = await patientApp(world, fault);
        const call = revokeDelegation(world.patient, { colleague: world.doctorB.address });
        if (fault.send?.fault === 'kill') expect(await abandoned(call)).toBe('pending');
        else await expect(call).rejects.toThrow(/injected/);
        await restart(world);
        await assertInvariant(world);
        expect(await colleagueReads(world)).toBe(!revoked);
        // The doctor keeps its own grant throughout.
        const record = (await recordsOf(world.patient, world.patient.address)).find((r) => r.category === 1)!;
        await expect(readRecord(world.doctorA, { cid: record.versions.at(-1)!.cid })).resolves.toBeDefined();
      },
    );

  anvilTest(
    'revoking a delegation, the revoke mined reverted (the doctor ended it in the same block): settled on resume, rotated, not sent again',
    async ({ anvil, mhrChain }) => {
      const world = await setUp(anvil, mhrChain);
      await delegated(world);
      await approveDelegation(world.patient, { colleague: world.doctorB.address });
      world.patient = await patientApp(world);
      const { patient, doctorA, doctorB } = world;
      const pooled = async (count: number) => {
        for (let tries = 0; tries < 250; tries++) {
          const { pending } = await anvil.provider.send('txpool_status', []);
          if (Number(BigInt(pending)) >= count) return;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        throw new Error(`fewer than ${count} transactions reached the pool`);
      };
      // The patient's revoke passes its gas estimate and waits in the pool; the doctor's own revoke of the same
      // delegation, paying a higher tip, is mined before it in the same block, so the patient's reverts on chain.
      await anvil.provider.send('evm_setAutomine', [false]);
      let call: Promise<unknown>;
      try {
        call = revokeDelegation(patient, { colleague: doctorB.address }).catch((e: unknown) => e);
        await pooled(1);
        await doctorA.chain.delegationRegistry.contract
          .getFunction('revokeDelegation')
          .send(patient.address, doctorB.address, 1, {
            gasLimit: 200_000n,
            maxPriorityFeePerGas: 10n ** 10n,
            maxFeePerGas: 10n ** 11n,
          });
        await pooled(2);
        await anvil.provider.send('evm_mine', []);
      } finally {
        await anvil.provider.send('evm_setAutomine', [true]);
      }
      const error = await call;
      // The mined revert is decoded (the call replayed at its block): the doctor's revoke ended the delegation first.
      expect(isContractRevert(error, 'NoDelegation')).toBe(true);
      expect((error as Error).cause).toBeInstanceOf(TransactionRevertedError);
      const block = (await anvil.provider.getBlock('latest', true))!;
      const statuses = await Promise.all(
        block.prefetchedTransactions.map(async (tx) => [
          tx.from,
          (await anvil.provider.getTransactionReceipt(tx.hash))!.status,
        ]),
      );
      expect(statuses).toEqual([
        [doctorA.address, 1],
        [patient.address, 0],
      ]);
      const delegationOf = () => mhrChain.chain.delegationRegistry.read.delegationOf(patient.address, doctorB.address);
      const ended = await delegationOf();
      expect(Number(ended.status)).toBe(DelegationStatus.Revoked);
      // The reverted call leaves its intent unsent; the colleague still holds the key the chain no longer allows.
      expect((await pendingActions(patient)).map((a) => [a.kind, a.step])).toEqual([
        ['revokeDelegation', 'send-failed'],
      ]);
      expect((await verifyAccess(patient)).map((v) => [v.account, v.reason])).toEqual([[doctorB.address, 'no-access']]);
      expect(await colleagueReads(world)).toBe(true);

      const { finished, rolledBack } = await restart(world);
      expect(finished.map((a) => [a.kind, a.step])).toEqual([['revokeDelegation', 'send-failed']]);
      expect(rolledBack).toEqual([]);
      await assertInvariant(world);
      expect(await colleagueReads(world)).toBe(false);
      // Not sent again: the doctor's revocation is the only one, and the delegation is as the doctor left it.
      const revocations = (await getTimeline(world.patient)).filter((e) => e.kind === 'delegation-revoked');
      expect(revocations.map((e) => e.actor)).toEqual([doctorA.address]);
      expect(await delegationOf()).toEqual(ended);
      const record = (await recordsOf(world.patient, world.patient.address)).find((r) => r.category === 1)!;
      await expect(readRecord(doctorA, { cid: record.versions.at(-1)!.cid })).resolves.toBeDefined();
    },
  );

  anvilTest(
    "revoking a delegation, killed before the revoke is sent; the doctor replaces the delegation between resume's look and its send (DelegationMismatch): settled, the newer request kept",
    async ({ anvil, mhrChain }) => {
      const world = await setUp(anvil, mhrChain);
      await delegated(world);
      await approveDelegation(world.patient, { colleague: world.doctorB.address });
      world.patient = await patientApp(world, { send: { at: 1, fault: 'kill' } });
      const call = revokeDelegation(world.patient, { colleague: world.doctorB.address });
      expect(await abandoned(call)).toBe('pending');
      const [action] = await pendingActions(world.patient);
      expect([action!.kind, action!.step, action!.data.serial]).toEqual(['revokeDelegation', 'intent', 1]);
      const { doctorA, doctorB } = world;
      // The same terms again (within the doctor's grant): a new serial is all that differs.
      const { expiresAt } = await mhrChain.chain.delegationRegistry.read.delegationOf(
        world.patient.address,
        doctorB.address,
      );
      const { finished, rolledBack, failed } = await restart(world, {
        // The doctor withdraws delegation 1 and asks again (delegation 2) right before resume's revoke goes out.
        race: {
          at: 1,
          run: async () => {
            const registry = doctorA.chain.delegationRegistry.write;
            await registry.revokeDelegation(world.patient.address, doctorB.address, 1);
            await registry.requestDelegation(world.patient.address, doctorB.address, scopeCategory(1), expiresAt);
          },
        },
      });
      expect(finished.map((a) => a.kind)).toEqual(['revokeDelegation']);
      expect(rolledBack).toEqual([]);
      expect(failed).toEqual([]);
      await assertInvariant(world);
      // The request that replaced it is still pending, for the patient to decide on.
      const now = await mhrChain.chain.delegationRegistry.read.delegationOf(world.patient.address, doctorB.address);
      expect([now.serial, Number(now.status)]).toEqual([2n, DelegationStatus.Pending]);
      const revocations = (await getTimeline(world.patient)).filter((e) => e.kind === 'delegation-revoked');
      expect(revocations.map((e) => e.actor)).toEqual([doctorA.address]);
      expect(await colleagueReads(world)).toBe(false);
    },
  );
});
