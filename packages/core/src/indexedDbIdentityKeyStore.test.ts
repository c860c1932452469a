import { bytesToHex } from '@noble/hashes/utils.js';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { decryptRecord, encryptRecord } from './envelope.js';
import { DecryptionError, IdentityShreddedError } from './errors.js';
import { createIndexedDbIdentityKeyStore } from './indexedDbIdentityKeyStore.js';

describe('createIndexedDbIdentityKeyStore', () => {
  it('keeps the identity across reopening; two tabs starting at once agree on one identity', async () => {
    const indexedDB = new IDBFactory();
    const tabs = await Promise.all([1, 2].map(() => createIndexedDbIdentityKeyStore({ name: 'mhr-id', indexedDB })));
    const created = await Promise.all(tabs.map((t) => t.getOrCreate()));
    expect(bytesToHex(created[0]!.publicKey)).toBe(bytesToHex(created[1]!.publicKey));
    const reopened = await createIndexedDbIdentityKeyStore({ name: 'mhr-id', indexedDB });
    expect(bytesToHex((await reopened.load())?.secretKey ?? new Uint8Array())).toBe(bytesToHex(created[0]!.secretKey));
    const empty = await createIndexedDbIdentityKeyStore({ name: 'other', indexedDB });
    expect(await empty.load()).toBeUndefined();
  });

  it('after shred: no store on that database produces the identity again, and its records stay closed', async () => {
    const indexedDB = new IDBFactory();
    const keys = await createIndexedDbIdentityKeyStore({ name: 'mhr-id', indexedDB });
    const identity = await keys.getOrCreate();
    const sealed = await encryptRecord({
      data: new TextEncoder().encode('diagnosis'),
      metadata: { mediaType: 'text/plain' },
      recipients: [identity.publicKey],
    });
    await keys.shred();
    await expect(keys.getOrCreate()).rejects.toThrow(IdentityShreddedError);
    const reopened = await createIndexedDbIdentityKeyStore({ name: 'mhr-id', indexedDB });
    await expect(reopened.getOrCreate()).rejects.toThrow(IdentityShreddedError);
    expect(identity.secretKey.every((byte) => byte === 0)).toBe(true);
    await expect(decryptRecord({ ...sealed, identity })).rejects.toThrow(DecryptionError);
  });
});
