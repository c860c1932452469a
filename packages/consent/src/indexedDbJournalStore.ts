import type { JournalStore, JournalValue } from './journal.js';

/** Parameters of {@link createIndexedDbJournalStore}. */
export interface CreateIndexedDbJournalStoreParameters {
  /** The database name: one per account (e.g. `mhr-journal-<address>`). */
  name: string;
  /** The IndexedDB factory. Default: `globalThis.indexedDB`. */
  indexedDB?: IDBFactory;
}

const STORE = 'journal';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/**
 * A journal in the browser's IndexedDB, one object store of JSON values. Each `set` and `delete` resolves when its
 * transaction has committed (durability `strict` where the browser supports it), so the entry survives a closed tab.
 *
 * @example
 * ```ts
 * import { createConsentClient, createIndexedDbJournalStore, createMemoryRecordStore } from '@mhrchain/consent';
 * import type { MhrChainAddresses } from '@mhrchain/contracts';
 * import type { Signer } from 'ethers';
 *
 * declare const signer: Signer;
 * declare const addresses: MhrChainAddresses;
 * const journal = await createIndexedDbJournalStore({ name: `mhr-journal-${await signer.getAddress()}` });
 * const client = await createConsentClient({ signer, addresses, store: createMemoryRecordStore(), journal });
 * ```
 */
export async function createIndexedDbJournalStore(
  parameters: CreateIndexedDbJournalStoreParameters,
): Promise<JournalStore> {
  const factory = parameters.indexedDB ?? globalThis.indexedDB;
  const open = factory.open(parameters.name, 1);
  open.onupgradeneeded = () => open.result.createObjectStore(STORE);
  const db = await request(open);
  const run = async <T>(mode: IDBTransactionMode, body: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
    const transaction = db.transaction(STORE, mode, { durability: 'strict' });
    const result = request(body(transaction.objectStore(STORE)));
    await new Promise<void>((resolve, reject) => {
      transaction.oncomplete = () => resolve();
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
    return result;
  };
  return {
    async get(key) {
      const value = await run('readonly', (store) => store.get(key));
      return value === undefined ? undefined : (JSON.parse(value as string) as JournalValue);
    },
    async set(key, value) {
      await run('readwrite', (store) => store.put(JSON.stringify(value), key));
    },
    async delete(key) {
      await run('readwrite', (store) => store.delete(key));
    },
    async keys(prefix) {
      const range = IDBKeyRange.bound(prefix, `${prefix}\uffff`);
      return (await run('readonly', (store) => store.getAllKeys(range))).map(String);
    },
  };
}
