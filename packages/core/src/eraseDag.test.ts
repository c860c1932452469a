import type { CID } from 'multiformats/cid';
import { describe, expect, it } from 'vitest';
import { readEnvelopeHeader } from './envelopeHeader.js';
import { loadEnvelope, storeEnvelope } from './envelopeStorage.js';
import { eraseDag } from './eraseDag.js';
import { BlockNotFoundError } from './errors.js';
import { generateIdentity } from './identity.js';
import { linksOf, walkDag } from './internal/walkDag.js';
import { rewrapEnvelope } from './rewrapEnvelope.js';
import { createMemoryStorage, type Storage } from './storage.js';

async function stored(storage: Storage, size: number) {
  const data = new Uint8Array(size).map((_, i) => (i * 7919) % 251);
  const { cid } = await storeEnvelope(storage, {
    data,
    metadata: { mediaType: 'application/octet-stream' },
    recipients: [generateIdentity().publicKey],
  });
  await storage.pin(cid);
  const blocks = [];
  for await (const block of walkDag(storage, cid)) blocks.push(block.cid);
  return { cid, blocks };
}

describe('eraseDag', () => {
  it('removes every block of the DAG and nothing else, and a second call finds nothing', async () => {
    const storage = createMemoryStorage();
    const erased = await stored(storage, 3 * 1024 * 1024); // several payload leaves
    const kept = await stored(storage, 1000);
    expect(erased.blocks.length).toBeGreaterThan(3);
    const result = await eraseDag(storage, erased.cid);
    expect(result.outcome).toBe('deleted');
    expect(result.found.map(String).sort()).toEqual(erased.blocks.map(String).sort());
    expect(result.found.at(-1)!.equals(erased.cid)).toBe(true); // the root goes last
    for (const cid of erased.blocks) expect(await storage.has(cid)).toBe(false);
    expect(await storage.isPinned(erased.cid)).toBe(false);
    for (const cid of kept.blocks) expect(await storage.has(cid)).toBe(true);
    expect(await storage.isPinned(kept.cid)).toBe(true);
    expect((await eraseDag(storage, erased.cid)).found).toEqual([]);
  });

  it('after a crash part-way, what is left is still reachable from the root and the next call removes it', async () => {
    const base = createMemoryStorage();
    const { cid, blocks } = await stored(base, 3 * 1024 * 1024);
    let budget = 2;
    const crashing: Storage = {
      ...base,
      async delete(target) {
        if (budget-- === 0) throw new Error('process killed');
        await base.delete!(target);
      },
    };
    await expect(eraseDag(crashing, cid)).rejects.toThrow('process killed');
    const present = [];
    for (const b of blocks) if (await base.has(b)) present.push(String(b));
    expect(present.length).toBe(blocks.length - 2);
    // walk from the root, skipping the blocks already deleted
    const reachable: string[] = [];
    const visit = async (target: CID): Promise<void> => {
      if (!(await base.has(target)) || reachable.includes(String(target))) return;
      reachable.push(String(target));
      for (const link of linksOf(target, await base.get(target))) await visit(link);
    };
    await visit(cid);
    expect(reachable.sort()).toEqual(present.sort()); // no orphan: every remaining block hangs under the root
    const resumed = await eraseDag(base, cid);
    expect(resumed.found).toHaveLength(blocks.length - 2);
    for (const b of blocks) expect(await base.has(b)).toBe(false);
  });

  it('a storage that cannot delete single blocks gets the DAG unpinned and says so', async () => {
    const base = createMemoryStorage();
    const { cid, blocks } = await stored(base, 1000);
    const { delete: _, ...noDelete } = base;
    const result = await eraseDag(noDelete, cid);
    expect(result.outcome).toBe('unpinned');
    expect(await base.isPinned(cid)).toBe(false);
    expect(await base.has(blocks[0]!)).toBe(true);
  });

  it('a read failure that is not absence stops the erasure instead of reporting blocks gone', async () => {
    const base = createMemoryStorage();
    const { cid, blocks } = await stored(base, 3 * 1024 * 1024);
    const failing: Storage = {
      ...base,
      async get(target) {
        if (!target.equals(cid)) throw new Error('connection reset');
        return base.get(target);
      },
    };
    await expect(eraseDag(failing, cid)).rejects.toThrow('connection reset');
    for (const b of blocks) expect(await base.has(b)).toBe(true);
    const missing = createMemoryStorage();
    const { has: _, ...noHas } = missing;
    expect((await eraseDag(noHas, cid)).found).toEqual([]); // BlockNotFoundError is absence
    await expect(missing.get(cid)).rejects.toBeInstanceOf(BlockNotFoundError);
  });

  it('keeps what `keep` names: an old header goes, the payload the new header still links to stays', {
    timeout: 30_000,
  }, async () => {
    const storage = createMemoryStorage();
    const owner = generateIdentity();
    const data = new Uint8Array(600 * 1024).map((_, i) => i % 253);
    const old = await storeEnvelope(storage, {
      data,
      metadata: { mediaType: 'application/octet-stream' },
      recipients: [owner.publicKey, generateIdentity().publicKey],
    });
    const header = await storage.get(old.cid);
    const rewrapped = await rewrapEnvelope({ header, identity: owner, recipients: [owner.publicKey] });
    await storage.put(rewrapped.cid, rewrapped.header);
    const payload = readEnvelopeHeader(rewrapped.header).payload;
    expect(payload.equals(readEnvelopeHeader(header).payload)).toBe(true);
    const result = await eraseDag(storage, old.cid, { keep: [payload] });
    expect(result.found.map(String)).toEqual([String(old.cid)]);
    expect(await storage.has(old.cid)).toBe(false);
    const reopened = await loadEnvelope(storage, rewrapped.cid, owner);
    expect(await reopened.bytes()).toEqual(data);
  });

  it('stops when aborted', async () => {
    const storage = createMemoryStorage();
    const { cid, blocks } = await stored(storage, 1000);
    const controller = new AbortController();
    controller.abort();
    await expect(eraseDag(storage, cid, { signal: controller.signal })).rejects.toThrow();
    expect(await storage.has(blocks[0]!)).toBe(true);
  });
});
