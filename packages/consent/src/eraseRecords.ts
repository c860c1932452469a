import { eraseDag } from '@mhrchain/core';
import type { TransactionReceipt } from 'ethers';
import { CID } from 'multiformats/cid';
import type { ConsentClient } from './client.js';
import { InvalidConsentParametersError } from './errors.js';
import { beginAction, endAction, forgetReaders, markStep } from './internal/journal.js';
import { type ChainRecord, recordsOf } from './internal/records.js';
import { patientAction, type TransactionInfo, transactionInfo } from './internal/transactions.js';
import type { PendingAction } from './journal.js';
import type { Hex } from './scope.js';

/** Parameters of {@link eraseRecords}. */
export interface EraseRecordsParameters {
  /** The records to erase (ids of the client's own records, 1 to 64). */
  recordIds: readonly string[];
}

/** What happened to one erased record's envelopes in the client's store. */
export interface ErasedRecord {
  recordId: Hex;
  /** Every version's envelope CID, oldest first (all of them are gone from the client's store). */
  versions: CID[];
  /**
   * `'deleted'`: every block of every version was removed from the client's store now. `'unpinned'`: the store
   * cannot remove single blocks; the versions are unpinned and their blocks go at its next garbage collection.
   */
  outcome: 'deleted' | 'unpinned';
  /** How many blocks the store still held and removed (or released). */
  blocks: number;
}

/** What {@link eraseRecords} returns: the erasure transaction and what left the store. */
export interface EraseRecordsReturnType extends TransactionInfo {
  records: ErasedRecord[];
}

const MAX_RECORDS = 64;

/**
 * The patient erases records. Steps, each recorded in the journal first:
 * 1. on chain, `RecordErased` for each record (one transaction, relayed when the client has a relayer): from that
 *    block on, no one has access to the records (grants and delegations answer false for them) and they take no new
 *    version; the event, which carries no content, is the audit trail of the erasure;
 * 2. every version the chain lists (the one readers hold keys for included) is removed from the client's store, block
 *    by block, and dropped from the access ledger.
 * A crash between the steps leaves the records erased on chain with blocks still stored: `resumePendingActions`
 * removes them. What this cannot reach: copies outside the client's store (another node, a doctor's own storage or a
 * file it decrypted), and the data keys of versions a reader was given. See the erasure section of the consent
 * protocol for what each case of sharing means.
 *
 * @throws {@link InvalidConsentParametersError} when an id is malformed, repeated, or not a record of the client's
 * account (erased already counts as not found: erasing twice is refused before any transaction).
 * @example
 * ```ts
 * import { type ConsentClient, eraseRecords } from '@mhrchain/consent';
 *
 * declare const patient: ConsentClient;
 * declare const recordId: `0x${string}`;
 * const { records } = await eraseRecords(patient, { recordIds: [recordId] });
 * console.log(records[0]?.outcome); // 'deleted'
 * ```
 */
export async function eraseRecords(
  client: ConsentClient,
  parameters: EraseRecordsParameters,
): Promise<EraseRecordsReturnType> {
  const ids = checkIds(parameters.recordIds);
  const own = new Map((await recordsOf(client, client.address)).map((record) => [record.recordId, record]));
  const missing = ids.filter((id) => !own.has(id));
  if (missing.length > 0)
    throw new InvalidConsentParametersError('Only the records of this account that are not erased can be erased.', {
      details: `not found: ${missing.join(', ')}`,
    });
  const records = ids.map((id) => own.get(id)!);
  const action = await beginAction(client, 'eraseRecords', {
    records: ids,
    versions: records.flatMap((record) => record.versions.map((v) => v.cid.toString())),
  });
  let receipt: TransactionReceipt;
  try {
    receipt = await sendErasure(client, ids);
  } catch (error) {
    // Nothing left the store: resume removes the blocks only if the chain shows the erasure after all.
    await markStep(client, action, 'send-failed');
    throw error;
  }
  await markStep(client, action, 'erased-on-chain');
  const erased = await removeFromStore(client, records);
  await endAction(client, action);
  return { ...(await transactionInfo(client, receipt)), records: erased };
}

function checkIds(recordIds: readonly string[]): Hex[] {
  if (!Array.isArray(recordIds) || recordIds.length === 0 || recordIds.length > MAX_RECORDS)
    throw new InvalidConsentParametersError(`Erase 1 to ${MAX_RECORDS} records at a time.`);
  const ids = recordIds.map((id) => {
    if (typeof id !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(id))
      throw new InvalidConsentParametersError('A record id is 32 bytes of hex.', { details: String(id) });
    return id.toLowerCase() as Hex;
  });
  if (new Set(ids).size !== ids.length) throw new InvalidConsentParametersError('A record id is listed twice.');
  return ids;
}

function sendErasure(client: ConsentClient, recordIds: Hex[]): Promise<TransactionReceipt> {
  return patientAction(client, 'EraseRecords', { patient: client.address, recordIds }, () =>
    client.chain.recordRegistry.write.eraseRecords(recordIds),
  );
}

/** Removes every version of each record from the client's store and the ledger (idempotent). */
async function removeFromStore(client: ConsentClient, records: readonly ChainRecord[]): Promise<ErasedRecord[]> {
  const out: ErasedRecord[] = [];
  for (const record of records) {
    let blocks = 0;
    let outcome: ErasedRecord['outcome'] = 'deleted';
    // Newest first: the versions share their payload, which goes with the first version erased.
    for (const version of [...record.versions].reverse()) {
      const result = await eraseDag(client.store, version.cid);
      blocks += result.found.length;
      if (result.outcome === 'unpinned') outcome = 'unpinned';
      await forgetReaders(client, version.cid);
    }
    out.push({ recordId: record.recordId, versions: record.versions.map((v) => v.cid), outcome, blocks });
  }
  return out;
}

/**
 * Resumes an interrupted erasure: sends it when the crash came before the transaction (the patient asked for it), and
 * removes the blocks of every record the chain shows erased. A call that failed at its chain step and never landed is
 * dropped (nothing left the store; the caller saw the error).
 */
export async function resumeEraseRecords(
  client: ConsentClient,
  action: PendingAction,
): Promise<'finished' | 'rolledBack'> {
  const ids = new Set(action.data.records as string[]);
  const records = (await recordsOf(client, client.address, { includeErased: true })).filter((r) => ids.has(r.recordId));
  const pending = records.filter((record) => !record.erased).map((record) => record.recordId);
  let sent = false;
  if (pending.length > 0) {
    if (action.step === 'send-failed') return 'rolledBack';
    if (action.step === 'intent') {
      await sendErasure(client, pending);
      await markStep(client, action, 'erased-on-chain');
      sent = true;
    }
  }
  await removeFromStore(
    client,
    records.filter((record) => record.erased || sent),
  );
  // Versions journalled at the intent that the chain no longer lists (none expected) are released too.
  for (const cid of action.data.versions as string[]) await forgetReaders(client, CID.parse(cid));
  return 'finished';
}
