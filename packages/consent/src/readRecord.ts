import { decryptRecord, type RecordMetadata, readEnvelopeHeader } from '@mhrchain/core';
import type { CID } from 'multiformats/cid';
import type { ConsentClient } from './client.js';
import { payloadStream } from './internal/payload.js';
import { versionCid } from './internal/recordVersion.js';
import type { Hex } from './scope.js';

/** Parameters of {@link readRecord}: a version's envelope CID, or a record (current version by default). */
export type ReadRecordParameters =
  | { cid: CID }
  | {
      patient: string;
      recordId: Hex;
      /** Default: the current version. */
      version?: number;
    };

/** What {@link readRecord} returns. */
export interface ReadRecordReturnType {
  data: Uint8Array;
  metadata: RecordMetadata;
  /** The envelope CID that was opened. */
  cid: CID;
}

/**
 * Fetches an envelope from storage and decrypts it with the client's identity. Works for the patient and for any
 * reader the version was wrapped for; anyone else gets `DecryptionError` (one opaque error).
 *
 * @throws `DecryptionError` from `@mhrchain/core` when the client is not a recipient of that version.
 * @example
 * ```ts
 * import { type ConsentClient, listReadableRecords, readRecord } from '@mhrchain/consent';
 *
 * declare const doctor: ConsentClient;
 * const [first] = await listReadableRecords(doctor);
 * if (first) {
 *   const { data, metadata } = await readRecord(doctor, { cid: first.cid });
 * }
 * ```
 */
export async function readRecord(
  client: ConsentClient,
  parameters: ReadRecordParameters,
): Promise<ReadRecordReturnType> {
  const cid = await versionCid(client, parameters);
  const header = await client.store.get(cid);
  const { data, metadata } = await decryptRecord({
    header,
    payload: payloadStream(client.store, readEnvelopeHeader(header).payload),
    identity: client.identity,
  });
  return { data, metadata, cid };
}
