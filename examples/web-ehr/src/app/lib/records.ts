import { listReadableRecords, readRecord } from '@mhrchain/consent';
import type { RecordMetadata } from '@mhrchain/core';
import { getBytes, hexlify } from 'ethers';
import { CID } from 'multiformats/cid';
import type { Session } from './session.js';

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

/**
 * Every record of `patient` at its current version, oldest first, with the block times of its anchors, read from
 * the record registry's logs.
 */
export async function recordsWithTimes(session: Session, patient: string): Promise<AnchoredRecord[]> {
  const { chain, provider } = session.client;
  const registry = chain.recordRegistry;
  const [anchored, superseded] = await Promise.all([
    registry.events('RecordAnchored'),
    registry.events('RecordSuperseded'),
  ]);
  const mine = (address: string) => address.toLowerCase() === patient.toLowerCase();
  const times = new Map<number, Date>();
  const timeOf = async (blockNumber: number) => {
    let time = times.get(blockNumber);
    if (!time) {
      const block = await provider.getBlock(blockNumber);
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
    records.set(args.recordId.toLowerCase(), {
      recordId: args.recordId.toLowerCase(),
      patient: args.patient,
      category: Number(args.category),
      cid: CID.decode(getBytes(args.cid)),
      version: 0,
      anchoredAt: at,
      updatedAt: at,
    });
  }
  for (const event of superseded) {
    const args = event.args as { recordId: string; version: bigint | number; cid: string };
    const record = records.get(args.recordId.toLowerCase());
    if (!record || Number(args.version) < record.version) continue;
    record.cid = CID.decode(getBytes(args.cid));
    record.version = Number(args.version);
    record.updatedAt = await timeOf(event.blockNumber);
  }
  return [...records.values()];
}

/**
 * The records of `patient` the doctor may read now (the SDK's `listReadableRecords`: live grant, scope), with
 * their anchor times.
 */
export async function readableRecords(session: Session, patient: string): Promise<AnchoredRecord[]> {
  const [readable, timed] = await Promise.all([
    listReadableRecords(session.client, { patient }),
    recordsWithTimes(session, patient),
  ]);
  const times = new Map(timed.map((record) => [record.recordId, record]));
  return readable.map((record) => {
    const known = times.get(record.recordId.toLowerCase());
    return {
      recordId: record.recordId,
      patient: record.patient,
      category: record.category,
      cid: record.cid,
      version: record.version,
      anchoredAt: known?.anchoredAt ?? new Date(0),
      updatedAt: known?.updatedAt ?? new Date(0),
    };
  });
}

/** Fetches an envelope through the trustless gateway and decrypts it in the browser (the SDK's `readRecord`). */
export async function openRecord(session: Session, cid: CID): Promise<OpenedRecord> {
  const { data, metadata } = await readRecord(session.client, { cid });
  return { data, metadata };
}

/** `0x…` hex of bytes, for display. */
export function shortHex(value: string | Uint8Array, keep = 6): string {
  const text = typeof value === 'string' ? value : hexlify(value);
  return `${text.slice(0, 2 + keep)}…${text.slice(-4)}`;
}
