import type { Block } from '@mhrchain/core';
import { getAddress, getBytes } from 'ethers';
import { CID } from 'multiformats/cid';
import type { ConsentClient } from '../client.js';
import type { RecordStore } from '../recordStore.js';
import type { AccessScope, Hex } from '../scope.js';
import { compareTimelineEvents } from '../timeline.js';
import { queryEvents } from './logs.js';

/** One published version of a record. */
interface RecordVersion {
  version: number;
  /** The envelope CID of this version. */
  cid: CID;
  blockNumber: number;
  transactionHash: Hex;
  logIndex: number;
}

/** A record of a patient as the chain knows it: its category and every version. */
export interface ChainRecord {
  recordId: Hex;
  patient: string;
  category: number;
  /** Every version, oldest first; the last is current. */
  versions: RecordVersion[];
  /** Where the patient erased it (`RecordErased`); `undefined` while it is not erased. */
  erased?: { blockNumber: number; transactionHash: Hex; logIndex: number };
}

/** Options of {@link recordsOf}. */
interface RecordsOfOptions {
  /** Also list the records the patient erased (default false: an erased record is gone for every flow). */
  includeErased?: boolean;
}

/** Every record of `patient`, from `RecordAnchored`, `RecordSuperseded` and `RecordErased` logs. */
export async function recordsOf(
  client: ConsentClient,
  patient: string,
  options: RecordsOfOptions = {},
): Promise<ChainRecord[]> {
  const registry = client.chain.recordRegistry;
  const [anchored, superseded, erased] = await Promise.all([
    queryEvents(client, registry, 'RecordAnchored', { patient }),
    queryEvents(client, registry, 'RecordSuperseded', { patient }),
    queryEvents(client, registry, 'RecordErased', { patient }),
  ]);
  const records = new Map<string, ChainRecord>();
  const events = [...anchored, ...superseded, ...erased].sort(compareTimelineEvents);
  for (const event of events) {
    if (event.eventName === 'RecordAnchored') {
      const recordId = event.args.recordId.toLowerCase() as Hex;
      records.set(recordId, {
        recordId,
        patient: getAddress(event.args.patient),
        category: Number(event.args.category),
        versions: [
          {
            version: 0,
            cid: CID.decode(getBytes(event.args.cid)),
            blockNumber: event.blockNumber,
            transactionHash: event.transactionHash as Hex,
            logIndex: event.logIndex,
          },
        ],
      });
    } else if (event.eventName === 'RecordSuperseded') {
      const record = records.get(event.args.recordId.toLowerCase());
      record?.versions.push({
        version: Number(event.args.version),
        cid: CID.decode(getBytes(event.args.cid)),
        blockNumber: event.blockNumber,
        transactionHash: event.transactionHash as Hex,
        logIndex: event.logIndex,
      });
    } else if (event.eventName === 'RecordErased') {
      const record = records.get(event.args.recordId.toLowerCase());
      if (record)
        record.erased = {
          blockNumber: event.blockNumber,
          transactionHash: event.transactionHash as Hex,
          logIndex: event.logIndex,
        };
    }
  }
  const all = [...records.values()];
  return options.includeErased ? all : all.filter((record) => !record.erased);
}

/** The records of `records` that `scope` covers. */
export function recordsInScope(records: readonly ChainRecord[], scope: AccessScope): ChainRecord[] {
  if (scope.kind === 'all') return [...records];
  if (scope.kind === 'category') return records.filter((record) => record.category === scope.category);
  const listed = new Set(scope.recordIds.map((id) => id.toLowerCase()));
  return records.filter((record) => listed.has(record.recordId));
}

/** Stores every block of an envelope. */
export async function putBlocks(store: RecordStore, blocks: readonly Block[]): Promise<void> {
  for (const block of blocks) await store.put(block.cid, block.bytes);
}
