import { decryptRecord, encryptRecord, readEnvelopeHeader, rewrapEnvelope } from '@mhrchain/core';
import { getAddress } from 'ethers';
import type { CID } from 'multiformats/cid';
import type { ConsentClient } from '../client.js';
import { type AccessScope, fromScopeTuple, type Hex } from '../scope.js';
import {
  bytesToHex,
  type ChainRecord,
  chainNow,
  delegationOf,
  encryptionKeyOf,
  GRANT_ACTIVE,
  grantees,
  grantOf,
  hasAccess,
  patientAction,
  putBlocks,
  queryLogs,
  recordsOf,
  type TransactionInfo,
  transactionInfo,
} from './chain.js';
import { payloadStream } from './payload.js';

/** The records of `records` that `scope` covers. */
export function recordsInScope(records: readonly ChainRecord[], scope: AccessScope): ChainRecord[] {
  if (scope.kind === 'all') return [...records];
  if (scope.kind === 'category') return records.filter((record) => record.category === scope.category);
  const listed = new Set(scope.recordIds.map((id) => id.toLowerCase()));
  return records.filter((record) => listed.has(record.recordId));
}

/** The latest grant event of (patient, doctor): serial, scope, expiry. */
export async function latestGrant(client: ConsentClient, patient: string, doctor: string) {
  const logs = await queryLogs(client, client.chain.consentManager as never, 'AccessGranted', patient, doctor);
  const events = client.chain.consentManager.decodeLogs(logs);
  const last = events.at(-1);
  if (last?.eventName !== 'AccessGranted') return undefined;
  return {
    serial: Number(last.args.serial),
    scope: fromScopeTuple(last.args.scope as never),
    expiresAt: Number(last.args.expiresAt),
    blockNumber: last.blockNumber,
  };
}

/** The latest delegation request of (patient, colleague): doctor, scope, expiry. */
export async function latestDelegationRequest(client: ConsentClient, patient: string, colleague: string) {
  const logs = await queryLogs(
    client,
    client.chain.delegationRegistry as never,
    'DelegationRequested',
    patient,
    null,
    colleague,
  );
  const last = client.chain.delegationRegistry.decodeLogs(logs).at(-1);
  if (last?.eventName !== 'DelegationRequested') return undefined;
  return {
    doctor: getAddress(last.args.doctor),
    scope: fromScopeTuple(last.args.scope as never),
    expiresAt: Number(last.args.expiresAt),
    blockNumber: last.blockNumber,
  };
}

/** Who, besides the patient, may read `record` now (grants and live delegations, as the chain says). */
export async function currentReaders(client: ConsentClient, record: ChainRecord, candidates: readonly string[]) {
  const readers: string[] = [];
  for (const account of candidates)
    if (await hasAccess(client, record.patient, account, record.recordId)) readers.push(account);
  return readers;
}

/** Who may read a new record of `category` from the start: live grants and delegations covering the category. */
export async function readersForCategory(client: ConsentClient, patient: string, category: number) {
  const now = await chainNow(client);
  const readers: string[] = [];
  for (const account of await grantees(client, patient)) {
    const grant = await grantOf(client, patient, account);
    const live = grant.status === GRANT_ACTIVE && Number(grant.expiresAt) > now;
    if (live && (grant.kind === 0n || (grant.kind === 1n && Number(grant.category) === category))) {
      readers.push(account);
      continue;
    }
    if (await client.chain.delegationRegistry.read.isDelegationActive(patient, account)) {
      const delegation = await delegationOf(client, patient, account);
      if (delegation.kind === 0n || (delegation.kind === 1n && Number(delegation.category) === category))
        readers.push(account);
    }
  }
  return readers;
}

/** How a record version is re-published without (or with) readers. */
export type Rotation = 'lazy' | 'eager';

/** A record version published by a key release or a rotation. */
export interface PublishedVersion {
  recordId: Hex;
  /** The new version number. */
  version: number;
  /** The new envelope CID. */
  cid: CID;
  /** The supersede transaction. */
  transaction: TransactionInfo;
}

/**
 * Publishes a new version of `record` readable by exactly the patient and `readers`: a new header over the same
 * payload (`lazy`) or a re-encryption under a fresh data key (`eager`), then supersedes the record on chain.
 */
export async function publishVersion(
  client: ConsentClient,
  record: ChainRecord,
  readers: readonly string[],
  rotation: Rotation,
): Promise<PublishedVersion> {
  const current = record.versions.at(-1)!;
  const header = await client.store.get(current.cid);
  const keys = [client.identity.publicKey];
  for (const reader of new Set(readers.map((r) => getAddress(r)))) keys.push(await encryptionKeyOf(client, reader));
  let cid: CID;
  if (rotation === 'lazy') {
    const rewrapped = await rewrapEnvelope({ header, identity: client.identity, recipients: keys });
    await client.store.put(rewrapped.cid, rewrapped.header);
    cid = rewrapped.cid;
  } else {
    const payloadCid = readEnvelopeHeader(header).payload;
    const { data, metadata } = await decryptRecord({
      header,
      payload: payloadStream(client.store, payloadCid),
      identity: client.identity,
    });
    const fresh = await encryptRecord({
      data,
      metadata: {
        mediaType: metadata.mediaType,
        created: metadata.created,
        ...(metadata.resourceType ? { resourceType: metadata.resourceType } : {}),
        ...(metadata.title ? { title: metadata.title } : {}),
      },
      recipients: keys,
    });
    await putBlocks(client.store, fresh.blocks);
    cid = fresh.cid;
  }
  const cidHex = bytesToHex(cid.bytes);
  const receipt = await patientAction(
    client,
    'SupersedeRecord',
    { patient: client.address, recordId: record.recordId, cid: cidHex },
    () => client.chain.recordRegistry.write.supersedeRecord(record.recordId, cidHex),
  );
  const transaction = await transactionInfo(client, receipt);
  const version = current.version + 1;
  record.versions.push({
    version,
    cid,
    blockNumber: transaction.blockNumber,
    transactionHash: transaction.transactionHash,
    logIndex: 0,
  });
  return { recordId: record.recordId, version, cid, transaction };
}

/**
 * Key release: publishes new versions of the patient's records in `scope` that `reader` can open, alongside every
 * current reader.
 */
export async function releaseKeys(
  client: ConsentClient,
  reader: string,
  scope: AccessScope,
): Promise<PublishedVersion[]> {
  const records = recordsInScope(await recordsOf(client, client.address), scope);
  const candidates = (await grantees(client, client.address)).filter((a) => a !== getAddress(reader));
  const published: PublishedVersion[] = [];
  for (const record of records) {
    const readers = await currentReaders(client, record, candidates);
    published.push(await publishVersion(client, record, [...readers, reader], 'lazy'));
  }
  return published;
}

/** Re-publishes `records` for exactly their current readers (as the chain now says), dropping everyone else. */
export async function rotateRecords(
  client: ConsentClient,
  records: readonly ChainRecord[],
  rotation: Rotation,
): Promise<PublishedVersion[]> {
  const candidates = await grantees(client, client.address);
  const published: PublishedVersion[] = [];
  for (const record of records) {
    const readers = await currentReaders(client, record, candidates);
    published.push(await publishVersion(client, record, readers, rotation));
  }
  return published;
}
