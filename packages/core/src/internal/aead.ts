/**
 * AES-256-GCM through WebCrypto (hardware AES in every browser and in Node). Keys are imported once per record and
 * are not extractable. Every failure surfaces as the caller's opaque error; this module only rejects.
 */

/** Length of an AES-256 key. */
export const KEY_LENGTH = 32;
/** Length of a GCM nonce. */
export const NONCE_LENGTH = 12;
/** Length of a GCM tag. */
export const TAG_LENGTH = 16;

/** An imported AES-256-GCM key. */
export interface AeadKey {
  readonly key: CryptoKey;
}

/** Imports 32 raw key bytes as a non-extractable AES-256-GCM key. */
export async function importAeadKey(raw: Uint8Array): Promise<AeadKey> {
  if (raw.length !== KEY_LENGTH) throw new RangeError('AES-256 key must be 32 bytes');
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
  if (nonce.length !== NONCE_LENGTH) throw new RangeError('GCM nonce must be 12 bytes');
  const params: AesGcmParams = { name: 'AES-GCM', iv: nonce as Uint8Array<ArrayBuffer>, tagLength: 128 };
  if (aad) params.additionalData = aad as Uint8Array<ArrayBuffer>;
  return new Uint8Array(await crypto.subtle.encrypt(params, key.key, plaintext as Uint8Array<ArrayBuffer>));
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
  const params: AesGcmParams = { name: 'AES-GCM', iv: nonce as Uint8Array<ArrayBuffer>, tagLength: 128 };
  if (aad) params.additionalData = aad as Uint8Array<ArrayBuffer>;
  return new Uint8Array(await crypto.subtle.decrypt(params, key.key, ciphertext as Uint8Array<ArrayBuffer>));
}
