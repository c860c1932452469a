import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encryptRecord } from './envelope.js';
import { BlockNotFoundError } from './errors.js';
import { createHeliaStorage } from './heliaStorage.js';
import { generateIdentity } from './identity.js';
import { equalBytes } from './internal/bytes.js';
import { createMemoryStorage, type Storage } from './storage.js';

const directories: string[] = [];
afterAll(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});
const tempDirectory = async () => {
  const directory = await mkdtemp(join(tmpdir(), 'mhr-core-'));
  directories.push(directory);
  return directory;
};

const alice = generateIdentity();
const recordPromise = encryptRecord({
  data: new Uint8Array(200_000).fill(7),
  metadata: { mediaType: 'application/octet-stream' },
  recipients: [alice.publicKey],
});

async function exercise(storage: Storage) {
  const record = await recordPromise;
  const missing = record.blocks[0]!.cid;
  expect(await storage.has(missing)).toBe(false);
  await expect(storage.get(missing)).rejects.toThrow(BlockNotFoundError);
  // Pinning needs the whole DAG.
  await storage.put(record.cid, record.header);
  await expect(storage.pin(record.cid)).rejects.toThrow();
  for (const block of record.blocks) await storage.put(block.cid, block.bytes);
  for (const block of record.blocks) expect(equalBytes(await storage.get(block.cid), block.bytes)).toBe(true);
  await storage.pin(record.cid);
  expect(await storage.isPinned(record.cid)).toBe(true);
  await storage.unpin(record.cid);
  expect(await storage.isPinned(record.cid)).toBe(false);
  await storage.pin(record.cid);
}

describe('storage', () => {
  it('memory: put, get, has, pin, unpin', async () => {
    const storage = createMemoryStorage();
    await exercise(storage);
    await storage.close();
  });

  it('embedded Helia node: same behaviour, and blocks and pins survive a restart from the same directory', async () => {
    const directory = await tempDirectory();
    const record = await recordPromise;
    const first = await createHeliaStorage({ directory });
    await exercise(first);
    await first.close();

    const second = await createHeliaStorage({ directory });
    expect(await second.isPinned(record.cid)).toBe(true);
    for (const block of record.blocks) expect(equalBytes(await second.get(block.cid), block.bytes)).toBe(true);
    await second.close();
  }, 30_000);
});
