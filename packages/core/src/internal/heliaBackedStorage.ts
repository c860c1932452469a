import type { Helia } from '@helia/interface';
import * as dagCbor from '@ipld/dag-cbor';
import type { HeliaInit } from 'helia';
import { BlockNotFoundError } from '../errors.js';
import type { HeliaStorage } from '../heliaStorage.js';
import { concatBytes } from './bytes.js';
import { walkDag } from './walkDag.js';

/** An opened block store and datastore (filesystem in Node, IndexedDB in browsers). */
interface OpenStores {
  readonly blockstore: NonNullable<HeliaInit['blockstore']> & { close(): Promise<void> };
  readonly datastore: NonNullable<HeliaInit['datastore']> & { close(): Promise<void> };
}

/**
 * Starts an offline Helia node (no libp2p, routers or block brokers) on opened stores and returns the
 * {@link HeliaStorage} over it; `close` stops the node, then closes the stores.
 */
export async function startHeliaStorage({ blockstore, datastore }: OpenStores): Promise<HeliaStorage> {
  // Loaded on first use: importing @mhrchain/core stays cheap for code that never starts a node.
  const { createHeliaLight } = await import('helia');
  const init: HeliaInit = { blockstore, datastore, codecs: [dagCbor], blockBrokers: [], routers: [] };
  const helia = createHeliaLight(init);
  await helia.start();
  return heliaBackedStorage(helia, async () => {
    await blockstore.close();
    await datastore.close();
  });
}

function heliaBackedStorage(helia: Helia, closeStores: () => Promise<void>): HeliaStorage {
  const storage: HeliaStorage = {
    helia,
    readOnly: false,
    // Both stores used here (files, IndexedDB) write or clone a block's bytes before their put resolves.
    copiesOnPut: true,
    async put(cid, bytes, options) {
      await helia.blockstore.put(cid, bytes, options);
    },
    async get(cid, options) {
      if (!(await helia.blockstore.has(cid, options))) throw new BlockNotFoundError({ cid: cid.toString() });
      const parts: Uint8Array[] = [];
      for await (const part of helia.blockstore.get(cid, { ...options, offline: true })) parts.push(part);
      return parts.length === 1 ? parts[0]! : concatBytes(parts);
    },
    async has(cid, options) {
      return helia.blockstore.has(cid, options);
    },
    async pin(cid, options) {
      if (await helia.pins.isPinned(cid, options)) return;
      // Check the DAG is complete first: Helia would otherwise fail later, outside this call.
      for await (const _ of walkDag(storage, cid, options)) {
        // every block must be present
      }
      for await (const _ of helia.pins.add(cid, { ...options, offline: true } as never)) {
        // walks the whole DAG
      }
    },
    async unpin(cid, options) {
      if (!(await helia.pins.isPinned(cid, options))) return;
      for await (const _ of helia.pins.rm(cid, options)) {
        // removes the pin references
      }
    },
    async isPinned(cid, options) {
      return helia.pins.isPinned(cid, options);
    },
    async delete(cid, options) {
      // Helia refuses to delete a pinned root; a block that is absent is already gone.
      if (await helia.blockstore.has(cid, options)) await helia.blockstore.delete(cid, options);
    },
    async close() {
      await helia.stop();
      await closeStores();
    },
  };
  return storage;
}
