import type { Helia } from '@helia/interface';
import type { CID } from 'multiformats/cid';
import { startHeliaStorage } from './internal/heliaBackedStorage.js';
import type { Storage, StorageCallOptions } from './storage.js';

/** Parameters of {@link createHeliaStorage}. */
export interface CreateHeliaStorageParameters {
  /**
   * Where the node keeps its repository. In Node, a directory (blocks in `blocks/`, pins and metadata in
   * `datastore/`; created if missing). In browsers, the name under which its IndexedDB databases are kept
   * (`<directory>/blocks` and `<directory>/datastore`).
   */
  readonly directory: string;
}

/** A {@link Storage} backed by an embedded Helia (IPFS) node; `helia` is the node itself. */
export interface HeliaStorage extends Storage {
  /** The embedded node (offline: no libp2p, no routers, no network). */
  readonly helia: Helia;
  /** Removes one block from the node's block store now (no error when absent; Helia refuses a pinned root). */
  delete(cid: CID, options?: StorageCallOptions): Promise<void>;
}

/**
 * Starts an embedded, fully offline IPFS node (Helia) on the filesystem (in browsers: on IndexedDB): the default
 * storage. Nothing is sent to the network; blocks, pins and metadata survive restarts from the same directory
 * (browser: database name). Share data with others through a gateway ({@link createTrustlessGatewayHandler}) or a
 * CAR file ({@link exportCar}).
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
  const [{ FsBlockstore }, { FsDatastore }] = await Promise.all([import('blockstore-fs'), import('datastore-fs')]);
  const blockstore = new FsBlockstore(`${parameters.directory}/blocks`);
  const datastore = new FsDatastore(`${parameters.directory}/datastore`);
  await blockstore.open();
  await datastore.open();
  return startHeliaStorage({ blockstore, datastore });
}
