import * as dagPb from '@ipld/dag-pb';
import { encryptRecord, type Identity, openEnvelope, type RecordMetadata, rewrapEnvelope } from '@mhrchain/core';
import { getBytes, hexlify } from 'ethers';
import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import type { Session } from './session.js';
import type { StorageClient } from './storageClient.js';

/** A record as the chain knows it: id, current envelope CID and times. Nothing of its content. */
export interface AnchoredRecord {
  recordId: string;
  patient: string;
  category: number;
  /** Current envelope CID (the latest version). */
  cid: CID;
  version: number;
  /** When version 0 was anchored (block time). */
  anchoredAt: Date;
  /** When the current version was anchored (block time). */
  updatedAt: Date;
}

/** A record opened by one of its recipients. */
export interface OpenedRecord {
  metadata: RecordMetadata;
  data: Uint8Array;
}

/** What the patient enters to add a record. */
export interface NewRecord {
  data: Uint8Array;
  mediaType: string;
  title: string;
  resourceType?: string;
  category: number;
}

/**
 * Adds a record: encrypts it in the browser to the patient (and to `alsoFor`, e.g. doctors holding a live grant),
 * uploads the envelope's blocks to the storage node as one CAR, and anchors the envelope CID on chain.
 */
export async function addRecord(session: Session, record: NewRecord, alsoFor: readonly Uint8Array[] = []) {
  const encrypted = await encryptRecord({
    data: record.data,
    metadata: {
      mediaType: record.mediaType,
      title: record.title,
      ...(record.resourceType ? { resourceType: record.resourceType } : {}),
    },
    recipients: [session.identity.publicKey, ...alsoFor],
  });
  await session.storage.putBlocks(encrypted.cid, encrypted.blocks);
  const result = await session.chain.recordRegistry.write.anchorRecord(encrypted.cid.bytes, record.category);
  return { cid: encrypted.cid, transactionHash: result.hash };
}

/** Every record of `patient`, at its current version, oldest first, read from the registry's logs. */
export async function listRecords(session: Session, patient: string): Promise<AnchoredRecord[]> {
  const registry = session.chain.recordRegistry;
  const [anchored, superseded] = await Promise.all([
    registry.events('RecordAnchored'),
    registry.events('RecordSuperseded'),
  ]);
  const mine = (address: string) => address.toLowerCase() === patient.toLowerCase();
  const times = new Map<number, Date>();
  const timeOf = async (blockNumber: number) => {
    let time = times.get(blockNumber);
    if (!time) {
      const block = await session.provider.getBlock(blockNumber);
      time = new Date(Number(block?.timestamp ?? 0) * 1000);
      times.set(blockNumber, time);
    }
    return time;
  };
  const records = new Map<string, AnchoredRecord>();
  for (const event of anchored) {
    const args = event.args as { recordId: string; patient: string; category: bigint | number; cid: string };
    if (!mine(args.patient)) continue;
    const at = await timeOf(event.blockNumber);
    records.set(args.recordId, {
      recordId: args.recordId,
      patient: args.patient,
      category: Number(args.category),
      cid: CID.decode(getBytes(args.cid)),
      version: 0,
      anchoredAt: at,
      updatedAt: at,
    });
  }
  for (const event of superseded) {
    const args = event.args as { recordId: string; patient: string; version: bigint | number; cid: string };
    const record = records.get(args.recordId);
    if (!record || Number(args.version) < record.version) continue;
    record.cid = CID.decode(getBytes(args.cid));
    record.version = Number(args.version);
    record.updatedAt = await timeOf(event.blockNumber);
  }
  return [...records.values()];
}

async function readPayload(storage: StorageClient, root: CID): Promise<Uint8Array[]> {
  if (root.code === raw.code) return [await storage.getBlock(root)];
  if (root.code !== dagPb.code) throw new Error(`Unexpected payload codec 0x${root.code.toString(16)}`);
  const node = dagPb.decode(await storage.getBlock(root));
  const parts = await Promise.all(node.Links.map((link) => readPayload(storage, link.Hash)));
  return parts.flat();
}

/** Fetches an envelope through the trustless gateway and decrypts it with `identity`. */
export async function openRecord(storage: StorageClient, cid: CID, identity: Identity): Promise<OpenedRecord> {
  const header = await storage.getBlock(cid);
  const opened = await openEnvelope({ header, identity });
  const chunks = await readPayload(storage, opened.payloadCid);
  const plaintext = new Blob(chunks as Uint8Array<ArrayBuffer>[]).stream().pipeThrough(opened.createDecryptStream());
  const data = new Uint8Array(await new Response(plaintext).arrayBuffer());
  return { metadata: opened.metadata, data };
}

/**
 * Lets `recipient` open every record of the patient: each envelope is re-wrapped in the browser (the payload is not
 * touched), the new header is stored, and the record is superseded on chain by the new envelope CID.
 */
export async function shareRecords(session: Session, recipient: Uint8Array): Promise<number> {
  const records = await listRecords(session, session.address);
  for (const record of records) {
    const header = await session.storage.getBlock(record.cid);
    const shared = await rewrapEnvelope({ header, identity: session.identity, add: [recipient] });
    await session.storage.putBlocks(shared.cid, [{ cid: shared.cid, bytes: shared.header }]);
    await session.chain.recordRegistry.write.supersedeRecord(record.recordId, shared.cid.bytes);
  }
  return records.length;
}

/** `0x…` hex of bytes, for display. */
export function shortHex(value: string | Uint8Array, keep = 6): string {
  const text = typeof value === 'string' ? value : hexlify(value);
  return `${text.slice(0, 2 + keep)}…${text.slice(-4)}`;
}
