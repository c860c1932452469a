import * as dagCbor from '@ipld/dag-cbor';
import { FsBlockstore } from 'blockstore-fs';
import { FsDatastore } from 'datastore-fs';
import { createHeliaLight, type Helia, type HeliaInit } from 'helia';

import { BlockNotFoundError } from './errors.js';
import { concatBytes } from './internal/bytes.js';
import { walkDag } from './internal/walkDag.js';
import type { Storage } from './storage.js';

/** Parameters of {@link createHeliaStorage}. */
export interface CreateHeliaStorageParameters {
  /** Directory of the node's repository (blocks in `blocks/`, pins and metadata in `datastore/`). Created if missing. */
  readonly directory: string;
}

/** A {@link Storage} backed by an embedded Helia (IPFS) node; `helia` is the node itself. */
export interface HeliaStorage extends Storage {
  /** The embedded node (offline: no libp2p, no routers, no network). */
  readonly helia: Helia;
}

/**
 * Starts an embedded, fully offline IPFS node (Helia) on the filesystem: the default storage. Nothing is sent to
 * the network; blocks, pins and metadata survive restarts from the same directory. Share data with others through
 * a gateway ({@link createTrustlessGatewayHandler}) or a CAR file ({@link exportCar}).
 *
 * @example
 * ```ts
 * import { createHeliaStorage } from '@mhrchain/core';
 *
 * const storage = await createHeliaStorage({ directory: './.mhr-data/ipfs' });
 * // ... storeEnvelope(storage, ...), loadEnvelope(storage, ...)
 * await storage.close();
 * ```
 */
export async function createHeliaStorage(parameters: CreateHeliaStorageParameters): Promise<HeliaStorage> {
  const blockstore = new FsBlockstore(`${parameters.directory}/blocks`);
  const datastore = new FsDatastore(`${parameters.directory}/datastore`);
  await blockstore.open();
  await datastore.open();
  const init: HeliaInit = { blockstore, datastore, codecs: [dagCbor], blockBrokers: [], routers: [] };
  const helia = createHeliaLight(init);
  await helia.start();
  const storage: HeliaStorage = {
    helia,
    readOnly: false,
    async put(cid, bytes, options) {
      await helia.blockstore.put(cid, bytes, options);
    },
    async get(cid, options) {
      if (!(await helia.blockstore.has(cid, options))) throw new BlockNotFoundError(cid.toString());
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
    async close() {
      await helia.stop();
      await blockstore.close();
      await datastore.close();
    },
  };
  return storage;
}
