import type { CID } from 'multiformats/cid';

/**
 * Where envelopes live: the smallest block interface the consent flows need. The storages of `@mhrchain/core`
 * (embedded Helia, memory, gateways) fit it, and so does any IPFS blockstore with a bytes-returning `get`.
 */
export interface RecordStore {
  /** Stores a block under its CID. */
  put(cid: CID, bytes: Uint8Array): Promise<unknown>;
  /** Returns a block's bytes (hash-verified by the store), or throws when it is missing. */
  get(cid: CID): Promise<Uint8Array>;
}

/**
 * An in-memory {@link RecordStore} (tests, examples, short-lived tools).
 *
 * @example
 * ```ts
 * import { createMemoryRecordStore } from '@mhrchain/consent';
 *
 * const store = createMemoryRecordStore();
 * ```
 */
export function createMemoryRecordStore(): RecordStore & { readonly size: number } {
  const blocks = new Map<string, Uint8Array>();
  return {
    async put(cid, bytes) {
      blocks.set(cid.toString(), bytes);
    },
    async get(cid) {
      const bytes = blocks.get(cid.toString());
      if (!bytes) throw new Error(`Block not found: ${cid.toString()}`);
      return bytes;
    },
    get size() {
      return blocks.size;
    },
  };
}
