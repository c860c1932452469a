import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import { sha256 } from 'multiformats/hashes/sha2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flipFirstByte, randomData as randomBytes, startCorruptingProxy } from '../test/corruptingProxy.js';
import { encryptRecord } from './envelope.js';
import { loadEnvelope, storeEnvelope } from './envelopeStorage.js';
import { eraseDag } from './eraseDag.js';
import {
  BlockNotFoundError,
  InvalidBlockError,
  InvalidParametersError,
  KuboRpcError,
  KuboUnreachableError,
} from './errors.js';
import { generateIdentity } from './identity.js';
import { walkDag } from './internal/walkDag.js';
import { type KuboInstance, startKubo } from './kubo.js';
import { createKuboStorage, type KuboStorage } from './kuboStorage.js';

/** Byte equality without vitest's element-by-element diff (slow on MiBs). */
const same = (a: Uint8Array | ArrayBuffer, b: Uint8Array) => Buffer.from(a as Uint8Array).equals(b);

async function rawBlock(bytes: Uint8Array) {
  return { cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes };
}

describe('createKuboStorage', () => {
  let kubo: KuboInstance;
  let storage: KuboStorage;
  const patient = generateIdentity();

  beforeAll(async () => {
    kubo = await startKubo();
    storage = await createKuboStorage({ url: kubo.apiUrl, timeout: 5_000 });
  });
  afterAll(async () => {
    await storage?.close();
    await kubo?.destroy();
  });

  it('stores an envelope made by core under exactly its CIDs (dag-cbor header, dag-pb and raw payload blocks)', async () => {
    const data = randomBytes(2_500_000); // three ~960 KiB raw leaves under a dag-pb root
    const record = await encryptRecord({
      data,
      metadata: { mediaType: 'application/octet-stream' },
      recipients: [patient.publicKey],
    });
    const codecs = new Set(record.blocks.map((b) => b.cid.code));
    expect(codecs).toEqual(new Set([0x71, 0x70, 0x55]));
    await storeEnvelope(storage, record);
    for (const block of record.blocks) {
      expect(await storage.has(block.cid)).toBe(true);
      expect(same(await storage.get(block.cid), block.bytes)).toBe(true);
      // Kubo itself files the block under the same CID (codec, hash, version).
      const stat = await fetch(`${kubo.apiUrl}/api/v0/block/stat?arg=${block.cid}`, { method: 'POST' });
      expect((await stat.json()).Key).toBe(block.cid.toString());
    }
    const opened = await loadEnvelope(storage, record.cid, patient);
    expect(same(await opened.bytes(), data)).toBe(true);
    expect(await storage.isPinned(record.cid)).toBe(true);
  });

  it('stores a streamed record with storeEnvelope and reads it back through a second client', async () => {
    const data = randomBytes(1_000_000);
    const stored = await storeEnvelope(storage, {
      stream: new Blob([data]).stream(),
      metadata: { mediaType: 'application/pdf' },
      recipients: [patient.publicKey],
    });
    const reader = await createKuboStorage({ url: kubo.apiUrl, offline: true });
    const record = await loadEnvelope(reader, stored.cid, patient);
    expect(record.metadata.mediaType).toBe('application/pdf');
    expect(same(await record.bytes(), data)).toBe(true);
  });

  it('pins recursively: garbage collection keeps a pinned DAG and removes it once unpinned', async () => {
    const stored = await storeEnvelope(storage, {
      data: randomBytes(2_000_000),
      metadata: { mediaType: 'application/octet-stream' },
      recipients: [patient.publicKey],
      pin: false,
    });
    const blocks: CID[] = [];
    for await (const block of walkDag(storage, stored.cid)) blocks.push(block.cid);
    expect(blocks.length).toBe(5); // header, payload root, three leaves
    expect(await storage.isPinned(stored.cid)).toBe(false);

    await storage.pin(stored.cid);
    expect(await storage.isPinned(stored.cid)).toBe(true);
    expect(await storage.isPinned(stored.payloadCid)).toBe(false); // under the pin, not a pinned root
    await storage.gc();
    for (const cid of blocks) expect(await storage.has(cid)).toBe(true);

    await storage.unpin(stored.cid);
    await storage.unpin(stored.cid); // idempotent
    expect(await storage.isPinned(stored.cid)).toBe(false);
    await storage.gc();
    for (const cid of blocks) expect(await storage.has(cid)).toBe(false);
    // The blocks are gone: pinning again fails (offline: at once; online it would wait for a peer to have them).
    const offline = await createKuboStorage({ url: kubo.apiUrl, offline: true });
    await expect(offline.pin(stored.cid)).rejects.toBeInstanceOf(KuboRpcError);
  }, 30_000);

  it('deletes single blocks now (eraseDag removes a whole DAG), refuses a block a pin holds, ignores absent ones', async () => {
    const stored = await storeEnvelope(storage, {
      data: randomBytes(2_000_000),
      metadata: { mediaType: 'application/octet-stream' },
      recipients: [patient.publicKey],
    });
    const blocks: CID[] = [];
    for await (const block of walkDag(storage, stored.cid)) blocks.push(block.cid);
    await expect(storage.delete(stored.cid)).rejects.toBeInstanceOf(KuboRpcError); // pinned root
    await expect(storage.delete(blocks.at(-1)!)).rejects.toBeInstanceOf(KuboRpcError); // held by the pin
    const { found, outcome } = await eraseDag(storage, stored.cid);
    expect(outcome).toBe('deleted');
    expect(found).toHaveLength(blocks.length);
    for (const cid of blocks) expect(await storage.has(cid)).toBe(false); // gone without garbage collection
    await storage.delete(stored.cid); // absent: no error
  }, 30_000);

  it('answers has=false and BlockNotFoundError for a block it does not hold', async () => {
    const { cid } = await rawBlock(randomBytes(64));
    expect(await storage.has(cid)).toBe(false);
    const offline = await createKuboStorage({ url: kubo.apiUrl, offline: true });
    await expect(offline.get(cid)).rejects.toBeInstanceOf(BlockNotFoundError);
    const impatient = await createKuboStorage({ url: kubo.apiUrl, timeout: 300 });
    await expect(impatient.get(cid)).rejects.toBeInstanceOf(BlockNotFoundError); // no peer has it
  });

  it('rejects CIDs it cannot reproduce (CIDv0, other hashes)', async () => {
    const { bytes } = await rawBlock(randomBytes(16));
    const v0 = CID.parse('QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n');
    await expect(storage.put(v0, bytes)).rejects.toBeInstanceOf(InvalidParametersError);
  });

  it('honours abort signals', async () => {
    const { cid, bytes } = await rawBlock(randomBytes(32));
    await expect(storage.put(cid, bytes, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(await storage.has(cid)).toBe(false);
    // A block no peer has: Kubo would wait; the caller's signal ends the wait.
    const controller = new AbortController();
    const patientStorage = await createKuboStorage({ url: kubo.apiUrl, timeout: 60_000 });
    const started = Date.now();
    setTimeout(() => controller.abort(), 200);
    await expect(patientStorage.get(cid, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('refuses to write bytes under a CID they do not hash to (the node files them under their own: KuboRpcError)', async () => {
    const claimed = await rawBlock(randomBytes(1_000));
    const actual = await rawBlock(randomBytes(1_000));
    const error = await storage.put(claimed.cid, actual.bytes).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KuboRpcError);
    expect((error as KuboRpcError).details).toContain(actual.cid.toString());
    expect(await storage.has(claimed.cid)).toBe(false);
  });

  it('writes many blocks at once over kept-alive connections, each under its CID', async () => {
    const blocks = await Promise.all(Array.from({ length: 40 }, (_, i) => rawBlock(randomBytes(1_000 + i * 5_000))));
    await Promise.all(blocks.map((block) => storage.put(block.cid, block.bytes)));
    for (const block of blocks) expect(same(await storage.get(block.cid), block.bytes)).toBe(true);
  });

  it('throws KuboUnreachableError for a node that cannot be reached, at creation and later', async () => {
    await expect(createKuboStorage({ url: 'http://127.0.0.1:1' })).rejects.toBeInstanceOf(KuboUnreachableError);
    const other = await startKubo();
    const doomed = await createKuboStorage({ url: other.apiUrl });
    await other.destroy();
    const { cid, bytes } = await rawBlock(randomBytes(8));
    await expect(doomed.put(cid, bytes)).rejects.toBeInstanceOf(KuboUnreachableError);
    await expect(doomed.get(cid)).rejects.toBeInstanceOf(KuboUnreachableError);
    await expect(doomed.has(cid)).rejects.toBeInstanceOf(KuboUnreachableError);
  });

  it('rejects a node that answers other bytes (InvalidBlockError) or files a block under another CID (KuboRpcError)', async () => {
    const good = await rawBlock(randomBytes(100));
    await storage.put(good.cid, good.bytes);
    const other = (await rawBlock(randomBytes(100))).cid.toString();
    const proxy = await startCorruptingProxy(kubo.apiUrl, (path, body) => {
      if (path.startsWith('/api/v0/block/get')) return flipFirstByte(body);
      if (path.startsWith('/api/v0/block/put'))
        return new TextEncoder().encode(JSON.stringify({ Key: other, Size: 100 }));
      return undefined;
    });
    try {
      const liar = await createKuboStorage({ url: proxy.url });
      await expect(liar.get(good.cid)).rejects.toBeInstanceOf(InvalidBlockError);
      await expect(liar.put(good.cid, good.bytes)).rejects.toBeInstanceOf(KuboRpcError);
      expect(proxy.rewritten.length).toBe(2);
    } finally {
      await proxy.close();
    }
  });
});
