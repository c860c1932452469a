import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToHex } from '@noble/hashes/utils.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decryptRecord, encryptRecord } from './envelope.js';
import { DecryptionError, IdentityShreddedError, InvalidKeyError } from './errors.js';
import { createFileIdentityKeyStore } from './fileIdentityKeyStore.js';

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'mhr-identity-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('createFileIdentityKeyStore', () => {
  it('keeps the identity across restarts; concurrent first starts agree on one identity; the file is private', async () => {
    const path = join(directory, 'keys', 'identity.json');
    const stores = await Promise.all([1, 2, 3].map(() => createFileIdentityKeyStore({ path })));
    const created = await Promise.all(stores.map((s) => s.getOrCreate()));
    expect(new Set(created.map((i) => bytesToHex(i.publicKey))).size).toBe(1);
    const restarted = await createFileIdentityKeyStore({ path });
    expect(bytesToHex((await restarted.load())?.secretKey ?? new Uint8Array())).toBe(bytesToHex(created[0]!.secretKey));
    expect(await readdir(join(directory, 'keys'))).toEqual(['identity.json']); // no temporary files left
    const { stat } = await import('node:fs/promises');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await (await createFileIdentityKeyStore({ path: join(directory, 'empty.json') })).load()).toBeUndefined();
  });

  it('after shred: no store on that file produces the identity again, and records encrypted only to it stay closed', async () => {
    const path = join(directory, 'identity.json');
    const keys = await createFileIdentityKeyStore({ path });
    const identity = await keys.getOrCreate();
    const secretHex = bytesToHex(identity.secretKey);
    const sealed = await encryptRecord({
      data: new TextEncoder().encode('diagnosis'),
      metadata: { mediaType: 'text/plain' },
      recipients: [identity.publicKey],
    });
    expect(new TextDecoder().decode((await decryptRecord({ ...sealed, identity })).data)).toBe('diagnosis');

    await keys.shred();
    const file = await readFile(path, 'utf8');
    expect(file).not.toContain(secretHex);
    expect(JSON.parse(file)).toEqual({ format: 'mhrchain-identity-key', version: 1, shredded: true });
    await expect(keys.getOrCreate()).rejects.toThrow(IdentityShreddedError);
    // A restart neither reads the key back nor quietly creates a new identity.
    const restarted = await createFileIdentityKeyStore({ path });
    await expect(restarted.load()).rejects.toThrow(IdentityShreddedError);
    await expect(restarted.getOrCreate()).rejects.toThrow(IdentityShreddedError);
    expect(identity.secretKey.every((byte) => byte === 0)).toBe(true);
    await expect(decryptRecord({ ...sealed, identity })).rejects.toThrow(DecryptionError);
  });

  it('refuses a damaged key file rather than replacing it with a new identity', async () => {
    const path = join(directory, 'identity.json');
    await writeFile(path, '{"format":"mhrchain-identity-key","version":1,"secretKey":"zz"}');
    const keys = await createFileIdentityKeyStore({ path });
    await expect(keys.getOrCreate()).rejects.toThrow(InvalidKeyError);
    await writeFile(path, 'not json');
    await expect(keys.load()).rejects.toThrow(InvalidKeyError);
    // It can still be shredded.
    await keys.shred();
    await expect(keys.load()).rejects.toThrow(IdentityShreddedError);
  });
});
