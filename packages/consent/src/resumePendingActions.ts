import { GrantStatus } from '@mhrchain/contracts';
import { rewrapEnvelope } from '@mhrchain/core';
import { getAddress } from 'ethers';
import { CID } from 'multiformats/cid';
import type { ConsentClient } from './client.js';
import { resumeEraseRecords } from './eraseRecords.js';
import { AnchorNotSettledError, PendingActionError } from './errors.js';
import { anchorStoredRecord, isAnchored, recordIdOf } from './internal/anchorRecord.js';
import { delegationApproved } from './internal/delegationState.js';
import { dropVersion } from './internal/dropVersion.js';
import { finishGrant, grantLanded } from './internal/grant.js';
import { endAction, forgetReaders, markStep, pendingActions, recordReaders } from './internal/journal.js';
import { type Rotation, releaseTo, rotateRecords } from './internal/publish.js';
import { readersForCategory } from './internal/readers.js';
import { reconcileRecords } from './internal/reconcile.js';
import { recordsOf } from './internal/records.js';
import { encryptionKeyOf, grantOf } from './internal/state.js';
import { patientAction } from './internal/transactions.js';
import type { PendingAction } from './journal.js';
import type { AccessScope } from './scope.js';

/** What {@link resumePendingActions} did. */
export interface ResumePendingActionsReturnType {
  /** Actions carried through to their end (a record anchored, a key release or rotation finished). */
  finished: PendingAction[];
  /** Actions undone because their first decisive step never happened (nothing of them is left pinned). */
  rolledBack: PendingAction[];
  /**
   * Actions a step of which failed again (a refused or unfunded wallet, a provider or store down, a transaction the
   * chain refused while its state does not settle the action): each stays in the journal at the step it reached, what
   * it stored stays pinned, and the next resume tries it again. The other actions are settled regardless.
   */
  failed: FailedPendingAction[];
  /** Envelope CIDs unpinned: versions stored but never anchored, and superseded versions still pinned. */
  unpinned: CID[];
}

/** An action {@link resumePendingActions} could not settle in this run, and why. */
export interface FailedPendingAction {
  /** The action, as the journal keeps it. */
  action: PendingAction;
  /** What failed, as its `cause` (`walk()` reaches the deepest error). */
  error: PendingActionError;
}

/** The first of `cids` anchored as a record of the client's patient. */
async function anchoredAmong(client: ConsentClient, cids: readonly CID[]): Promise<CID | undefined> {
  for (const cid of cids) if (await isAnchored(client, recordIdOf(client.address, cid))) return cid;
  return undefined;
}

/**
 * Settles an addRecord whose anchor landed for the envelopes `landed` (of all the envelopes `sent` it stored: its first
 * and those re-wraps made). The others are released: no anchor of them can land any more once the account has
 * nothing pending. A landed record encrypted to a reader the chain no longer allows (an anchor mined after the reader
 * lost access, its envelope public from then on) is rotated under a fresh data key; when two landed, both are, as
 * they share one payload and its key.
 */
async function keepLanded(client: ConsentClient, sent: readonly CID[], landed: readonly CID[]): Promise<'finished'> {
  const others = sent.filter((cid) => !landed.some((kept) => kept.equals(cid)));
  if (others.length > 0) await assertNoPendingSends(client, others[0]!);
  for (const cid of others) {
    await client.store.unpin?.(cid);
    await forgetReaders(client, cid);
  }
  for (const cid of landed) await client.store.pin?.(cid);
  const ids = new Set(landed.map((cid) => recordIdOf(client.address, cid)));
  const records = (await recordsOf(client, client.address)).filter((record) => ids.has(record.recordId));
  if (records.length > 1) await rotateRecords(client, records, 'eager');
  else await reconcileRecords(client, records, 'eager');
  return 'finished';
}

/**
 * Throws {@link AnchorNotSettledError} while the node holds unmined transactions of the account (a direct wallet): one
 * of them may be an earlier anchor of the record. Relayed anchors share the record registry's signature nonce with the
 * one resume sends, so at most one of them is mined.
 */
async function assertNoPendingSends(client: ConsentClient, cid: CID): Promise<void> {
  if (client.relayerChain) return;
  const [mined, pending] = await Promise.all([
    client.provider.getTransactionCount(client.address, 'latest'),
    client.provider.getTransactionCount(client.address, 'pending'),
  ]);
  if (pending > mined) throw new AnchorNotSettledError({ cid: cid.toString(), pending: pending - mined });
}

/**
 * Anchors a stored, unanchored record, first re-wrapping it when a reader it was encrypted to lost access. Every
 * envelope an anchor of the action was sent for stays in `data.replaced` until the action ends: whichever of them
 * lands is the record, and none is anchored again after another landed.
 */
async function resumeAddRecord(client: ConsentClient, action: PendingAction): Promise<'finished' | 'rolledBack'> {
  let cid = CID.parse(action.data.cid as string);
  const category = action.data.category as number;
  const replaced = ((action.data.replaced as string[] | undefined) ?? []).map((text) => CID.parse(text));
  const landed = await anchoredAmong(client, [cid, ...replaced]);
  if (landed) return keepLanded(client, [cid, ...replaced], [landed]);
  if (action.step === 'intent') {
    // Its blocks may be partly stored: release the envelope (garbage collection takes the blocks).
    await client.store.unpin?.(cid);
    return 'rolledBack';
  }
  const readers = (action.data.readers as string[]).map((account) => getAddress(account));
  const allowed = new Set(await readersForCategory(client, client.address, category));
  if (readers.some((account) => !allowed.has(account))) {
    // An anchor sent for this envelope before the crash may still be mined; re-wrapping now could anchor the record
    // twice. Wait until the node holds none, and look again: it may have landed meanwhile.
    await assertNoPendingSends(client, cid);
    const meanwhile = await anchoredAmong(client, [cid, ...replaced]);
    if (meanwhile) return keepLanded(client, [cid, ...replaced], [meanwhile]);
    const keep = readers.filter((account) => allowed.has(account));
    const recipients = [client.identity.publicKey];
    for (const account of keep) recipients.push(await encryptionKeyOf(client, account));
    const rewrapped = await rewrapEnvelope({
      header: await client.store.get(cid),
      identity: client.identity,
      recipients,
    });
    await client.store.put(rewrapped.cid, rewrapped.header);
    await client.store.pin?.(rewrapped.cid);
    await recordReaders(client, rewrapped.cid, keep);
    // The replaced envelope stays pinned while the action is pending: an anchor of it may still land, and is rotated.
    replaced.push(cid);
    await markStep(client, action, 'stored', {
      cid: rewrapped.cid.toString(),
      readers: keep,
      replaced: replaced.map((text) => text.toString()),
    });
    cid = rewrapped.cid;
  }
  try {
    await anchorStoredRecord(client, cid, category);
  } catch (error) {
    // Refused, whether at its estimate (RecordAlreadyAnchored, a nonce taken) or mined reverted, because an anchor of
    // this action is there already (one lost after broadcast, mined meanwhile): the record is added. Anything else
    // (refused, unfunded, provider down) may pass next time: the journal keeps it at `stored`.
    const there = await anchoredAmong(client, [cid, ...replaced]);
    if (!there) throw error;
    return keepLanded(client, [cid, ...replaced], [there]);
  }
  // Encrypted to readers the chain allows (looked at above): nothing to rotate unless an earlier envelope was replaced.
  if (replaced.length === 0) {
    await client.store.pin?.(cid);
    return 'finished';
  }
  // An earlier anchor mined in the moment between the look above and this anchor's send: both records stand, both
  // rotated under fresh keys.
  const alsoLanded = [];
  for (const earlier of replaced) if (await anchoredAmong(client, [earlier])) alsoLanded.push(earlier);
  return keepLanded(client, [cid, ...replaced], [cid, ...alsoLanded]);
}

/** Finishes the key release of a grant that landed; drops the intent of one that did not. */
async function resumeGrant(client: ConsentClient, action: PendingAction): Promise<'finished' | 'rolledBack'> {
  const doctor = action.data.doctor as string;
  const scope = action.data.scope as unknown as AccessScope;
  const expiresAt = action.data.expiresAt as number;
  if (action.step !== 'granted' && !(await grantLanded(client, doctor, scope, expiresAt))) return 'rolledBack';
  await finishGrant(client, doctor, scope, action.data.previousScope as unknown as AccessScope | undefined);
  return 'finished';
}

/** Sends the revoke if it never landed, then rotates whatever the doctor (or its colleagues) can still open. */
async function resumeRevoke(client: ConsentClient, action: PendingAction): Promise<'finished'> {
  const doctor = action.data.doctor as string;
  const serial = action.data.serial as number;
  const grant = await grantOf(client, client.address, doctor);
  // Only the grant the patient meant to end: a grant given after the crash (another serial) stays.
  if (action.step === 'intent' && Number(grant.status) === GrantStatus.Active && Number(grant.serial) === serial) {
    try {
      await patientAction(client, 'RevokeAccess', { patient: client.address, doctor, serial }, () =>
        client.chain.consentManager.write.revokeAccess(doctor, serial),
      );
    } catch (error) {
      // Refused because the grant it names ended meanwhile: the patient's other device revoked it first
      // (NoActiveGrant) or granted again (GrantSerialMismatch: the newer grant stays, the revoke names only this
      // one), or landed despite the error. The rotation settles it all the same, and rotates only what the chain no
      // longer allows (nothing, when the doctor holds the newer grant). The grant it names still live keeps the
      // revoke owed.
      const now = await grantOf(client, client.address, doctor);
      if (Number(now.status) === GrantStatus.Active && Number(now.serial) === serial) throw error;
    }
    await markStep(client, action, 'revoked');
  }
  await reconcileListed(client, action);
  return 'finished';
}

/** Finishes the key release of a delegation approval that landed; drops the intent of one that did not. */
async function resumeApproveDelegation(
  client: ConsentClient,
  action: PendingAction,
): Promise<'finished' | 'rolledBack'> {
  const colleague = action.data.colleague as string;
  if (action.step !== 'approved' && !(await delegationApproved(client, colleague, action.data.serial as number)))
    return 'rolledBack';
  await releaseTo(client, colleague, action.data.scope as unknown as AccessScope);
  return 'finished';
}

/** Sends the delegation revoke if it never landed, then rotates what the colleague can still open. */
async function resumeRevokeDelegation(client: ConsentClient, action: PendingAction): Promise<'finished'> {
  const colleague = action.data.colleague as string;
  const serial = action.data.serial as number | undefined;
  if (action.step === 'intent' && serial !== undefined && (await delegationApproved(client, colleague, serial))) {
    try {
      await patientAction(client, 'RevokeDelegation', { patient: client.address, colleague, serial }, () =>
        client.chain.delegationRegistry.write.revokeDelegation(client.address, colleague, serial),
      );
    } catch (error) {
      // Refused because the delegation it names ended meanwhile (the doctor withdrew it: NoDelegation, or it was
      // replaced by a newer one: DelegationMismatch, which the revoke never ends), or landed despite the error: the
      // rotation settles it. The delegation it names still approved keeps the revoke owed.
      if (await delegationApproved(client, colleague, serial)) throw error;
    }
    await markStep(client, action, 'revoked');
  }
  await reconcileListed(client, action);
  return 'finished';
}

/** Rotates, among the records an action listed, those whose current version gives access the chain does not. */
async function reconcileListed(client: ConsentClient, action: PendingAction): Promise<void> {
  const ids = new Set(action.data.records as string[]);
  const records = (await recordsOf(client, client.address)).filter((record) => ids.has(record.recordId));
  await reconcileRecords(client, records, action.data.rotation as Rotation);
}

/**
 * Finishes or safely rolls back every action the journal shows as interrupted (a crash, a closed tab, a refused
 * transaction, a chain outage), oldest first, then releases pins the interrupted actions left behind. Call it when
 * the app starts, before anything else. Each step is idempotent: calling it again, or after a crash during it, is
 * safe.
 *
 * - `addRecord`: anchored already → done; stored but not anchored → anchored (re-wrapped first if a reader lost
 *   access meanwhile); not completely stored → released. An anchor the chain refuses because the record is there
 *   already (an anchor lost after broadcast and mined meanwhile) counts as done. An anchor of an envelope encrypted to
 *   a reader who lost access that lands late (before or after a re-wrap) is kept as the record, re-encrypted under a
 *   fresh data key; re-wrapping waits (`AnchorNotSettledError` in `failed`) while the wallet has transactions pending.
 *   See "An anchor that outlives the app" in the consent protocol guide.
 * - `grantAccess`: the grant landed → the key release (and the narrowing rotation) is finished; it did not → dropped,
 *   nothing was released.
 * - `revokeAccess`: the revoke is sent if the app stopped before sending it (and the grant it names is still the live
 *   one), then the affected records are rotated where the chain no longer allows a reader. A revoke whose sending
 *   failed (refused, reverted, lost) is not sent again; if it landed anyway, the rotation is done. A revoke resume
 *   sends that the chain refuses because the grant ended meanwhile (another device revoked it: `NoActiveGrant`, or
 *   granted again: `GrantSerialMismatch`) is settled the same way; the revoke names the grant it meant to end, so it
 *   never ends a newer grant, and the rotation leaves a doctor the chain still grants as it is.
 * - `approveDelegation`: the approval landed → the key release to the colleague is finished; it did not → dropped.
 * - `revokeDelegation`: the revoke is sent if the app stopped before sending it (and the delegation it names is
 *   still approved), then the delegated records are rotated where the chain no longer allows the colleague. A revoke
 *   whose sending failed (refused, reverted, lost) is not sent again; if the delegation ended anyway (the revoke
 *   landed, or the doctor ended it first: the usual reason a patient's revoke reverts), the rotation is done. A revoke
 *   resume sends that the chain refuses because the delegation it names ended or was replaced meanwhile
 *   (`NoDelegation`, `DelegationMismatch`) is settled the same way: it names its delegation, so never ends a newer one.
 * - `eraseRecords`: the erasure is sent if the app stopped before sending it (for the records the chain does not show
 *   erased yet), then every version of each record the chain shows erased is removed from the store and the ledger.
 *   An erasure whose sending failed and that never landed is dropped (nothing left the store).
 *
 * A call that failed at its chain step leaves its intent in the journal (the transaction may still land): the next
 * resume settles it from what the chain shows, and removes it.
 *
 * Each action is settled on its own. One whose step fails again during resume (a refused or unfunded wallet, a
 * provider or store down) stays in the journal at the step it reached, with what it stored still pinned, and is
 * reported in `failed` with a {@link PendingActionError}; the actions after it and the pin clean-up still run, and
 * the next resume tries it again. Resume itself throws only when the journal cannot be listed or the pin clean-up
 * fails (the chain or the store unreachable).
 *
 * @example
 * ```ts
 * import { type ConsentClient, resumePendingActions } from '@mhrchain/consent';
 *
 * declare const patient: ConsentClient; // created with a durable journal
 * const { finished, rolledBack, failed } = await resumePendingActions(patient);
 * for (const { action, error } of failed) console.warn(`${action.kind} still pending:`, error.details);
 * ```
 */
export async function resumePendingActions(client: ConsentClient): Promise<ResumePendingActionsReturnType> {
  const result: ResumePendingActionsReturnType = { finished: [], rolledBack: [], failed: [], unpinned: [] };
  for (const action of await pendingActions(client)) {
    const resume = {
      addRecord: resumeAddRecord,
      grantAccess: resumeGrant,
      revokeAccess: resumeRevoke,
      approveDelegation: resumeApproveDelegation,
      revokeDelegation: resumeRevokeDelegation,
      eraseRecords: resumeEraseRecords,
    }[action.kind];
    try {
      const outcome = await resume(client, action);
      await endAction(client, action);
      result[outcome].push(action);
    } catch (error) {
      // Settled on its own: this action stays in the journal for the next resume; the others go on.
      result.failed.push({ action, error: new PendingActionError({ action, cause: error }) });
    }
  }
  // What a kept action stored is not an orphan: an addRecord still owed its anchor keeps its envelopes pinned (the one
  // it will anchor, and those a re-wrap replaced, whose earlier anchor may still land).
  const kept = new Set(
    result.failed
      .filter(({ action }) => action.kind === 'addRecord')
      .flatMap(({ action }) => [action.data.cid as string, ...((action.data.replaced as string[] | undefined) ?? [])]),
  );
  result.unpinned = await releaseOrphanPins(client, kept);
  return result;
}

/**
 * Unpins every version in the ledger that is not the current version of an anchored record (a version stored for an
 * anchor that never happened, or a superseded one whose unpin a crash cut off), and drops it from the ledger.
 */
async function releaseOrphanPins(client: ConsentClient, kept: ReadonlySet<string>): Promise<CID[]> {
  const records = await recordsOf(client, client.address);
  const current = new Set(records.map((r) => r.versions.at(-1)!.cid.toString()));
  // Each anchored version's record's current version: a superseded one is dropped like the flows drop it.
  const successor = new Map<string, CID>();
  for (const record of records)
    for (const version of record.versions) successor.set(version.cid.toString(), record.versions.at(-1)!.cid);
  const unpinned: CID[] = [];
  for (const key of await client.journal.keys('readers/')) {
    const cid = CID.parse(key.slice('readers/'.length));
    if (current.has(cid.toString()) || kept.has(cid.toString())) continue;
    if (await client.store.isPinned?.(cid)) {
      await client.store.unpin?.(cid);
      unpinned.push(cid);
    }
    // A version never anchored may share its payload with the one that was (a re-wrap on resume): unpinned only.
    const next = successor.get(cid.toString());
    try {
      if (next) await dropVersion(client, cid, next);
    } catch {
      continue; // the store failed the clean-up: kept in the ledger for the next resume
    }
    await forgetReaders(client, cid);
  }
  return unpinned;
}
