import { IdentityShreddedError } from './errors.js';
import { generateIdentity, type Identity, importIdentity } from './identity.js';

/**
 * Where a random X25519 identity is kept, so that it can be shredded: unlike a wallet-derived identity, nothing can
 * derive it again once {@link IdentityKeyStore.shred} has destroyed the stored secret key. The price is that the key
 * exists only in the store: lose the store (the device) without a backup and every record wrapped only for it is lost.
 * Create one with `createFileIdentityKeyStore` (`@mhrchain/core/node`), `createIndexedDbIdentityKeyStore` (browsers)
 * or {@link createMemoryIdentityKeyStore}.
 */
export interface IdentityKeyStore {
  /**
   * The stored identity; when the store is empty, generates a random identity and stores it first.
   *
   * @throws {@link IdentityShreddedError} once the store was shredded.
   */
  getOrCreate(): Promise<Identity>;
  /**
   * The stored identity, or `undefined` when the store is empty.
   *
   * @throws {@link IdentityShreddedError} once the store was shredded.
   */
  load(): Promise<Identity | undefined>;
  /**
   * Destroys the secret key: the stored copy is overwritten and replaced by a marker that the identity was shredded,
   * and every {@link Identity} this store handed out has its `secretKey` overwritten with zeros. After that,
   * {@link IdentityKeyStore.getOrCreate} and {@link IdentityKeyStore.load} throw {@link IdentityShreddedError}.
   * Copies made elsewhere (a backup, `importIdentity` copies, an exported `secretKey`) are not reached: delete them too.
   */
  shred(): Promise<void>;
}

/** What a key store keeps: the secret key, or the marker that it was shredded. */
export type StoredIdentityKey =
  | { readonly state: 'active'; readonly secretKey: Uint8Array }
  | { readonly state: 'shredded' };

/** Where an {@link IdentityKeyStore} keeps its one entry (memory, a file, IndexedDB). @internal */
export interface IdentityKeyBackend {
  read(): Promise<StoredIdentityKey | undefined>;
  /** Stores `secretKey` unless an entry exists; returns the entry that is stored afterwards. */
  create(secretKey: Uint8Array): Promise<StoredIdentityKey>;
  /** Destroys the stored secret key (best effort overwrite) and stores the shredded marker. */
  shred(): Promise<void>;
}

/**
 * An identity key store over a backend: one identity object per store, handed out to every caller and zeroed on
 * shred; calls are serialised. @internal
 */
export function identityKeyStoreOver(backend: IdentityKeyBackend): IdentityKeyStore {
  let current: Identity | undefined;
  const handedOut: Identity[] = [];
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(run: () => Promise<T>): Promise<T> => {
    const next = queue.then(run, run);
    queue = next.catch(() => undefined);
    return next;
  };
  const adopt = (entry: StoredIdentityKey | undefined): Identity | undefined => {
    if (entry === undefined) return undefined;
    if (entry.state === 'shredded') throw new IdentityShreddedError();
    if (current === undefined) {
      current = importIdentity(entry.secretKey);
      handedOut.push(current);
    }
    return current;
  };
  return {
    load: () => serial(async () => adopt(await backend.read())),
    getOrCreate: () =>
      serial(async () => {
        const existing = adopt(await backend.read());
        if (existing) return existing;
        const fresh = generateIdentity();
        try {
          return adopt(await backend.create(fresh.secretKey)) as Identity;
        } finally {
          fresh.secretKey.fill(0);
        }
      }),
    shred: () =>
      serial(async () => {
        await backend.shred();
        for (const identity of handedOut) identity.secretKey.fill(0);
        handedOut.length = 0;
        current = undefined;
      }),
  };
}

/**
 * An identity key store in memory: the identity lives as long as the process, and {@link IdentityKeyStore.shred}
 * zeroes it. For tests and for apps that keep the key elsewhere; a real app keeps it durably
 * (`createFileIdentityKeyStore` from `@mhrchain/core/node`, `createIndexedDbIdentityKeyStore` in browsers).
 *
 * @example
 * ```ts
 * import { createMemoryIdentityKeyStore } from '@mhrchain/core';
 *
 * const keys = createMemoryIdentityKeyStore();
 * const identity = await keys.getOrCreate();
 * await keys.shred(); // identity.secretKey is now zeros; keys.getOrCreate() throws IdentityShreddedError
 * ```
 */
export function createMemoryIdentityKeyStore(): IdentityKeyStore {
  let entry: StoredIdentityKey | undefined;
  return identityKeyStoreOver({
    read: async () => entry,
    create: async (secretKey) => {
      entry ??= { state: 'active', secretKey: Uint8Array.from(secretKey) };
      return entry;
    },
    shred: async () => {
      if (entry?.state === 'active') entry.secretKey.fill(0);
      entry = { state: 'shredded' };
    },
  });
}
