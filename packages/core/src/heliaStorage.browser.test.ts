import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encryptRecord } from './envelope.js';
import { loadEnvelope, storeEnvelope } from './envelopeStorage.js';
import { BlockNotFoundError, PlatformNotSupportedError } from './errors.js';
import { createHeliaStorage } from './heliaStorage.browser.js';
import { generateIdentity } from './identity.js';
import { equalBytes } from './internal/bytes.js';

// IndexedDB as browsers implement it (fake-indexeddb follows the W3C spec and runs its test suite, and installs
// the IDB* globals): a fresh, empty browser profile per test.
const global = globalThis as { indexedDB?: IDBFactory };
const installed = global.indexedDB;
beforeEach(() => {
  global.indexedDB = new IDBFactory();
});
afterEach(() => {
  global.indexedDB = installed;
});

const alice = generateIdentity();
const recordPromise = encryptRecord({
  data: new Uint8Array(2_500_000).map((_, i) => (i * 7919) & 0xff), // three payload leaves and a parent node
  metadata: { mediaType: 'application/pdf', title: 'discharge letter' },
  recipients: [alice.publicKey],
});

describe('embedded Helia node in browsers (IndexedDB)', () => {
  it('stores, pins and reads back; blocks and pins survive closing and reopening under the same name', async () => {
    const record = await recordPromise;
    const first = await createHeliaStorage({ directory: 'mhr-patient' });
    expect(await first.has(record.cid)).toBe(false);
    await expect(first.get(record.cid)).rejects.toBeInstanceOf(BlockNotFoundError);
    await first.put(record.cid, record.header);
    await expect(first.pin(record.cid)).rejects.toThrow(); // the payload is not there yet
    for (const block of record.blocks) await first.put(block.cid, block.bytes);
    await first.pin(record.cid);
    expect(await first.isPinned(record.cid)).toBe(true);
    await first.close();

    const second = await createHeliaStorage({ directory: 'mhr-patient' });
    expect(await second.isPinned(record.cid)).toBe(true);
    for (const block of record.blocks) expect(equalBytes(await second.get(block.cid), block.bytes)).toBe(true);
    await second.unpin(record.cid);
    expect(await second.isPinned(record.cid)).toBe(false);
    await second.close();

    const third = await createHeliaStorage({ directory: 'mhr-patient' });
    expect(await third.isPinned(record.cid)).toBe(false);
    await third.close();
  }, 30_000);

  it('keeps repositories of different names apart', async () => {
    const record = await recordPromise;
    const patient = await createHeliaStorage({ directory: 'patient' });
    const other = await createHeliaStorage({ directory: 'other' });
    await patient.put(record.cid, record.header);
    expect(await patient.has(record.cid)).toBe(true);
    expect(await other.has(record.cid)).toBe(false);
    await patient.close();
    await other.close();
  });

  it('round-trips an envelope through storeEnvelope and loadEnvelope after a reopen', async () => {
    const data = new Uint8Array(300_000).map((_, i) => (i * 31) & 0xff);
    const storage = await createHeliaStorage({ directory: 'records' });
    const stored = await storeEnvelope(storage, {
      data,
      metadata: { mediaType: 'application/octet-stream' },
      recipients: [alice.publicKey],
    });
    await storage.close();
    const reopened = await createHeliaStorage({ directory: 'records' });
    const loaded = await loadEnvelope(reopened, stored.cid, alice);
    expect(equalBytes(await loaded.bytes(), data)).toBe(true);
    await reopened.close();
  }, 30_000);

  it('refuses with a typed error where IndexedDB is unavailable', async () => {
    delete global.indexedDB;
    await expect(createHeliaStorage({ directory: 'x' })).rejects.toBeInstanceOf(PlatformNotSupportedError);
  });
});
