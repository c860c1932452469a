import { decryptRecord, openEnvelope, type RecordMetadata, readEnvelopeHeader } from '@mhrchain/core';
import { getAddress } from 'ethers';
import type { CID } from 'multiformats/cid';
import type { ConsentClient } from './client.js';
import { InvalidConsentParametersError } from './errors.js';
import { blockTimes } from './internal/blockTimes.js';
import { queryEvents } from './internal/logs.js';
import { payloadStream } from './internal/payload.js';
import { recordsOf } from './internal/records.js';
import { canRead } from './internal/state.js';
import type { Hex } from './scope.js';

/** A record a doctor or colleague may read now. */
export interface ReadableRecord {
  patient: string;
  recordId: Hex;
  category: number;
  /** The current version. */
  version: number;
  /** The current envelope CID. */
  cid: CID;
  /** Every version's envelope CID, oldest first. */
  versions: CID[];
  /** When the record was first anchored: block time, Unix seconds. */
  anchoredAt: number;
  /** When the current version was anchored (a re-wrap or rotation): block time, Unix seconds. */
  updatedAt: number;
}

/** Parameters of {@link listReadableRecords}. */
export interface ListReadableRecordsParameters {
  /** Only this patient's records (default: every patient that granted or delegated to the client). */
  patient?: string;
}

/**
 * The doctor's (or colleague's) app discovers what it may read from chain events alone: the patients who granted it
 * or approved a delegation to it, their records, and for each the current version, kept when the chain says the
 * client has access now.
 *
 * @example
 * ```ts
 * import { type ConsentClient, listReadableRecords } from '@mhrchain/consent';
 *
 * declare const doctor: ConsentClient;
 * for (const record of await listReadableRecords(doctor)) console.log(record.patient, record.recordId, record.cid);
 * ```
 */
export async function listReadableRecords(
  client: ConsentClient,
  parameters: ListReadableRecordsParameters = {},
): Promise<ReadableRecord[]> {
  let patients: string[];
  if (parameters.patient) patients = [getAddress(parameters.patient)];
  else {
    const [granted, delegated] = await Promise.all([
      queryEvents(client, client.chain.consentManager, 'AccessGranted', { doctor: client.address }),
      queryEvents(client, client.chain.delegationRegistry, 'DelegationApproved', { colleague: client.address }),
    ]);
    const set = new Set<string>();
    for (const event of [...granted, ...delegated]) set.add(getAddress(event.args.patient));
    patients = [...set];
  }
  const readable: ReadableRecord[] = [];
  const blockTime = blockTimes(client);
  for (const patient of patients)
    for (const record of await recordsOf(client, patient)) {
      if (!(await canRead(client, patient, client.address, record.recordId))) continue;
      const current = record.versions.at(-1)!;
      readable.push({
        patient,
        recordId: record.recordId,
        category: record.category,
        version: current.version,
        cid: current.cid,
        versions: record.versions.map((v) => v.cid),
        anchoredAt: await blockTime(record.versions[0]!.blockNumber),
        updatedAt: await blockTime(current.blockNumber),
      });
    }
  return readable;
}

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

/** The envelope CID a {@link ReadRecordParameters} names. */
async function versionCid(client: ConsentClient, parameters: ReadRecordParameters): Promise<CID> {
  if ('cid' in parameters) return parameters.cid;
  const record = (await recordsOf(client, parameters.patient)).find(
    (r) => r.recordId === parameters.recordId.toLowerCase(),
  );
  const version =
    parameters.version === undefined
      ? record?.versions.at(-1)
      : record?.versions.find((v) => v.version === parameters.version);
  if (!version) throw new InvalidConsentParametersError(`No such record version: ${parameters.recordId}`);
  return version.cid;
}
