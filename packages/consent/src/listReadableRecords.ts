import { getAddress } from 'ethers';
import type { CID } from 'multiformats/cid';
import type { ConsentClient } from './client.js';
import { blockTimes } from './internal/blockTimes.js';
import { queryEvents } from './internal/logs.js';
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

/** What {@link listReadableRecords} returns: the records the client may read now. */
export type ListReadableRecordsReturnType = ReadableRecord[];

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
): Promise<ListReadableRecordsReturnType> {
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
