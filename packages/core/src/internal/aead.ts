import type * as NodeCrypto from 'node:crypto';
import { nodeBuiltin } from './nodeBuiltin.js';

/**
 * AES-256-GCM: WebCrypto in browsers (hardware AES, non-extractable keys), and in Node the same OpenSSL cipher through
 * `node:crypto` directly (synchronous, no thread-pool hop or buffer copies per chunk: several times faster for 64 KiB
 * chunks). Both produce identical bytes (tested against the published vectors). Every failure surfaces as the
 * caller's opaque error; this module only rejects.
 */

/** `node:crypto` when running in Node. */
const nodeCrypto = nodeBuiltin<typeof NodeCrypto>('node:crypto');

/** Which implementation new keys use. Internal: benchmarks and tests compare both. */
export type AeadBackend = 'node' | 'webcrypto';
let backend: AeadBackend = nodeCrypto ? 'node' : 'webcrypto';

/** Selects the implementation for keys imported from now on (`'node'` only where `node:crypto` exists). */
export function setAeadBackend(next: AeadBackend): AeadBackend {
  const previous = backend;
  backend = next === 'node' && nodeCrypto ? 'node' : 'webcrypto';
  return previous;
}

/** Length of an AES-256 key. */
export const KEY_LENGTH = 32;
/** Length of a GCM nonce. */
export const NONCE_LENGTH = 12;
/** Length of a GCM tag. */
export const TAG_LENGTH = 16;

/** An imported AES-256-GCM key. */
export type AeadKey = { readonly key: CryptoKey; readonly raw?: undefined } | { readonly raw: NodeCrypto.KeyObject };

/** Imports 32 raw key bytes as an AES-256-GCM key (non-extractable with WebCrypto). */
export async function importAeadKey(raw: Uint8Array): Promise<AeadKey> {
  if (raw.length !== KEY_LENGTH) throw new RangeError('AES-256 key must be 32 bytes');
  if (backend === 'node') return { raw: nodeCrypto!.createSecretKey(Uint8Array.from(raw)) };
  const key = await crypto.subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, { name: 'AES-GCM' }, false, [
    'encrypt',
    'decrypt',
  ]);
  return { key };
}

/** Encrypts `plaintext`; returns ciphertext with the 16-byte tag appended. */
export async function seal(
  key: AeadKey,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  aad?: Uint8Array,
): Promise<Uint8Array> {
  const parts = await sealParts(key, nonce, plaintext, aad);
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(plaintext.length + TAG_LENGTH);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Like {@link seal}, but returns the ciphertext as consecutive parts (ciphertext then tag) so a caller assembling
 * larger blocks copies each byte once.
 */
export async function sealParts(
  key: AeadKey,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  aad?: Uint8Array,
): Promise<Uint8Array[]> {
  if (key.raw) return sealPartsNow(key, nonce, plaintext, aad);
  if (nonce.length !== NONCE_LENGTH) throw new RangeError('GCM nonce must be 12 bytes');
  const params: AesGcmParams = { name: 'AES-GCM', iv: nonce as Uint8Array<ArrayBuffer>, tagLength: 128 };
  if (aad) params.additionalData = aad as Uint8Array<ArrayBuffer>;
  return [new Uint8Array(await crypto.subtle.encrypt(params, key.key, plaintext as Uint8Array<ArrayBuffer>))];
}

/**
 * {@link sealParts} for a `node:crypto` key, synchronously: the parts are ready on return (callers hash them while
 * they are still in cache).
 */
export function sealPartsNow(
  key: { readonly raw: NodeCrypto.KeyObject },
  nonce: Uint8Array,
  plaintext: Uint8Array,
  aad?: Uint8Array,
): Uint8Array[] {
  if (nonce.length !== NONCE_LENGTH) throw new RangeError('GCM nonce must be 12 bytes');
  const cipher = nodeCrypto!.createCipheriv('aes-256-gcm', key.raw, nonce, { authTagLength: TAG_LENGTH });
  if (aad) cipher.setAAD(aad);
  const body = cipher.update(plaintext);
  const rest = cipher.final();
  return rest.length > 0 ? [body, rest, cipher.getAuthTag()] : [body, cipher.getAuthTag()];
}

/** Decrypts and authenticates `ciphertext` (tag appended). Rejects on any failure. */
export async function open(
  key: AeadKey,
  nonce: Uint8Array,
  ciphertext: Uint8Array,
  aad?: Uint8Array,
): Promise<Uint8Array> {
  if (nonce.length !== NONCE_LENGTH) throw new RangeError('GCM nonce must be 12 bytes');
  if (ciphertext.length < TAG_LENGTH) throw new RangeError('ciphertext shorter than the tag');
  if (key.raw) {
    const body = ciphertext.length - TAG_LENGTH;
    const decipher = nodeCrypto!.createDecipheriv('aes-256-gcm', key.raw, nonce, { authTagLength: TAG_LENGTH });
    decipher.setAuthTag(ciphertext.subarray(body));
    if (aad) decipher.setAAD(aad);
    const head = decipher.update(ciphertext.subarray(0, body));
    const tail = decipher.final(); // throws unless the tag verifies; nothing is returned then
    if (tail.length === 0) return head;
    const out = new Uint8Array(body);
    out.set(head, 0);
    out.set(tail, head.length);
    return out;
  }
  const params: AesGcmParams = { name: 'AES-GCM', iv: nonce as Uint8Array<ArrayBuffer>, tagLength: 128 };
  if (aad) params.additionalData = aad as Uint8Array<ArrayBuffer>;
  return new Uint8Array(await crypto.subtle.decrypt(params, key.key, ciphertext as Uint8Array<ArrayBuffer>));
}
