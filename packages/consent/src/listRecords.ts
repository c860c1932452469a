import { getAddress } from 'ethers';
import type { CID } from 'multiformats/cid';
import type { ConsentClient } from './client.js';
import { blockTimes } from './internal/blockTimes.js';
import { recordsOf } from './internal/records.js';
import type { Hex } from './scope.js';

/** A record of a patient as the chain knows it: its ids, category, current version and times. Nothing of its content. */
export interface PatientRecord {
  patient: string;
  recordId: Hex;
  category: number;
  /** The current version (0 until the record is first re-published). */
  version: number;
  /** The current envelope CID. */
  cid: CID;
  /** Every version's envelope CID, oldest first. */
  versions: CID[];
  /** When the record was first anchored: block time, Unix seconds. */
  anchoredAt: number;
  /** When the current version was anchored (a key release or rotation): block time, Unix seconds. */
  updatedAt: number;
  /** Whether the patient erased it (listed only with `includeErased`). */
  erased: boolean;
  /** When it was erased: block time, Unix seconds (`undefined` while it is not erased). */
  erasedAt?: number;
}

/** Parameters of {@link listRecords}. */
export interface ListRecordsParameters {
  /** The patient (default: the client's account). */
  patient?: string;
  /** Also list the records the patient erased, flagged `erased` (default false). */
  includeErased?: boolean;
}

/** What {@link listRecords} returns: the patient's records, in the order they were first anchored. */
export type ListRecordsReturnType = PatientRecord[];

/**
 * The patient's app lists the patient's records from the record registry's events alone (`RecordAnchored`,
 * `RecordSuperseded`, `RecordErased`): each with its category, current version and envelope CID, and the block times
 * of its first and current anchors. Anyone may list a patient's records this way: the chain holds ids, categories and
 * CIDs, never content. A doctor lists what it may read with `listReadableRecords`.
 *
 * @example
 * ```ts
 * import { type ConsentClient, listRecords } from '@mhrchain/consent';
 *
 * declare const patient: ConsentClient;
 * for (const record of await listRecords(patient)) {
 *   console.log(record.recordId, record.category, record.version, new Date(record.updatedAt * 1000));
 * }
 * ```
 */
export async function listRecords(
  client: ConsentClient,
  parameters: ListRecordsParameters = {},
): Promise<ListRecordsReturnType> {
  const patient = getAddress(parameters.patient ?? client.address);
  const blockTime = blockTimes(client);
  const records = await recordsOf(client, patient, { includeErased: parameters.includeErased ?? false });
  return Promise.all(
    records.map(async (record): Promise<PatientRecord> => {
      const current = record.versions.at(-1)!;
      return {
        patient,
        recordId: record.recordId,
        category: record.category,
        version: current.version,
        cid: current.cid,
        versions: record.versions.map((version) => version.cid),
        anchoredAt: await blockTime(record.versions[0]!.blockNumber),
        updatedAt: await blockTime(current.blockNumber),
        erased: record.erased !== undefined,
        ...(record.erased ? { erasedAt: await blockTime(record.erased.blockNumber) } : {}),
      };
    }),
  );
}
