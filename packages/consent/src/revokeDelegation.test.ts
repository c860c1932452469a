import { ContractRevertError, DelegationStatus } from '@mhrchain/contracts';
import { anvilTest } from '@mhrchain/contracts/testing';
import { DecryptionError, type HeliaStorage } from '@mhrchain/core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { setUpWorld, startStore } from '../test/fixtures.js';
import { addRecord } from './addRecord.js';
import { approveDelegation } from './approveDelegation.js';
import { getTimeline } from './getTimeline.js';
import { grantAccess } from './grantAccess.js';
import { pendingActions } from './internal/journal.js';
import { listReadableRecords } from './listReadableRecords.js';
import { listRecords } from './listRecords.js';
import { readRecord } from './readRecord.js';
import { requestDelegation } from './requestDelegation.js';
import { resumePendingActions } from './resumePendingActions.js';
import { revokeDelegation } from './revokeDelegation.js';
import { verifyAccess } from './verifyAccess.js';

let storage: { store: HeliaStorage; stop: () => Promise<void> };
beforeAll(async () => {
  storage = await startStore();
});
afterAll(async () => {
  await storage.stop();
});

/**
 * A patient with two records (categories 1 and 2), doctor A granted everything, and A's colleague delegated
 * category 1 (the ECG record) with the patient's approval.
 */
async function delegatedWorld(anvil: Parameters<typeof setUpWorld>[0], mhrChain: Parameters<typeof setUpWorld>[1]) {
  const world = await setUpWorld(anvil, mhrChain, storage.store);
  const { patient, doctorA, colleague } = world;
  const now = (await anvil.provider.getBlock('latest'))!.timestamp;
  const ecg = await addRecord(patient, {
    data: new Uint8Array([1]),
    metadata: { mediaType: 'text/plain' },
    category: 1,
  });
  const lab = await addRecord(patient, {
    data: new Uint8Array([2]),
    metadata: { mediaType: 'text/plain' },
    category: 2,
  });
  await grantAccess(patient, { doctor: doctorA.address, scope: { kind: 'all' }, expiresAt: now + 86_400 });
  await requestDelegation(doctorA, {
    patient: patient.address,
    colleague: colleague.address,
    scope: { kind: 'category', category: 1 },
    expiresAt: now + 3600,
  });
  await approveDelegation(patient, { colleague: colleague.address });
  return { ...world, ecg, lab };
}

describe('revokeDelegation', () => {
  anvilTest(
    'ends the colleague’s access and rotates the delegated records past it; the doctor keeps reading; a second revoke reverts',
    async ({ anvil, mhrChain }) => {
      const { patient, doctorA, colleague, ecg, lab } = await delegatedWorld(anvil, mhrChain);
      expect((await listReadableRecords(colleague)).map((r) => r.recordId)).toEqual([ecg.recordId]);

      const versionsOf = async () => (await listRecords(patient)).map((r) => [r.recordId, r.version]);
      const before = await versionsOf();
      const revoked = await revokeDelegation(patient, { colleague: colleague.address, rotation: 'eager' });
      const delegation = await mhrChain.chain.delegationRegistry.read.delegationOf(patient.address, colleague.address);
      expect(Number(delegation.status)).toBe(DelegationStatus.Revoked);
      expect(await listReadableRecords(colleague)).toEqual([]);
      // Only the delegated record gets a new version, to which the colleague holds no key.
      const ecgVersion = before.find(([id]) => id === ecg.recordId)![1] as number;
      expect(revoked.rotated.map((v) => [v.recordId, v.version])).toEqual([[ecg.recordId, ecgVersion + 1]]);
      await expect(readRecord(colleague, { cid: revoked.rotated[0]!.cid })).rejects.toBeInstanceOf(DecryptionError);
      expect((await readRecord(doctorA, { patient: patient.address, recordId: ecg.recordId })).data).toEqual(
        new Uint8Array([1]),
      );
      expect(await versionsOf()).toEqual(before.map(([id, v]) => [id, id === ecg.recordId ? (v as number) + 1 : v]));
      expect(before.map(([id]) => id)).toEqual([ecg.recordId, lab.recordId]);

      const again = await revokeDelegation(patient, { colleague: colleague.address }).catch((e: unknown) => e);
      expect(again).toBeInstanceOf(ContractRevertError);
      expect((again as ContractRevertError).errorName).toBe('NoDelegation');
    },
  );

  anvilTest(
    'a revoke the chain refuses (the doctor ended the delegation first): NoDelegation, the intent kept unsent, and resume rotates the colleague out without sending it again',
    async ({ anvil, mhrChain }) => {
      const { patient, doctorA, colleague, ecg, lab } = await delegatedWorld(anvil, mhrChain);
      // The doctor ends the delegation from its own app; the patient's app has not seen it yet.
      await doctorA.chain.delegationRegistry.write.revokeDelegation(patient.address, colleague.address, 1);
      const delegationOf = () =>
        mhrChain.chain.delegationRegistry.read.delegationOf(patient.address, colleague.address);
      const ended = await delegationOf();
      expect(Number(ended.status)).toBe(DelegationStatus.Revoked);
      const versionsOf = async () => (await listRecords(patient)).map((r) => [r.recordId, r.version]);
      const before = await versionsOf();

      const error = await revokeDelegation(patient, { colleague: colleague.address }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ContractRevertError);
      expect((error as ContractRevertError).errorName).toBe('NoDelegation');
      // The refused call changed nothing on chain and published nothing; its intent stays in the journal, unsent,
      // naming the delegation it meant to end and the records owed a rotation.
      expect(await delegationOf()).toEqual(ended);
      expect(await versionsOf()).toEqual(before);
      expect(await pendingActions(patient)).toEqual([
        expect.objectContaining({
          kind: 'revokeDelegation',
          step: 'send-failed',
          data: {
            colleague: colleague.address,
            serial: Number(ended.serial),
            records: [ecg.recordId],
            rotation: 'lazy',
          },
        }),
      ]);
      // The colleague still holds the key of the delegated record, which the chain no longer allows.
      expect((await verifyAccess(patient)).map((v) => [v.recordId, v.account, v.reason])).toEqual([
        [ecg.recordId, colleague.address, 'no-access'],
      ]);

      const resumed = await resumePendingActions(patient);
      expect(resumed.finished.map((a) => [a.kind, a.step])).toEqual([['revokeDelegation', 'send-failed']]);
      expect(resumed.rolledBack).toEqual([]);
      // Not sent again: the only revocation on chain is the doctor's, and the delegation is as the doctor left it.
      const revocations = (await getTimeline(patient)).filter((e) => e.kind === 'delegation-revoked');
      expect(revocations.map((e) => e.actor)).toEqual([doctorA.address]);
      expect(await delegationOf()).toEqual(ended);
      // The delegated record is rotated past the colleague; the doctor keeps reading; the other record is untouched.
      expect(await pendingActions(patient)).toEqual([]);
      expect(await verifyAccess(patient)).toEqual([]);
      expect(await versionsOf()).toEqual(before.map(([id, v]) => [id, id === ecg.recordId ? (v as number) + 1 : v]));
      expect(await listReadableRecords(colleague)).toEqual([]);
      const current = (await listRecords(patient)).find((r) => r.recordId === ecg.recordId)!;
      await expect(readRecord(colleague, { cid: current.cid })).rejects.toBeInstanceOf(DecryptionError);
      expect((await readRecord(doctorA, { patient: patient.address, recordId: ecg.recordId })).data).toEqual(
        new Uint8Array([1]),
      );
      expect(before.map(([id]) => id)).toEqual([ecg.recordId, lab.recordId]);

      // Settled: a second resume finds nothing to do.
      expect(await resumePendingActions(patient)).toEqual({ finished: [], rolledBack: [], failed: [], unpinned: [] });
    },
  );
});
