import {
  type AnySignedRelayedAction,
  freshBlockTag,
  noteWrittenBlock,
  type RelayedAction,
  type RelayedActionMessages,
  signRelayedAction,
  submitRelayedAction,
} from '@mhrchain/contracts';
import type { Block } from '@mhrchain/core';
import { getAddress, type Log, type TopicFilter, type TransactionReceipt } from 'ethers';
import { CID } from 'multiformats/cid';
import type { ConsentClient } from '../client.js';
import type { RecordStore } from '../recordStore.js';
import type { Hex } from '../scope.js';
import { compareTimelineEvents } from '../timeline.js';

/** Where a transaction landed. */
export interface TransactionInfo {
  /** The transaction hash. */
  transactionHash: Hex;
  blockNumber: number;
  /** Block timestamp, seconds since the epoch. */
  blockTime: number;
  /** Gas the transaction used. */
  gasUsed: bigint;
}

export async function transactionInfo(client: ConsentClient, receipt: TransactionReceipt): Promise<TransactionInfo> {
  const block = await client.provider.getBlock(receipt.blockNumber);
  return {
    transactionHash: receipt.hash as Hex,
    blockNumber: receipt.blockNumber,
    blockTime: block?.timestamp ?? 0,
    gasUsed: receipt.gasUsed,
  };
}

/**
 * Sends a patient action: directly from the patient's wallet, or, when the client has a relayer, as an EIP-712
 * signature submitted (and paid for) by the relayer.
 */
export async function patientAction<A extends RelayedAction>(
  client: ConsentClient,
  action: A,
  message: RelayedActionMessages[A],
  direct: () => Promise<{ receipt: TransactionReceipt }>,
): Promise<TransactionReceipt> {
  let receipt: TransactionReceipt;
  if (!client.relayerChain) receipt = (await direct()).receipt;
  else {
    const signed = await signRelayedAction({ chain: client.chain, signer: client.signer, action, message });
    receipt = (await submitRelayedAction(client.relayerChain, signed as AnySignedRelayedAction)).receipt;
  }
  // The client's own reads see this write even when it went through a relayer's connection.
  noteWrittenBlock(client.provider, receipt.blockNumber);
  return receipt;
}

/** Stores every block of an envelope. */
export async function putBlocks(store: RecordStore, blocks: readonly Block[]): Promise<void> {
  for (const block of blocks) await store.put(block.cid, block.bytes);
}

/** One published version of a record. */
export interface RecordVersion {
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
export interface RecordsOfOptions {
  /** Also list the records the patient erased (default false: an erased record is gone for every flow). */
  includeErased?: boolean;
}

/** The part of a typed contract {@link queryLogs} uses. */
interface Filterable {
  contract: {
    filters: Record<string, (...args: unknown[]) => { getTopicFilter(): Promise<TopicFilter> }>;
    getAddress(): Promise<string>;
    queryFilter(filter: unknown, fromBlock: number, toBlock: number | string): Promise<unknown[]>;
  };
}

async function queryLogs(
  client: ConsentClient,
  contract: Filterable,
  event: string,
  ...args: unknown[]
): Promise<Log[]> {
  const filter = contract.contract.filters[event]!(...args);
  // Up to a block that holds every write of this process (a provider's cached `latest` may not yet).
  const toBlock = await freshBlockTag(client.provider);
  if (client.eventIndex) {
    // Only the blocks after the indexed head are read; the answer comes from the index.
    await client.eventIndex.sync(typeof toBlock === 'number' ? { toBlock } : {});
    const topics = await filter.getTopicFilter();
    return client.eventIndex.query({ address: await contract.contract.getAddress(), topics }) as unknown as Log[];
  }
  return (await contract.contract.queryFilter(filter, client.fromBlock, toBlock)) as Log[];
}

/** Every record of `patient`, from `RecordAnchored`, `RecordSuperseded` and `RecordErased` logs. */
export async function recordsOf(
  client: ConsentClient,
  patient: string,
  options: RecordsOfOptions = {},
): Promise<ChainRecord[]> {
  const registry = client.chain.recordRegistry;
  const [anchored, superseded, erased] = await Promise.all([
    queryLogs(client, registry as never, 'RecordAnchored', null, patient),
    queryLogs(client, registry as never, 'RecordSuperseded', null, patient),
    queryLogs(client, registry as never, 'RecordErased', null, patient),
  ]);
  const records = new Map<string, ChainRecord>();
  const events = registry.decodeLogs([...anchored, ...superseded, ...erased]);
  events.sort(compareTimelineEvents);
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
            cid: CID.decode(hexToBytes(event.args.cid)),
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
        cid: CID.decode(hexToBytes(event.args.cid)),
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

/** A block-time lookup (Unix seconds) that asks the provider once per block. */
export function blockTimes(client: ConsentClient): (blockNumber: number) => Promise<number> {
  const times = new Map<number, Promise<number>>();
  return (blockNumber) => {
    let time = times.get(blockNumber);
    if (!time) {
      time = client.provider.getBlock(blockNumber).then((block) => block?.timestamp ?? 0);
      times.set(blockNumber, time);
    }
    return time;
  };
}

/**
 * A decoded consent event, without the relayed-signature bookkeeping every contract shares (`NoncesInvalidated`, the
 * only event that names no patient-doctor pair).
 */
export type ConsentEvent<T> = T extends { eventName: 'NoncesInvalidated' } ? never : T;

/** The last of `events` (in chain order) for each key, themselves in chain order. */
export function lastPerKey<T extends { blockNumber: number; logIndex: number; eventName?: string }>(
  events: readonly T[],
  key: (event: ConsentEvent<T>) => string,
): ConsentEvent<T>[] {
  const last = new Map<string, ConsentEvent<T>>();
  for (const event of [...events].sort(compareTimelineEvents)) {
    if (event.eventName === 'NoncesInvalidated') continue;
    const k = key(event as ConsentEvent<T>);
    last.delete(k);
    last.set(k, event as ConsentEvent<T>);
  }
  return [...last.values()];
}

/** Every account that was ever granted by, or delegated to by, `patient` (candidates for `canRead`). */
export async function grantees(client: ConsentClient, patient: string): Promise<string[]> {
  const [granted, delegated] = await Promise.all([
    queryLogs(client, client.chain.consentManager as never, 'AccessGranted', patient),
    queryLogs(client, client.chain.delegationRegistry as never, 'DelegationApproved', patient),
  ]);
  const accounts = new Set<string>();
  for (const event of client.chain.consentManager.decodeLogs(granted))
    if (event.eventName === 'AccessGranted') accounts.add(getAddress(event.args.doctor));
  for (const event of client.chain.delegationRegistry.decodeLogs(delegated))
    if (event.eventName === 'DelegationApproved') accounts.add(getAddress(event.args.colleague));
  return [...accounts];
}

/** The raw logs of one event, filtered by indexed arguments. */
export { queryLogs };

/** A grant as `ConsentManager.grantOf` returns it. */
export interface GrantView {
  serial: bigint;
  status: bigint;
  kind: bigint;
  category: bigint;
  grantedAt: bigint;
  expiresAt: bigint;
}

/** A request as `ConsentManager.requestOf` returns it. */
export interface RequestView {
  status: bigint;
  kind: bigint;
  category: bigint;
  duration: bigint;
  requestedAt: bigint;
}

/** A delegation as `DelegationRegistry.delegationOf` returns it. */
export interface DelegationView {
  doctor: string;
  status: bigint;
  kind: bigint;
  category: bigint;
  parentSerial: bigint;
  serial: bigint;
  expiresAt: bigint;
}

export const GRANT_ACTIVE = 1n;
export const REQUEST_PENDING = 1n;
export const DELEGATION_PENDING = 1n;
export const DELEGATION_APPROVED = 2n;

export async function grantOf(client: ConsentClient, patient: string, doctor: string): Promise<GrantView> {
  return (await client.chain.consentManager.read.grantOf(patient, doctor)) as GrantView;
}

export async function requestOf(client: ConsentClient, patient: string, doctor: string): Promise<RequestView> {
  return (await client.chain.consentManager.read.requestOf(patient, doctor)) as RequestView;
}

export async function delegationOf(client: ConsentClient, patient: string, colleague: string): Promise<DelegationView> {
  return (await client.chain.delegationRegistry.read.delegationOf(patient, colleague)) as DelegationView;
}

/** Whether `reader` may read `recordId` of `patient` now, through a grant or a live delegation. */
export async function canRead(client: ConsentClient, patient: string, reader: string, recordId: string) {
  return (await client.chain.delegationRegistry.read.canRead(patient, reader, recordId)) as boolean;
}

/** The latest block's timestamp. */
export async function chainNow(client: ConsentClient): Promise<number> {
  const block = await client.provider.getBlock('latest');
  return block?.timestamp ?? Math.floor(Date.now() / 1000);
}

/** The X25519 public key `account` registered. */
export async function encryptionKeyOf(client: ConsentClient, account: string): Promise<Uint8Array> {
  const identity = (await client.chain.identityRegistry.read.identityOf(account)) as { encryptionKey: string };
  return hexToBytes(identity.encryptionKey);
}

export function hexToBytes(hex: string): Uint8Array {
  const clean = hex.startsWith('0x') ? hex.slice(2) : hex;
  const bytes = new Uint8Array(clean.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

export function bytesToHex(bytes: Uint8Array): Hex {
  let hex = '0x';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex as Hex;
}
