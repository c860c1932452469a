import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { JournalStore, JournalValue } from './journal.js';

/** Parameters of {@link createFileJournalStore}. */
export interface CreateFileJournalStoreParameters {
  /** The folder that holds the journal (one per account), created when missing. */
  directory: string;
}

const SUFFIX = '.json';

async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * A journal in a folder, one JSON file per key. Each write goes to a temporary file that is flushed to disk and then
 * renamed over the old one (and the folder flushed), so a crash leaves either the old or the new entry, never a torn
 * one.
 *
 * @example
 * ```ts
 * import { createConsentClient, createMemoryRecordStore } from '@mhrchain/consent';
 * import { createFileJournalStore } from '@mhrchain/consent/node';
 * import type { MhrChainAddresses } from '@mhrchain/contracts';
 * import type { Signer } from 'ethers';
 *
 * declare const signer: Signer;
 * declare const addresses: MhrChainAddresses;
 * const journal = await createFileJournalStore({ directory: './mhr-data/journal' });
 * const client = await createConsentClient({ signer, addresses, store: createMemoryRecordStore(), journal });
 * ```
 */
export async function createFileJournalStore(parameters: CreateFileJournalStoreParameters): Promise<JournalStore> {
  const { directory } = parameters;
  await mkdir(directory, { recursive: true });
  const pathOf = (key: string) => join(directory, encodeURIComponent(key) + SUFFIX);
  let sequence = 0;
  return {
    async get(key) {
      try {
        return JSON.parse(await readFile(pathOf(key), 'utf8')) as JournalValue;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async set(key, value) {
      const target = pathOf(key);
      const temporary = `${target}.${process.pid}.${sequence++}.tmp`;
      const handle = await open(temporary, 'w');
      try {
        await handle.writeFile(JSON.stringify(value));
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, target);
      await syncDirectory(directory);
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
      await syncDirectory(directory);
    },
    async keys(prefix) {
      const keys: string[] = [];
      for (const name of await readdir(directory)) {
        if (!name.endsWith(SUFFIX)) continue;
        const key = decodeURIComponent(name.slice(0, -SUFFIX.length));
        if (key.startsWith(prefix)) keys.push(key);
      }
      return keys;
    },
  };
}
