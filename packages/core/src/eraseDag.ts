import type { CID } from 'multiformats/cid';
import { BlockNotFoundError } from './errors.js';
import { linksOf } from './internal/walkDag.js';
import type { StorageCallOptions } from './storage.js';

/** The part of a storage {@link eraseDag} uses: a `Storage` of this package, or any block store shaped like one. */
export interface ErasableStore {
  /** Reads a block; throws when it is absent. */
  get(cid: CID, options?: StorageCallOptions): Promise<Uint8Array>;
  /** Whether the block is present (lets a read failure be told apart from absence). */
  has?(cid: CID, options?: StorageCallOptions): Promise<boolean>;
  /** Removes a pin (no error when absent). */
  unpin?(cid: CID, options?: StorageCallOptions): Promise<unknown>;
  /** Removes one block now (no error when absent). */
  delete?(cid: CID, options?: StorageCallOptions): Promise<unknown>;
}

/** Options of {@link eraseDag}. */
export interface EraseDagOptions extends StorageCallOptions {
  /**
   * Blocks that stay, with everything under them: the walk does not enter them. For an envelope re-wrapped over the
   * same payload, pass the payload root the current version still links to, and only the old header goes.
   */
  keep?: readonly CID[];
}

/** What {@link eraseDag} did. */
export interface EraseDagReturnType {
  /** The blocks of the DAG this storage still held (each listed once). */
  found: CID[];
  /**
   * `'deleted'`: every block found was removed from the storage now. `'unpinned'`: the storage cannot remove single
   * blocks; the DAG is unpinned and its blocks go at the node's next garbage collection.
   */
  outcome: 'deleted' | 'unpinned';
}

/**
 * Removes a DAG (an envelope and every block under it) from a storage: unpins its root, then deletes its blocks,
 * children before parents, so that a crash part-way leaves every remaining block still reachable from the root and a
 * second call finishes the job. Blocks already absent are skipped, which makes the call idempotent; blocks under
 * `keep` stay. It removes the blocks from this storage only: copies another node or a reader already fetched are out
 * of its reach.
 *
 * @example
 * ```ts
 * import { createMemoryStorage, eraseDag, generateIdentity, storeEnvelope } from '@mhrchain/core';
 *
 * const storage = createMemoryStorage();
 * const { cid } = await storeEnvelope(storage, {
 *   data: new TextEncoder().encode('hello'),
 *   metadata: { mediaType: 'text/plain' },
 *   recipients: [generateIdentity().publicKey],
 * });
 * const { outcome } = await eraseDag(storage, cid); // 'deleted'
 * ```
 */
export async function eraseDag(
  storage: ErasableStore,
  root: CID,
  options: EraseDagOptions = {},
): Promise<EraseDagReturnType> {
  options.signal?.throwIfAborted();
  await storage.unpin?.(root, options);
  // Post-order: a block is listed after every block under it.
  const found: CID[] = [];
  const seen = new Set<string>((options.keep ?? []).map(String));
  const visit = async (cid: CID): Promise<void> => {
    options.signal?.throwIfAborted();
    const id = cid.toString();
    if (seen.has(id)) return;
    seen.add(id);
    // Asked first where the storage can say: a networked node would otherwise search its peers for a block it lacks.
    if (storage.has && !(await storage.has(cid, options))) return;
    let bytes: Uint8Array;
    try {
      bytes = await storage.get(cid, options);
    } catch (error) {
      // Absent here (never stored, or removed by an earlier, interrupted call): skip it. Any other failure is the
      // storage's and stops the erasure rather than report blocks as gone that are not.
      if (await isAbsent(storage, cid, error, options)) return;
      throw error;
    }
    for (const link of linksOf(cid, bytes)) await visit(link);
    found.push(cid);
  };
  await visit(root);
  if (!storage.delete) return { found, outcome: 'unpinned' };
  for (const cid of found) {
    options.signal?.throwIfAborted();
    await storage.delete(cid, options);
  }
  return { found, outcome: 'deleted' };
}

async function isAbsent(storage: ErasableStore, cid: CID, error: unknown, options: StorageCallOptions) {
  options.signal?.throwIfAborted();
  if (storage.has) return !(await storage.has(cid, options));
  return error instanceof BlockNotFoundError;
}
