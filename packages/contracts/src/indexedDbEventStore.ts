import type { EventIndexChange, EventIndexState, EventIndexStore, IndexedLog } from './eventIndexStore.js';

/** Parameters of {@link createIndexedDbEventStore}. */
export interface CreateIndexedDbEventStoreParameters {
  /** The database name (one per index, e.g. `mhr-events-<chainId>`). */
  name: string;
  /** The IndexedDB factory. Default: `globalThis.indexedDB`. */
  indexedDB?: IDBFactory;
}

const LOGS = 'logs';
const META = 'meta';

/**
 * An event index store in the browser's IndexedDB: logs keyed by `[blockNumber, index]` (so they load in chain
 * order), the checkpoints beside them. Each change (rewind, new logs, new checkpoints) is one read-write transaction,
 * resolved once committed: a closed tab leaves the index at its last committed sync.
 *
 * @example
 * ```ts
 * import { createEventIndex, createIndexedDbEventStore } from '@mhrchain/contracts';
 * import { BrowserProvider } from 'ethers';
 *
 * // const provider = new BrowserProvider(window.ethereum);
 * // const index = createEventIndex({ provider, address: Object.values(chain.addresses),
 * //   store: await createIndexedDbEventStore({ name: 'mhr-events-31337' }) });
 * ```
 */
export async function createIndexedDbEventStore(
  parameters: CreateIndexedDbEventStoreParameters,
): Promise<EventIndexStore> {
  const factory = parameters.indexedDB ?? globalThis.indexedDB;
  const opening = factory.open(parameters.name, 1);
  opening.onupgradeneeded = () => {
    opening.result.createObjectStore(LOGS);
    opening.result.createObjectStore(META);
  };
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    opening.onsuccess = () => resolve(opening.result);
    opening.onerror = () => reject(opening.error);
  });
  const run = <T>(
    mode: IDBTransactionMode,
    body: (logs: IDBObjectStore, meta: IDBObjectStore, report: (value: T) => void) => void,
  ) =>
    new Promise<T>((resolve, reject) => {
      const transaction = db.transaction([LOGS, META], mode, { durability: 'strict' });
      let result: T;
      transaction.oncomplete = () => resolve(result);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
      body(transaction.objectStore(LOGS), transaction.objectStore(META), (value) => {
        result = value;
      });
    });

  return {
    load: () =>
      run<{ state: EventIndexState; logs: IndexedLog[] } | undefined>('readonly', (logs, meta, report) => {
        const all = logs.getAll();
        const state = meta.get('state');
        all.onsuccess = () => {
          state.onsuccess = () =>
            report(
              state.result ? { state: state.result as EventIndexState, logs: all.result as IndexedLog[] } : undefined,
            );
        };
      }),
    commit: (change: EventIndexChange) =>
      run<void>('readwrite', (logs, meta) => {
        if (change.rewindTo !== undefined) logs.delete(IDBKeyRange.lowerBound([change.rewindTo + 1, 0]));
        for (const log of change.logs) logs.put(log, [log.blockNumber, log.index]);
        meta.put(change.state, 'state');
      }),
  };
}
