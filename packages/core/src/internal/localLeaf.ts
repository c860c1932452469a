import type * as NodeCrypto from 'node:crypto';
import type { Block } from '../block.js';
import { type AeadKey, sealParts, sealPartsNow } from './aead.js';
import { concatBytes, releaseBytes } from './bytes.js';
import { nodeBuiltin } from './nodeBuiltin.js';
import { rawBlock, rawBlockOfDigest } from './payloadDag.js';

/**
 * A payload leaf sealed on the caller's thread, chunk by chunk as the plaintext arrives: no leaf-sized plaintext
 * buffer, and each chunk's plaintext is read once, when it is added (callers may reuse it afterwards).
 *
 * With a `node:crypto` key a chunk is encrypted on the spot and its ciphertext hashed while it is still in cache;
 * with a WebCrypto key the chunks are encrypted concurrently and the leaf is hashed once they are all in.
 */
export interface LocalLeaf {
  /** Seals the next chunk of this leaf under `nonce`. */
  add(nonce: Uint8Array, plaintext: Uint8Array): void;
  /** The leaf block: every chunk's ciphertext and tag, in order, and its raw CID. */
  finish(): Promise<Block>;
}

const nodeCrypto = nodeBuiltin<typeof NodeCrypto>('node:crypto');

/**
 * Starts a leaf sealed under `key`. With a `node:crypto` key and `into`, the leaf bytes are written into `into` (the
 * block's bytes are then a view of it) and no memory is allocated for them; `into` is ignored with WebCrypto.
 */
export function localLeaf(key: AeadKey, into?: Uint8Array): LocalLeaf {
  const raw = key.raw;
  if (raw && nodeCrypto) {
    const hash = nodeCrypto.createHash('sha256');
    const parts: Uint8Array[] = [];
    let offset = 0;
    return {
      add(nonce, plaintext) {
        for (const part of sealPartsNow({ raw }, nonce, plaintext)) {
          hash.update(part);
          if (into) {
            into.set(part, offset);
            offset += part.length;
            releaseBytes(part);
          } else parts.push(part);
        }
      },
      async finish() {
        if (into) return rawBlockOfDigest(into.subarray(0, offset), hash.digest());
        const bytes = concatBytes(parts);
        for (const part of parts) releaseBytes(part);
        return rawBlockOfDigest(bytes, hash.digest());
      },
    };
  }
  const sealed: Promise<Uint8Array[]>[] = [];
  return {
    add(nonce, plaintext) {
      // WebCrypto copies the plaintext when the call is made.
      const parts = sealParts(key, nonce, plaintext);
      parts.catch(() => {});
      sealed.push(parts);
    },
    async finish() {
      return rawBlock(concatBytes((await Promise.all(sealed)).flat()));
    },
  };
}
