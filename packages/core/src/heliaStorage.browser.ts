import { PlatformNotSupportedError } from './errors.js';
import type { CreateHeliaStorageParameters, HeliaStorage } from './heliaStorage.js';
import { startHeliaStorage } from './internal/heliaBackedStorage.js';

export type { CreateHeliaStorageParameters, HeliaStorage } from './heliaStorage.js';

/**
 * Starts the embedded, fully offline IPFS node (Helia) in a browser, on IndexedDB: blocks, pins and metadata
 * survive page reloads and browser restarts under the same `directory` name (two IndexedDB databases,
 * `<directory>/blocks` and `<directory>/datastore`, private to the page's origin). Nothing is sent to the network.
 *
 * @throws {@link PlatformNotSupportedError} where IndexedDB is unavailable (some private modes, non-window contexts
 * without it).
 * @example
 * ```ts
 * import { createHeliaStorage } from '@mhrchain/core';
 *
 * const storage = await createHeliaStorage({ directory: 'mhr-patient' }); // in a browser: IndexedDB
 * await storage.close();
 * ```
 */
export async function createHeliaStorage(parameters: CreateHeliaStorageParameters): Promise<HeliaStorage> {
  if (typeof indexedDB === 'undefined')
    throw new PlatformNotSupportedError({
      operation: 'createHeliaStorage',
      details: 'IndexedDB is not available here',
    });
  const [{ IDBBlockstore }, { IDBDatastore }] = await Promise.all([import('blockstore-idb'), import('datastore-idb')]);
  const blockstore = new IDBBlockstore(`${parameters.directory}/blocks`);
  const datastore = new IDBDatastore(`${parameters.directory}/datastore`);
  try {
    await blockstore.open();
    await datastore.open();
  } catch (error) {
    await blockstore.close().catch(() => {});
    throw new PlatformNotSupportedError({
      operation: 'createHeliaStorage',
      details: `IndexedDB refused to open: ${String(error)}`,
    });
  }
  return startHeliaStorage({ blockstore, datastore });
}
