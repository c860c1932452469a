import { expand, extract } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';

const encoder = new TextEncoder();
const label = (name: string) => encoder.encode(`mhrchain/envelope/v1 ${name}`);

const PAYLOAD = label('payload');
const METADATA = label('metadata');
const HEADER_MAC = label('header-mac');
const COMMITMENT = label('commitment');
const WRAP = label('wrap');

/** Length of the data key, the header salt and derived keys. */
export const DATA_KEY_LENGTH = 32;
export const SALT_LENGTH = 16;

/** Everything derived from one record's data key and header salt (see docs/spec/envelope.md, "Key schedule"). */
export interface RecordKeys {
  /** AES-256-GCM key of the payload chunks. */
  readonly payloadKey: Uint8Array;
  /** AES-256-GCM key of the encrypted metadata. */
  readonly metadataKey: Uint8Array;
  /** HMAC-SHA256 key of the header MAC. */
  readonly macKey: Uint8Array;
  /** The key commitment stored in the header. */
  readonly commitment: Uint8Array;
}

/** Derives the record keys: PRK = HKDF-Extract(salt, dataKey); each key = HKDF-Expand(PRK, label, 32). */
export function deriveRecordKeys(dataKey: Uint8Array, salt: Uint8Array): RecordKeys {
  const prk = extract(sha256, dataKey, salt);
  return {
    payloadKey: expand(sha256, prk, PAYLOAD, 32),
    metadataKey: expand(sha256, prk, METADATA, 32),
    macKey: expand(sha256, prk, HEADER_MAC, 32),
    commitment: expand(sha256, prk, COMMITMENT, 32),
  };
}

/** The key that wraps the data key for one recipient: HKDF(ikm = X25519 shared secret, salt = epk || recipient). */
export function deriveWrapKey(shared: Uint8Array, ephemeralPublicKey: Uint8Array, recipient: Uint8Array): Uint8Array {
  const salt = new Uint8Array(64);
  salt.set(ephemeralPublicKey, 0);
  salt.set(recipient, 32);
  return expand(sha256, extract(sha256, shared, salt), WRAP, 32);
}

/** HMAC-SHA256 of the header bytes (without the `mac` field). */
export function headerMac(macKey: Uint8Array, headerWithoutMac: Uint8Array): Uint8Array {
  return hmac(sha256, macKey, headerWithoutMac);
}

/** The payload chunk nonce: 11-byte big-endian chunk index, then 0x01 for the final chunk, else 0x00. */
export function chunkNonce(index: number, last: boolean): Uint8Array {
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError('chunk index out of range');
  const nonce = new Uint8Array(12);
  let rest = index;
  for (let i = 10; i >= 0 && rest > 0; i--) {
    nonce[i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  nonce[11] = last ? 1 : 0;
  return nonce;
}
