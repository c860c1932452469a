import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileJournalStore } from './fileJournalStore.js';
import { createIndexedDbJournalStore } from './indexedDbJournalStore.js';
import { createMemoryJournalStore, type JournalStore } from './journal.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

// fake-indexeddb's key range for the bound() the store builds.
(globalThis as { IDBKeyRange?: unknown }).IDBKeyRange ??= IDBKeyRange;

const stores: [string, () => Promise<{ open: () => Promise<JournalStore> }>][] = [
  [
    'memory',
    async () => {
      const store = createMemoryJournalStore();
      return { open: async () => store };
    },
  ],
  [
    'files',
    async () => {
      const directory = await mkdtemp(join(tmpdir(), 'mhr-journal-'));
      dirs.push(directory);
      return { open: () => createFileJournalStore({ directory }) };
    },
  ],
  [
    'IndexedDB',
    async () => {
      const indexedDB = new IDBFactory();
      return { open: () => createIndexedDbJournalStore({ name: 'journal', indexedDB }) };
    },
  ],
];

describe.each(stores)('%s journal store', (_, make) => {
  it('keeps values across a reopen, lists by prefix, deletes', async () => {
    const { open } = await make();
    const first = await open();
    await first.set('action/1', { kind: 'grantAccess', step: 'intent', data: { scope: { kind: 'all' }, n: 3 } });
    await first.set('action/2', { kind: 'revokeAccess', step: 'revoked', data: {} });
    await first.set('readers/bafy', ['0xA', '0xB']);
    await first.set('action/1', { kind: 'grantAccess', step: 'granted', data: { scope: { kind: 'all' }, n: 3 } });
    const reopened = await open();
    expect(await reopened.get('action/1')).toEqual({
      kind: 'grantAccess',
      step: 'granted',
      data: { scope: { kind: 'all' }, n: 3 },
    });
    expect((await reopened.keys('action/')).sort()).toEqual(['action/1', 'action/2']);
    expect(await reopened.keys('readers/')).toEqual(['readers/bafy']);
    await reopened.delete('action/2');
    await reopened.delete('absent');
    expect(await reopened.get('action/2')).toBeUndefined();
    expect(await reopened.keys('action/')).toEqual(['action/1']);
  });
});

describe('file journal store', () => {
  it('never leaves a temporary file behind, and keys with any characters round-trip', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'mhr-journal-'));
    dirs.push(directory);
    const store = await createFileJournalStore({ directory });
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.set(`k/${i % 3}/ü ${i}`, i)));
    expect((await readdir(directory)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect((await store.keys('k/1/')).length).toBe(7);
  });
});
