import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventIndexError } from './chainErrors.js';
import type { IndexedLog } from './eventIndexStore.js';
import { createFileEventStore } from './fileEventStore.js';

const directories: string[] = [];
afterEach(async () => {
  for (const directory of directories.splice(0)) await rm(directory, { recursive: true, force: true });
});

async function file(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'mhr-events-'));
  directories.push(directory);
  return join(directory, 'nested', 'events.jsonl');
}

const log = (blockNumber: number, index = 0): IndexedLog => ({
  address: '0x5fbdb2315678afecb367f032d93f642f64180aa3',
  topics: [`0x${'ab'.repeat(32)}`],
  data: '0x',
  blockNumber,
  blockHash: `0x${blockNumber.toString(16).padStart(64, '0')}`,
  index,
  transactionHash: `0x${(blockNumber * 100 + index).toString(16).padStart(64, '0')}`,
  transactionIndex: index,
});
const state = (block: number) => ({ key: 'k', checkpoints: [{ block, hash: `0x${block}` }] });

describe('createFileEventStore', () => {
  it('keeps commits and rewinds across reopening', async () => {
    const path = await file();
    const store = createFileEventStore({ path });
    expect(await store.load()).toBeUndefined();
    await store.commit({ logs: [log(1), log(1, 1), log(3)], state: state(3) });
    await store.commit({ rewindTo: 1, logs: [log(2)], state: state(2) });
    const reopened = await createFileEventStore({ path }).load();
    expect(reopened?.logs).toEqual([log(1), log(1, 1), log(2)]);
    expect(reopened?.state).toEqual(state(2));
  });

  it('drops a torn last line (a crash during a commit) and appends after it', async () => {
    const path = await file();
    const store = createFileEventStore({ path });
    await store.commit({ logs: [log(1)], state: state(1) });
    await appendFile(path, '{"l":[["0x5f');
    const reopened = createFileEventStore({ path });
    expect((await reopened.load())?.logs).toEqual([log(1)]);
    await reopened.commit({ logs: [log(2)], state: state(2) });
    expect((await createFileEventStore({ path }).load())?.logs).toEqual([log(1), log(2)]);
  });

  it('compacts a long file into one snapshot line with the same contents', async () => {
    const path = await file();
    const store = createFileEventStore({ path, compactAfter: 5 });
    for (let block = 1; block <= 8; block++) await store.commit({ logs: [log(block)], state: state(block) });
    await store.commit({ rewindTo: 6, logs: [], state: state(6) });
    const loaded = await createFileEventStore({ path, compactAfter: 5 }).load();
    expect(loaded?.logs.map((l) => l.blockNumber)).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await readFile(path, 'utf8')).trim().split('\n')).toHaveLength(1);
    expect(await createFileEventStore({ path }).load()).toEqual(loaded);
  });

  it('refuses a damaged file with a typed error', async () => {
    const path = await file();
    await createFileEventStore({ path }).load();
    await writeFile(path, 'not json\n{"l":[],"s":{"key":"k","checkpoints":[]}}\n');
    await expect(createFileEventStore({ path }).load()).rejects.toThrow(EventIndexError);
  });
});
