import { openEnvelope, type RecordMetadata } from '@mhrchain/core';
import type { CID } from 'multiformats/cid';
import type { ConsentClient } from './client.js';
import { payloadStream } from './internal/payload.js';
import { versionCid } from './internal/recordVersion.js';
import type { ReadRecordParameters } from './readRecord.js';

/** What {@link openRecord} returns. */
export interface OpenRecordReturnType {
  /** The decrypted metadata (media type, size, title, …). */
  metadata: RecordMetadata;
  /** The envelope CID that was opened. */
  cid: CID;
  /**
   * The plaintext, fetched and decrypted as it is read, in bounded memory. Errors with `DecryptionError` on any
   * tampering: discard what was read then. Read it once.
   */
  stream: ReadableStream<Uint8Array>;
}

/**
 * Like {@link readRecord}, for records too large to hold in memory (imaging, long recordings): the metadata now, the
 * plaintext as a stream.
 *
 * @throws `DecryptionError` from `@mhrchain/core` when the client is not a recipient of that version.
 * @example
 * ```ts
 * import { type ConsentClient, listReadableRecords, openRecord } from '@mhrchain/consent';
 *
 * declare const doctor: ConsentClient;
 * declare const file: WritableStream<Uint8Array>; // e.g. Writable.toWeb(createWriteStream(path)) in Node
 * const [first] = await listReadableRecords(doctor);
 * if (first) {
 *   const { metadata, stream } = await openRecord(doctor, { cid: first.cid });
 *   console.log(metadata.mediaType, metadata.size);
 *   await stream.pipeTo(file);
 * }
 * ```
 */
export async function openRecord(
  client: ConsentClient,
  parameters: ReadRecordParameters,
): Promise<OpenRecordReturnType> {
  const cid = await versionCid(client, parameters);
  const header = await client.store.get(cid);
  const envelope = await openEnvelope({ header, identity: client.identity });
  const stream = payloadStream(client.store, envelope.payloadCid).pipeThrough(envelope.createDecryptStream());
  return { metadata: envelope.metadata, cid, stream };
}
