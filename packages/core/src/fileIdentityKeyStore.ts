import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { InvalidKeyError } from './errors.js';
import { type IdentityKeyStore, identityKeyStoreOver, type StoredIdentityKey } from './identityKeyStore.js';

/** Parameters of {@link createFileIdentityKeyStore}. */
export interface CreateFileIdentityKeyStoreParameters {
  /** The key file (one per account); its folder is created when missing. The file is created with mode 0600. */
  path: string;
}

const FORMAT = 'mhrchain-identity-key';

async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes `text` to a new temporary file beside `path`, flushed to disk; returns the temporary file's path. */
async function writeTemporary(path: string, text: string): Promise<string> {
  const temporary = `${path}.${process.pid}.${bytesToHex(randomBytes(6))}.tmp`;
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return temporary;
}

function parse(path: string, text: string): StoredIdentityKey {
  let entry: { format?: unknown; version?: unknown; secretKey?: unknown; shredded?: unknown };
  try {
    entry = JSON.parse(text);
  } catch (cause) {
    throw new InvalidKeyError('The identity key file is not valid JSON.', { cause, details: path });
  }
  if (entry?.format !== FORMAT || entry.version !== 1)
    throw new InvalidKeyError('The identity key file has an unknown format.', { details: path });
  if (entry.shredded === true) return { state: 'shredded' };
  if (typeof entry.secretKey !== 'string' || !/^[0-9a-f]{64}$/.test(entry.secretKey))
    throw new InvalidKeyError('The identity key file holds no valid secret key.', { details: path });
  return { state: 'active', secretKey: hexToBytes(entry.secretKey) };
}

/**
 * An identity key store in one file (Node). The random identity is written once, atomically: a temporary file is
 * flushed to disk and then hard-linked into place, so a crash leaves no key or the whole key, and two processes
 * starting at once end up with the same identity. {@link IdentityKeyStore.shred} overwrites the key file's bytes in
 * place with zeros, then atomically replaces the file with a marker that the identity was shredded (so a restart does
 * not quietly create a new identity).
 *
 * Overwriting in place is best effort: journaling and copy-on-write file systems, SSD wear levelling, snapshots and
 * backups can keep old copies of the bytes. Keep the file on an encrypted volume, out of backups you cannot erase.
 *
 * @example
 * ```ts
 * import { createFileIdentityKeyStore } from '@mhrchain/core/node';
 *
 * const keys = await createFileIdentityKeyStore({ path: './mhr-data/identity.json' });
 * const identity = await keys.getOrCreate();
 * // Erasure: nothing can open records wrapped only for `identity` after this.
 * await keys.shred();
 * ```
 */
export async function createFileIdentityKeyStore(
  parameters: CreateFileIdentityKeyStoreParameters,
): Promise<IdentityKeyStore> {
  const { path } = parameters;
  const directory = dirname(path);
  await mkdir(directory, { recursive: true });
  const read = async (): Promise<StoredIdentityKey | undefined> => {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    return parse(path, text);
  };
  return identityKeyStoreOver({
    read,
    async create(secretKey) {
      const temporary = await writeTemporary(
        path,
        JSON.stringify({ format: FORMAT, version: 1, secretKey: bytesToHex(secretKey) }),
      );
      try {
        // `link` fails when the file exists: the first writer wins, the others read its key.
        await link(temporary, path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      } finally {
        await rm(temporary, { force: true });
      }
      await syncDirectory(directory);
      return (await read()) as StoredIdentityKey;
    },
    async shred() {
      try {
        const handle = await open(path, 'r+');
        try {
          const { size } = await handle.stat();
          await handle.write(new Uint8Array(size), 0, size, 0);
          await handle.sync();
        } finally {
          await handle.close();
        }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      const temporary = await writeTemporary(path, JSON.stringify({ format: FORMAT, version: 1, shredded: true }));
      await rename(temporary, path);
      await syncDirectory(directory);
    },
  });
}
