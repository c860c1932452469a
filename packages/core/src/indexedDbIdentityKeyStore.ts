import { InvalidKeyError } from './errors.js';
import { type IdentityKeyStore, identityKeyStoreOver, type StoredIdentityKey } from './identityKeyStore.js';

/** Parameters of {@link createIndexedDbIdentityKeyStore}. */
export interface CreateIndexedDbIdentityKeyStoreParameters {
  /** The database name: one per account (e.g. `mhr-identity-<address>`). */
  name: string;
  /** The IndexedDB factory. Default: `globalThis.indexedDB`. */
  indexedDB?: IDBFactory;
}

const STORE = 'identity';
const KEY = 'x25519';
const FORMAT = 'mhrchain-identity-key';

type Entry = { format: string; version: number; secretKey?: Uint8Array; shredded?: boolean };

function parse(name: string, entry: Entry | undefined): StoredIdentityKey | undefined {
  if (entry === undefined) return undefined;
  if (entry?.format !== FORMAT || entry.version !== 1)
    throw new InvalidKeyError('The stored identity key has an unknown format.', { details: name });
  if (entry.shredded === true) return { state: 'shredded' };
  if (!(entry.secretKey instanceof Uint8Array) || entry.secretKey.length !== 32)
    throw new InvalidKeyError('The stored identity key holds no valid secret key.', { details: name });
  return { state: 'active', secretKey: entry.secretKey };
}

/**
 * An identity key store in the browser's IndexedDB (one database per account). The random identity is created in one
 * read-write transaction (so two tabs starting at once end up with the same identity), and each write resolves when
 * its transaction has committed (durability `strict` where the browser supports it). {@link IdentityKeyStore.shred}
 * first overwrites the stored key with zeros, then replaces it with a marker that the identity was shredded.
 *
 * Overwriting is best effort: browsers keep IndexedDB in their own files (LevelDB, SQLite) and may keep old values
 * until they compact them; the user clearing site data also destroys the key (keep a backup if that must not happen).
 *
 * @example
 * ```ts
 * import { createIndexedDbIdentityKeyStore } from '@mhrchain/core';
 *
 * const keys = await createIndexedDbIdentityKeyStore({ name: 'mhr-identity-patient' });
 * const identity = await keys.getOrCreate();
 * ```
 */
export async function createIndexedDbIdentityKeyStore(
  parameters: CreateIndexedDbIdentityKeyStoreParameters,
): Promise<IdentityKeyStore> {
  const { name } = parameters;
  const factory = parameters.indexedDB ?? globalThis.indexedDB;
  const opening = factory.open(name, 1);
  opening.onupgradeneeded = () => opening.result.createObjectStore(STORE);
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    opening.onsuccess = () => resolve(opening.result);
    opening.onerror = () => reject(opening.error);
  });
  /** Runs `body` in one transaction and resolves with what it reports once the transaction has committed. */
  const run = <T>(mode: IDBTransactionMode, body: (store: IDBObjectStore, report: (value: T) => void) => void) =>
    new Promise<T>((resolve, reject) => {
      const transaction = db.transaction(STORE, mode, { durability: 'strict' });
      let result: T;
      body(transaction.objectStore(STORE), (value) => {
        result = value;
      });
      transaction.oncomplete = () => resolve(result);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
  const put = (entry: Entry) =>
    run<void>('readwrite', (store) => {
      store.put(entry, KEY);
    });
  return identityKeyStoreOver({
    read: async () =>
      parse(
        name,
        await run<Entry | undefined>('readonly', (store, report) => {
          const get = store.get(KEY);
          get.onsuccess = () => report(get.result as Entry | undefined);
        }),
      ),
    create: async (secretKey) =>
      parse(
        name,
        await run<Entry>('readwrite', (store, report) => {
          const get = store.get(KEY);
          get.onsuccess = () => {
            const existing = get.result as Entry | undefined;
            if (existing !== undefined) return report(existing);
            const entry = { format: FORMAT, version: 1, secretKey: Uint8Array.from(secretKey) };
            store.put(entry, KEY);
            report(entry);
          };
        }),
      ) as StoredIdentityKey,
    shred: async () => {
      await put({ format: FORMAT, version: 1, secretKey: new Uint8Array(32) });
      await put({ format: FORMAT, version: 1, shredded: true });
    },
  });
}
