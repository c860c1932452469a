import {
  listReadableRecords,
  listRecords,
  type PatientRecord,
  type ReadableRecord,
  readRecord,
} from '@mhrchain/consent';
import type { RecordMetadata } from '@mhrchain/core';
import { hexlify } from 'ethers';
import type { CID } from 'multiformats/cid';
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

/** The display form of a record the SDK lists: block times as dates. */
function anchored(record: PatientRecord | ReadableRecord): AnchoredRecord {
  return {
    recordId: record.recordId,
    patient: record.patient,
    category: record.category,
    cid: record.cid,
    version: record.version,
    anchoredAt: new Date(record.anchoredAt * 1000),
    updatedAt: new Date(record.updatedAt * 1000),
  };
}

/**
 * Every record of `patient` at its current version, oldest first, with the block times of its anchors (the SDK's
 * `listRecords`, read from the record registry's logs).
 */
export async function recordsWithTimes(session: Session, patient: string): Promise<AnchoredRecord[]> {
  return (await listRecords(session.client, { patient })).map(anchored);
}

/**
 * The records of `patient` the doctor may read now (the SDK's `listReadableRecords`: live grant, scope), with
 * their anchor times.
 */
export async function readableRecords(session: Session, patient: string): Promise<AnchoredRecord[]> {
  return (await listReadableRecords(session.client, { patient })).map(anchored);
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
