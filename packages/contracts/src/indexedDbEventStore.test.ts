import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { IndexedLog } from './eventIndexStore.js';
import { createIndexedDbEventStore } from './indexedDbEventStore.js';

beforeAll(() => {
  // The store uses the global IDBKeyRange, as in a browser.
  (globalThis as { IDBKeyRange?: unknown }).IDBKeyRange ??= IDBKeyRange;
});

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

describe('createIndexedDbEventStore', () => {
  it('keeps logs in chain order and rewinds, across reopening', async () => {
    const indexedDB = new IDBFactory();
    const store = await createIndexedDbEventStore({ name: 'events', indexedDB });
    expect(await store.load()).toBeUndefined();
    await store.commit({ logs: [log(2, 3), log(10), log(10, 1), log(9, 7)], state: state(10) });
    await store.commit({ rewindTo: 9, logs: [log(11, 2)], state: state(11) });
    const reopened = await (await createIndexedDbEventStore({ name: 'events', indexedDB })).load();
    expect(reopened?.logs).toEqual([log(2, 3), log(9, 7), log(11, 2)]);
    expect(reopened?.state).toEqual(state(11));
    expect(await (await createIndexedDbEventStore({ name: 'other', indexedDB })).load()).toBeUndefined();
  });
});
