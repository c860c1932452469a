import { decryptRecord, encryptRecord, readEnvelopeHeader, rewrapEnvelope } from '@mhrchain/core';
import { getAddress } from 'ethers';
import type { CID } from 'multiformats/cid';
import type { ConsentClient } from '../client.js';
import type { AccessScope, Hex } from '../scope.js';
import { anchorVersions, type PreparedVersion } from './anchorVersions.js';
import { dropVersion } from './dropVersion.js';
import { forgetReaders, readersOf as ledgerReaders, recordReaders } from './journal.js';
import { grantees } from './logs.js';
import { payloadStream } from './payload.js';
import { currentReaders } from './readers.js';
import { type ChainRecord, putBlocks, recordsInScope, recordsOf } from './records.js';
import { encryptionKeyOf } from './state.js';
import type { TransactionInfo } from './transactions.js';

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

/** Runs `task` over `items` with at most `limit` in flight, keeping the order of results. */
async function mapLimit<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Caches the X25519 keys of readers during one operation. */
function keyCache(client: ConsentClient) {
  const keys = new Map<string, Promise<Uint8Array>>();
  return (account: string) => {
    const address = getAddress(account);
    let key = keys.get(address);
    if (!key) {
      key = encryptionKeyOf(client, address);
      keys.set(address, key);
    }
    return key;
  };
}

/**
 * Builds and stores a new envelope of `record` readable by exactly the patient and `readers`: a new header over the
 * same payload (`lazy`) or a re-encryption under a fresh data key (`eager`).
 */
async function prepareVersion(
  client: ConsentClient,
  record: ChainRecord,
  readers: readonly string[],
  rotation: Rotation,
  keyOf: (account: string) => Promise<Uint8Array>,
): Promise<PreparedVersion> {
  const current = record.versions.at(-1)!;
  const header = await client.store.get(current.cid);
  const keys = [client.identity.publicKey];
  for (const reader of new Set(readers.map((r) => getAddress(r)))) keys.push(await keyOf(reader));
  if (rotation === 'lazy') {
    const rewrapped = await rewrapEnvelope({ header, identity: client.identity, recipients: keys });
    await client.store.put(rewrapped.cid, rewrapped.header);
    return { recordId: record.recordId, cid: rewrapped.cid };
  }
  const { data, metadata } = await decryptRecord({
    header,
    payload: payloadStream(client.store, readEnvelopeHeader(header).payload),
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
  return { recordId: record.recordId, cid: fresh.cid };
}

/** Publishes new versions of `records`, each for the readers `readersOf` names, and anchors them on chain. */
async function publishVersions(
  client: ConsentClient,
  records: readonly ChainRecord[],
  readersOf: (record: ChainRecord) => Promise<string[]>,
  rotation: Rotation,
): Promise<PublishedVersion[]> {
  const keyOf = keyCache(client);
  const prepared = await mapLimit(records, rotation === 'lazy' ? 8 : 2, async (record) => {
    const readers = await readersOf(record);
    const version = await prepareVersion(client, record, readers, rotation, keyOf);
    // Pinned and its readers recorded before it is anchored: whatever the chain shows is kept and checkable.
    await client.store.pin?.(version.cid);
    await recordReaders(client, version.cid, readers);
    return version;
  });
  const transactions = await anchorVersions(client, prepared);
  // The superseded versions are dropped once their successors are anchored (the current version of every record
  // stays pinned; older ones leave the store, but for the payload a re-wrapped successor still uses).
  // The ledger keeps only current versions (verifyAccess checks those), so it grows with the records, not the history.
  for (const [i, record] of records.entries()) {
    try {
      await dropVersion(client, record.versions.at(-1)!.cid, prepared[i]!.cid);
    } catch {
      // A store that failed the clean-up (a replica down) does not undo what the chain holds: the ledger keeps the
      // old version's entry, and resumePendingActions drops it later.
      continue;
    }
    await forgetReaders(client, record.versions.at(-1)!.cid);
  }
  return prepared.map((version, i) => {
    const record = records[i]!;
    const published = {
      recordId: version.recordId,
      version: record.versions.at(-1)!.version + 1,
      cid: version.cid,
      transaction: transactions[i]!,
    };
    record.versions.push({
      version: published.version,
      cid: version.cid,
      blockNumber: published.transaction.blockNumber,
      transactionHash: published.transaction.transactionHash,
      logIndex: 0,
    });
    return published;
  });
}

/**
 * Key release after the chain granted `reader` access to `scope`: publishes new versions, for exactly their current
 * readers (the reader now among them), of the records in scope whose current version the ledger does not show
 * encrypted to `reader`. Running it again publishes nothing more (resumable).
 */
export async function releaseTo(
  client: ConsentClient,
  reader: string,
  scope: AccessScope,
): Promise<PublishedVersion[]> {
  const records = recordsInScope(await recordsOf(client, client.address), scope);
  const missing: ChainRecord[] = [];
  for (const record of records) {
    const readers = await ledgerReaders(client, record.versions.at(-1)!.cid);
    if (!readers?.includes(getAddress(reader))) missing.push(record);
  }
  return rotateRecords(client, missing, 'lazy');
}

/** Re-publishes `records` for exactly their current readers (as the chain now says), dropping everyone else. */
export async function rotateRecords(
  client: ConsentClient,
  records: readonly ChainRecord[],
  rotation: Rotation,
): Promise<PublishedVersion[]> {
  const candidates = await grantees(client, client.address);
  return publishVersions(client, records, (record) => currentReaders(client, record, candidates), rotation);
}
