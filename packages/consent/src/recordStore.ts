import { BlockNotFoundError } from '@mhrchain/core';
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
  /**
   * Pins a DAG recursively so garbage collection keeps it. When the store has it, the flows pin every version they
   * anchor before anchoring it, and unpin a version once its successor is anchored.
   */
  pin?(cid: CID): Promise<unknown>;
  /** Removes a pin (no error when absent). */
  unpin?(cid: CID): Promise<unknown>;
  /** Whether `cid` is pinned as a root. */
  isPinned?(cid: CID): Promise<boolean>;
  /** Whether the block is present in this store. */
  has?(cid: CID): Promise<boolean>;
  /**
   * Removes one block now (no error when absent). `eraseRecords` removes every block of an erased record's versions
   * with it; a store without it only gets them unpinned (they go at its next garbage collection).
   */
  delete?(cid: CID): Promise<unknown>;
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
  const pins = new Set<string>();
  return {
    async pin(cid) {
      pins.add(cid.toString());
    },
    async unpin(cid) {
      pins.delete(cid.toString());
    },
    async isPinned(cid) {
      return pins.has(cid.toString());
    },
    async put(cid, bytes) {
      blocks.set(cid.toString(), bytes);
    },
    async get(cid) {
      const bytes = blocks.get(cid.toString());
      if (!bytes) throw new BlockNotFoundError({ cid: cid.toString() });
      return bytes;
    },
    async has(cid) {
      return blocks.has(cid.toString());
    },
    async delete(cid) {
      blocks.delete(cid.toString());
    },
    get size() {
      return blocks.size;
    },
  };
}
