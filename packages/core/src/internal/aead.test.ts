import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import vectors from '../../test/vectors/aes-256-gcm.json' with { type: 'json' };
import { type AeadBackend, importAeadKey, open, seal, setAeadBackend } from './aead.js';

// Looped as Wycheproof does: every valid case must seal to the published bytes and open back; every modified
// case (any tag bit flipped, a ciphertext bit flipped, truncated tag, wrong nonce, wrong AAD) must be rejected.
describe.each(['node', 'webcrypto'] as AeadBackend[])('AES-256-GCM through %s (published vectors)', (name) => {
  let previous: AeadBackend;
  beforeAll(() => {
    previous = setAeadBackend(name);
  });
  afterAll(() => {
    setAeadBackend(previous);
  });
  it('uses the selected implementation', async () => {
    const key = await importAeadKey(new Uint8Array(32));
    expect(key.raw !== undefined).toBe(name === 'node');
  });

  for (const v of vectors.cases) {
    const aad = v.aad ? hexToBytes(v.aad) : undefined;
    const sealed = hexToBytes(v.ct + v.tag);

    it(`${v.name}: seals and opens`, async () => {
      const key = await importAeadKey(hexToBytes(v.key));
      expect(bytesToHex(await seal(key, hexToBytes(v.iv), hexToBytes(v.pt), aad))).toBe(v.ct + v.tag);
      expect(bytesToHex(await open(key, hexToBytes(v.iv), sealed, aad))).toBe(v.pt);
    });

    it(`${v.name}: rejects every modified tag bit, a flipped ciphertext bit, truncation, wrong nonce or AAD`, async () => {
      const key = await importAeadKey(hexToBytes(v.key));
      const iv = hexToBytes(v.iv);
      const invalid: { ct: Uint8Array; iv: Uint8Array; aad: Uint8Array | undefined }[] = [];
      for (let bit = 0; bit < 128; bit++) {
        const ct = sealed.slice();
        ct[ct.length - 16 + (bit >> 3)]! ^= 1 << (bit & 7);
        invalid.push({ ct, iv, aad });
      }
      if (v.ct.length > 0) {
        const ct = sealed.slice();
        ct[0]! ^= 0x80;
        invalid.push({ ct, iv, aad });
      }
      invalid.push({ ct: sealed.subarray(0, sealed.length - 1), iv, aad });
      invalid.push({ ct: sealed.subarray(0, 15), iv, aad });
      const otherIv = iv.slice();
      otherIv[11]! ^= 1;
      invalid.push({ ct: sealed, iv: otherIv, aad });
      invalid.push({ ct: sealed, iv, aad: aad ? undefined : new Uint8Array([0]) });
      for (const c of invalid) await expect(open(key, c.iv, c.ct, c.aad)).rejects.toThrow();
    });
  }
});
