import { encryptRecord, type RecordMetadataInput } from '@mhrchain/core';
import type { CID } from 'multiformats/cid';
import type { ConsentClient } from './client.js';
import { InvalidConsentParametersError } from './errors.js';
import { anchorStoredRecord, recordIdOf } from './internal/anchorRecord.js';
import { beginAction, endAction, forgetReaders, markStep, recordReaders } from './internal/journal.js';
import { readersForCategory } from './internal/readers.js';
import { encryptionKeyOf } from './internal/state.js';
import { type TransactionInfo, transactionInfo } from './internal/transactions.js';
import type { Hex } from './scope.js';

/** Parameters of {@link addRecord}. */
export interface AddRecordParameters {
  /** The record: a PDF, an image, FHIR JSON, … as bytes or a `Blob`/`File`. */
  data: Uint8Array | Blob;
  /** What the record says about itself (encrypted inside the envelope, never on chain). */
  metadata: RecordMetadataInput;
  /** Non-identifying category code (application-defined, 0–65535), the only thing about the record on chain. */
  category: number;
  /** Called as the record is encrypted, stored and anchored (for a progress bar). */
  onProgress?: (progress: AddRecordProgress) => void;
  /**
   * Cancels the upload until its anchor is sent: what was stored is removed again (unpinned, and its blocks deleted
   * where the store can) and the call throws the signal's reason. Once the anchor is sent, the record is added.
   */
  signal?: AbortSignal;
}

/** Where {@link addRecord} is. */
export interface AddRecordProgress {
  /** `encrypting` the plaintext, `storing` its blocks, `anchoring` the CID on chain. */
  phase: 'encrypting' | 'storing' | 'anchoring';
  /** Bytes done in this phase: plaintext bytes while encrypting, block bytes while storing (0 while anchoring). */
  done: number;
  /** Bytes this phase handles in all. */
  total: number;
}

/** What {@link addRecord} returns. */
export interface AddRecordReturnType extends TransactionInfo {
  /** The record id (stable across versions). */
  recordId: Hex;
  /** The envelope CID anchored on chain. */
  cid: CID;
  /** CID of the encrypted payload. */
  payloadCid: CID;
  /** Accounts besides the patient that can open it from the start (live grants covering its category). */
  readers: string[];
}

/**
 * The patient adds a record: encrypts it into an envelope (to the patient and every doctor whose live grant covers
 * the category), stores the blocks, and anchors the envelope CID with the category on chain.
 *
 * @throws {@link InvalidConsentParametersError} for a bad category or data.
 * @example
 * ```ts
 * import { addRecord, type ConsentClient } from '@mhrchain/consent';
 *
 * declare const patient: ConsentClient;
 * const { recordId, cid, transactionHash, blockTime } = await addRecord(patient, {
 *   data: new TextEncoder().encode('{"resourceType":"Observation"}'),
 *   metadata: { mediaType: 'application/fhir+json', resourceType: 'Observation' },
 *   category: 2,
 * });
 * ```
 */
export async function addRecord(client: ConsentClient, parameters: AddRecordParameters): Promise<AddRecordReturnType> {
  const { metadata, category } = parameters;
  if (!Number.isInteger(category) || category < 0 || category > 0xffff)
    throw new InvalidConsentParametersError('category must be an integer from 0 to 65535.');
  const data =
    parameters.data instanceof Uint8Array
      ? parameters.data
      : parameters.data instanceof Blob
        ? new Uint8Array(await parameters.data.arrayBuffer())
        : undefined;
  if (!data) throw new InvalidConsentParametersError('data must be a Uint8Array or a Blob.');
  const { onProgress, signal } = parameters;
  signal?.throwIfAborted();
  const readers = await readersForCategory(client, client.address, category);
  const recipients = [client.identity.publicKey];
  for (const reader of readers) recipients.push(await encryptionKeyOf(client, reader));
  onProgress?.({ phase: 'encrypting', done: 0, total: data.length });
  const envelope = await encryptRecord({
    data,
    metadata,
    recipients,
    ...(onProgress
      ? { onProgress: ({ bytes }) => onProgress({ phase: 'encrypting', done: bytes, total: data.length }) }
      : {}),
  });
  signal?.throwIfAborted();
  // Intent first (what to store and anchor, never the plaintext), then store + pin, then anchor: a crash before the
  // anchor leaves a pinned, unanchored envelope that resumePendingActions anchors or releases; nothing is readable
  // from the chain before the anchor.
  const action = await beginAction(client, 'addRecord', {
    cid: envelope.cid.toString(),
    blocks: envelope.blocks.map((block) => block.cid.toString()),
    category,
    readers,
  });
  try {
    const total = envelope.blocks.reduce((sum, block) => sum + block.bytes.length, 0);
    let done = 0;
    onProgress?.({ phase: 'storing', done, total });
    for (const block of envelope.blocks) {
      signal?.throwIfAborted();
      await client.store.put(block.cid, block.bytes);
      done += block.bytes.length;
      onProgress?.({ phase: 'storing', done, total });
    }
    await client.store.pin?.(envelope.cid);
    await recordReaders(client, envelope.cid, readers);
    await markStep(client, action, 'stored');
    signal?.throwIfAborted();
  } catch (error) {
    if (!signal?.aborted) throw error; // a store failure: the journal keeps the intent for resumePendingActions
    // Cancelled before the anchor: nothing of the record stays behind.
    await client.store.unpin?.(envelope.cid);
    for (const block of envelope.blocks) await client.store.delete?.(block.cid);
    await forgetReaders(client, envelope.cid);
    await endAction(client, action);
    throw error;
  }
  onProgress?.({ phase: 'anchoring', done: 0, total: 0 });
  const receipt = await anchorStoredRecord(client, envelope.cid, category);
  await endAction(client, action);
  const recordId = recordIdOf(client.address, envelope.cid);
  return {
    ...(await transactionInfo(client, receipt)),
    recordId,
    cid: envelope.cid,
    payloadCid: envelope.payloadCid,
    readers,
  };
}
