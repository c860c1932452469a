import * as dagCbor from '@ipld/dag-cbor';
import { CID } from 'multiformats/cid';
import { sha256 } from 'multiformats/hashes/sha2';
import { InvalidEnvelopeError } from './errors.js';
import type { Stanza } from './internal/recipients.js';

/** The `type` field of every envelope header. */
export const ENVELOPE_TYPE = 'mhr-envelope';
/** The envelope format version this package writes and reads. */
export const ENVELOPE_VERSION = 1;
/** The payload AEAD of version 1. */
export const ENVELOPE_AEAD = 'AES-256-GCM';
/** Plaintext bytes per payload chunk (64 KiB). */
export const CHUNK_SIZE = 65536;
/** Most recipients one envelope may have. */
export const MAX_RECIPIENTS = 1024;

/** The decoded header node (see docs/spec/envelope.md). All fields are public except what is encrypted. */
export interface EnvelopeHeaderNode {
  readonly type: typeof ENVELOPE_TYPE;
  readonly version: typeof ENVELOPE_VERSION;
  readonly aead: typeof ENVELOPE_AEAD;
  readonly chunkSize: number;
  readonly salt: Uint8Array;
  readonly recipients: readonly Stanza[];
  readonly metadata: Uint8Array;
  readonly payload: CID;
  readonly commitment: Uint8Array;
  readonly mac: Uint8Array;
}

/**
 * What anyone can read from an envelope header without a key: the format, the payload CID and how many recipients
 * there are (not who they are).
 *
 * @example
 * ```ts
 * import type { EnvelopeHeaderInfo } from '@mhrchain/core';
 *
 * const show = (info: EnvelopeHeaderInfo) => `${info.payload.toString()} for ${info.recipientCount} recipients`;
 * ```
 */
export interface EnvelopeHeaderInfo {
  /** Format version (1). */
  readonly version: number;
  /** The payload AEAD. */
  readonly aead: string;
  /** Plaintext bytes per chunk. */
  readonly chunkSize: number;
  /** CID of the encrypted payload (UnixFS file of raw leaves). */
  readonly payload: CID;
  /** Number of recipient stanzas. */
  readonly recipientCount: number;
}

/** The header without its MAC: the bytes the MAC covers are `dagCbor.encode(unsigned)`. */
export type UnsignedHeader = Omit<EnvelopeHeaderNode, 'mac'>;

/** dag-cbor bytes the header MAC covers. */
export function encodeUnsignedHeader(header: UnsignedHeader): Uint8Array {
  return dagCbor.encode(toNode(header));
}

function toNode(header: UnsignedHeader | EnvelopeHeaderNode): Record<string, unknown> {
  return {
    ...header,
    recipients: header.recipients.map((s) => ({ epk: s.epk, key: s.key })),
  };
}

/** Encodes a complete header as a dag-cbor block. */
export async function encodeHeader(header: EnvelopeHeaderNode): Promise<{ cid: CID; bytes: Uint8Array }> {
  const bytes = dagCbor.encode(toNode(header));
  return { cid: CID.createV1(dagCbor.code, await sha256.digest(bytes)), bytes };
}

const isBytes = (value: unknown, length?: number): value is Uint8Array =>
  value instanceof Uint8Array && (length === undefined || value.length === length);

const FIELDS = [
  'aead',
  'chunkSize',
  'commitment',
  'mac',
  'metadata',
  'payload',
  'recipients',
  'salt',
  'type',
  'version',
];

/** Decodes and strictly validates header bytes. */
export function decodeHeader(bytes: Uint8Array): EnvelopeHeaderNode {
  let value: unknown;
  try {
    value = dagCbor.decode(bytes);
  } catch (cause) {
    throw new InvalidEnvelopeError({ details: 'not dag-cbor', cause });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new InvalidEnvelopeError({ details: 'not a map' });
  const node = value as Record<string, unknown>;
  const keys = Object.keys(node).sort();
  if (keys.length !== FIELDS.length || keys.some((k, i) => k !== FIELDS[i]))
    throw new InvalidEnvelopeError({ details: 'unexpected fields' });
  if (node.type !== ENVELOPE_TYPE) throw new InvalidEnvelopeError({ details: 'not an envelope' });
  if (node.version !== ENVELOPE_VERSION)
    throw new InvalidEnvelopeError({ details: `unsupported version ${String(node.version)}` });
  if (node.aead !== ENVELOPE_AEAD) throw new InvalidEnvelopeError({ details: 'unsupported AEAD' });
  if (node.chunkSize !== CHUNK_SIZE) throw new InvalidEnvelopeError({ details: 'unsupported chunk size' });
  if (!isBytes(node.salt, 16) || !isBytes(node.commitment, 32) || !isBytes(node.mac, 32))
    throw new InvalidEnvelopeError({ details: 'invalid salt, commitment or MAC' });
  if (!isBytes(node.metadata) || node.metadata.length < 16)
    throw new InvalidEnvelopeError({ details: 'invalid metadata' });
  const payload = CID.asCID(node.payload);
  if (payload?.version !== 1) throw new InvalidEnvelopeError({ details: 'invalid payload link' });
  const recipients = node.recipients;
  if (!Array.isArray(recipients) || recipients.length === 0 || recipients.length > MAX_RECIPIENTS)
    throw new InvalidEnvelopeError({ details: 'invalid recipients' });
  for (const stanza of recipients) {
    if (stanza === null || typeof stanza !== 'object')
      throw new InvalidEnvelopeError({ details: 'invalid recipient stanza' });
    const s = stanza as Record<string, unknown>;
    if (Object.keys(s).length !== 2 || !isBytes(s.epk, 32) || !isBytes(s.key, 48))
      throw new InvalidEnvelopeError({ details: 'invalid recipient stanza' });
  }
  return node as unknown as EnvelopeHeaderNode;
}

/**
 * Reads the public part of an envelope header (no key needed): version, payload CID, recipient count.
 * Use it to tell an envelope (header) CID from its payload CID, e.g. to pin or export both.
 *
 * @throws {@link InvalidEnvelopeError} when the bytes are not a v1 envelope header.
 * @example
 * ```ts
 * import { encryptRecord, generateIdentity, readEnvelopeHeader } from '@mhrchain/core';
 *
 * const alice = generateIdentity();
 * const record = await encryptRecord({
 *   data: new TextEncoder().encode('hello'),
 *   metadata: { mediaType: 'text/plain' },
 *   recipients: [alice.publicKey],
 * });
 * const info = readEnvelopeHeader(record.header);
 * console.log(info.payload.equals(record.payloadCid)); // true
 * ```
 */
export function readEnvelopeHeader(bytes: Uint8Array): EnvelopeHeaderInfo {
  const header = decodeHeader(bytes);
  return {
    version: header.version,
    aead: header.aead,
    chunkSize: header.chunkSize,
    payload: header.payload,
    recipientCount: header.recipients.length,
  };
}
