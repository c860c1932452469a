import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { decryptRecord, encryptRecord } from './envelope.js';
import { DecryptionError, IdentityShreddedError } from './errors.js';
import { importIdentity } from './identity.js';
import { createMemoryIdentityKeyStore } from './identityKeyStore.js';

const record = (recipient: Uint8Array) =>
  encryptRecord({
    data: new TextEncoder().encode('{"resourceType":"Observation"}'),
    metadata: { mediaType: 'application/fhir+json' },
    recipients: [recipient],
  });

describe('createMemoryIdentityKeyStore', () => {
  it('creates one random identity on first use and hands out that identity afterwards', async () => {
    const keys = createMemoryIdentityKeyStore();
    expect(await keys.load()).toBeUndefined();
    const [a, b] = await Promise.all([keys.getOrCreate(), keys.getOrCreate()]);
    expect(bytesToHex(a.publicKey)).toBe(bytesToHex(b.publicKey));
    expect(bytesToHex((await keys.load())?.publicKey ?? new Uint8Array())).toBe(bytesToHex(a.publicKey));
    expect(bytesToHex((await createMemoryIdentityKeyStore().getOrCreate()).publicKey)).not.toBe(
      bytesToHex(a.publicKey),
    );
  });

  it('after shred: the store cannot produce the identity, and records encrypted only to it cannot be opened', async () => {
    const keys = createMemoryIdentityKeyStore();
    const identity = await keys.getOrCreate();
    const publicKey = Uint8Array.from(identity.publicKey);
    const sealed = await record(publicKey);
    expect(new TextDecoder().decode((await decryptRecord({ ...sealed, identity })).data)).toContain('Observation');

    await keys.shred();
    await expect(keys.getOrCreate()).rejects.toThrow(IdentityShreddedError);
    await expect(keys.load()).rejects.toThrow(IdentityShreddedError);
    // The identity the store handed out was zeroed: it no longer is the identity, and it opens nothing.
    expect(identity.secretKey.every((byte) => byte === 0)).toBe(true);
    expect(bytesToHex(importIdentity(identity.secretKey).publicKey)).not.toBe(bytesToHex(publicKey));
    await expect(decryptRecord({ ...sealed, identity })).rejects.toThrow(DecryptionError);
    // Shredding again is harmless.
    await keys.shred();
    await expect(keys.getOrCreate()).rejects.toThrow(IdentityShreddedError);
  });
});
