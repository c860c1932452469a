import { ecb } from '@noble/ciphers/aes.js';
import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import { sha256 } from 'multiformats/hashes/sha2';
import { describe, expect, it } from 'vitest';
import { decryptRecord } from './envelope.js';
import { DecryptionError } from './errors.js';
import { importIdentity } from './identity.js';
import { importAeadKey, open, seal } from './internal/aead.js';
import { concatBytes, equalBytes } from './internal/bytes.js';
import { sealHeader } from './internal/headerSeal.js';
import { chunkNonce, deriveRecordKeys } from './internal/keySchedule.js';
import { sortStanzas, wrapForRecipient } from './internal/recipients.js';
import { encodeMetadata } from './metadata.js';

// GF(2^128) arithmetic in GCM's bit order (NIST SP 800-38D, algorithm 1).
const R = 0xe1n << 120n;
const toBig = (b: Uint8Array) => BigInt(`0x${Buffer.from(b).toString('hex')}`);
const toBytes = (x: bigint) => Uint8Array.from(Buffer.from(x.toString(16).padStart(32, '0'), 'hex'));
function mul(x: bigint, y: bigint): bigint {
  let z = 0n;
  let v = y;
  for (let i = 127n; i >= 0n; i--) {
    if ((x >> i) & 1n) z ^= v;
    v = v & 1n ? (v >> 1n) ^ R : v >> 1n;
  }
  return z;
}
function inverse(x: bigint): bigint {
  // x^(2^128 - 2)
  let result = 1n << 127n; // the multiplicative identity in GCM bit order
  let base = x;
  for (let i = 1; i < 128; i++) {
    base = mul(base, base);
    result = mul(result, base);
  }
  return result;
}
const aesBlock = (key: Uint8Array, block: Uint8Array) => ecb(key, { disablePadding: true }).encrypt(block);

/**
 * Builds a 2-block AES-GCM ciphertext + tag that is valid under BOTH keys (the "invisible salamanders"
 * construction): GCM alone is not key-committing.
 */
function collidingCiphertext(k1: Uint8Array, k2: Uint8Array, nonce: Uint8Array): Uint8Array {
  const j0 = concatBytes([nonce, new Uint8Array([0, 0, 0, 1])]);
  const [h1, h2] = [k1, k2].map((k) => toBig(aesBlock(k, new Uint8Array(16)))) as [bigint, bigint];
  const [e1, e2] = [k1, k2].map((k) => toBig(aesBlock(k, j0))) as [bigint, bigint];
  const length = 256n; // len(A) = 0, len(C) = 256 bits
  const c1 = toBig(new TextEncoder().encode('forged record 01'));
  const h1sq = mul(h1, h1);
  const h2sq = mul(h2, h2);
  const rhs = e1 ^ e2 ^ mul(length, h1 ^ h2) ^ mul(c1, mul(h1sq, h1) ^ mul(h2sq, h2));
  const c2 = mul(rhs, inverse(h1sq ^ h2sq));
  const tag = e1 ^ mul(c1, mul(h1sq, h1)) ^ mul(c2, h1sq) ^ mul(length, h1);
  return concatBytes([toBytes(c1), toBytes(c2), toBytes(tag)]);
}

describe('key commitment', () => {
  it('a payload that AES-GCM opens under two data keys still opens for one header key only', async () => {
    const alice = importIdentity(new Uint8Array(32).fill(1));
    const bob = importIdentity(new Uint8Array(32).fill(2));
    const k1 = new Uint8Array(32).fill(0x11);
    const k2 = new Uint8Array(32).fill(0x22);
    const salt = new Uint8Array(16).fill(0x33);
    const keys1 = deriveRecordKeys(k1, salt);
    const keys2 = deriveRecordKeys(k2, salt);
    const nonce = chunkNonce(0, true);
    const payload = collidingCiphertext(keys1.payloadKey, keys2.payloadKey, nonce);

    // Plain AES-GCM accepts the forged chunk under both payload keys, with two different plaintexts.
    const p1 = await open(await importAeadKey(keys1.payloadKey), nonce, payload);
    const p2 = await open(await importAeadKey(keys2.payloadKey), nonce, payload);
    expect(equalBytes(p1, p2)).toBe(false);

    // The attacker wraps K1 for Alice and K2 for Bob in one header (any commitment and MAC it likes).
    let seed = 0;
    const random = (n: number) => new Uint8Array(n).fill(++seed);
    const payloadCid = CID.createV1(raw.code, await sha256.digest(payload));
    const forge = async (keys: typeof keys1) => {
      const metadata = await seal(
        await importAeadKey(keys.metadataKey),
        new Uint8Array(12),
        encodeMetadata({ mediaType: 'text/plain', size: 32, created: '2026-01-01T00:00:00.000Z' }),
      );
      const stanzas = sortStanzas([
        await wrapForRecipient(k1, alice.publicKey, random),
        await wrapForRecipient(k2, bob.publicKey, random),
      ]);
      return (await sealHeader({ keys, salt, stanzas, metadata, payload: payloadCid })).bytes;
    };

    for (const [keys, opens, refused, plaintext] of [
      [keys1, alice, bob, p1],
      [keys2, bob, alice, p2],
    ] as const) {
      const header = await forge(keys);
      const out = await decryptRecord({ header, payload, identity: opens });
      expect(equalBytes(out.data, plaintext)).toBe(true);
      await expect(decryptRecord({ header, payload, identity: refused })).rejects.toThrow(DecryptionError);
    }
  });
});
