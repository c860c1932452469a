import type { CID } from 'multiformats/cid';
import { BlockNotFoundError } from './errors.js';
import { walkDag } from './internal/walkDag.js';

/** Options accepted by every storage call. */
export interface StorageCallOptions {
  /** Aborts the call. */
  readonly signal?: AbortSignal;
}

/**
 * Where envelope blocks live: an embedded IPFS node ({@link createHeliaStorage}), memory ({@link createMemoryStorage})
 * or, read-only, trustless gateways ({@link createGatewayStorage}). Blocks are addressed by CID; `get` only ever
 * returns bytes that hash to the CID asked for (remote reads are verified; local stores hold what was put).
 *
 * @example
 * ```ts
 * import { createMemoryStorage, type Storage } from '@mhrchain/core';
 *
 * const storage: Storage = createMemoryStorage();
 * console.log(storage.readOnly); // false
 * ```
 */
export interface Storage {
  /** True when `put`, `pin` and `unpin` throw {@link StorageReadOnlyError}. */
  readonly readOnly: boolean;
  /**
   * True when `put` no longer refers to the bytes it was given once it resolves (it copied or wrote them out), so
   * the caller may reuse that memory: {@link storeEnvelope} then seals later payload leaves in the memory of leaves
   * already stored instead of new memory (measured: over twice as fast for large records where new memory is slow to fault
   * in). Leave it unset (or false) when the storage may keep the very array it was given, as the in-memory storage
   * does.
   */
  readonly copiesOnPut?: boolean;
  /** Stores a block. */
  put(cid: CID, bytes: Uint8Array, options?: StorageCallOptions): Promise<void>;
  /** Reads a block; throws {@link BlockNotFoundError} when it is not available. */
  get(cid: CID, options?: StorageCallOptions): Promise<Uint8Array>;
  /** Whether the block is available locally. */
  has(cid: CID, options?: StorageCallOptions): Promise<boolean>;
  /** Pins a DAG recursively (every block under `cid` must be present), so it survives garbage collection. */
  pin(cid: CID, options?: StorageCallOptions): Promise<void>;
  /** Removes a pin. */
  unpin(cid: CID, options?: StorageCallOptions): Promise<void>;
  /** Whether `cid` is pinned (as a root). */
  isPinned(cid: CID, options?: StorageCallOptions): Promise<boolean>;
  /**
   * Removes one block from this storage now (no error when it is absent). Storages that cannot remove a single
   * block leave it out; {@link eraseDag} then unpins only, and the block goes at the node's next garbage collection.
   */
  delete?(cid: CID, options?: StorageCallOptions): Promise<void>;
  /** Releases files, sockets and caches. */
  close(): Promise<void>;
}

/**
 * Creates an in-memory storage (tests, short-lived tools). Pins are recorded; nothing is ever collected, but
 * `delete` removes a block at once.
 *
 * @example
 * ```ts
 * import { createMemoryStorage, encryptRecord, generateIdentity, storeEnvelope } from '@mhrchain/core';
 *
 * const storage = createMemoryStorage();
 * const alice = generateIdentity();
 * const { cid } = await storeEnvelope(storage, {
 *   data: new TextEncoder().encode('hello'),
 *   metadata: { mediaType: 'text/plain' },
 *   recipients: [alice.publicKey],
 * });
 * ```
 */
export function createMemoryStorage(): Storage {
  const blocks = new Map<string, Uint8Array>();
  const pins = new Set<string>();
  const key = (cid: CID) => cid.toString();
  const storage: Storage = {
    readOnly: false,
    async put(cid, bytes) {
      blocks.set(key(cid), bytes);
    },
    async get(cid) {
      const bytes = blocks.get(key(cid));
      if (!bytes) throw new BlockNotFoundError({ cid: cid.toString() });
      return bytes;
    },
    async has(cid) {
      return blocks.has(key(cid));
    },
    async pin(cid, options) {
      for await (const _ of walkDag(storage, cid, options)) {
        // every block must be present
      }
      pins.add(key(cid));
    },
    async unpin(cid) {
      pins.delete(key(cid));
    },
    async isPinned(cid) {
      return pins.has(key(cid));
    },
    async delete(cid) {
      blocks.delete(key(cid));
    },
    async close() {},
  };
  return storage;
}
