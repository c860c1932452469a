import type { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flipFirstByte, randomData, startCorruptingProxy } from '../test/corruptingProxy.js';
import { loadEnvelope, storeEnvelope } from './envelopeStorage.js';
import { InvalidBlockError, InvalidParametersError, ReplicationError } from './errors.js';
import { createGatewayStorage } from './gatewayStorage.js';
import { generateIdentity } from './identity.js';
import { walkDag } from './internal/walkDag.js';
import { type KuboInstance, startKubo } from './kubo.js';
import { createKuboStorage, type KuboStorage } from './kuboStorage.js';
import { createReplicatedStorage } from './replicatedStorage.js';
import { createMemoryStorage, type Storage } from './storage.js';

const same = (a: Uint8Array | ArrayBuffer, b: Uint8Array) => Buffer.from(a as Uint8Array).equals(b);
const patient = generateIdentity();

/** Every CID of the DAG under `root`, read from `storage`. */
async function dagOf(storage: Storage, root: CID): Promise<CID[]> {
  const cids: CID[] = [];
  for await (const block of walkDag(storage, root)) cids.push(block.cid);
  return cids;
}

/** Reads and decrypts the record from one node alone. */
async function readFrom(storage: Storage, cid: CID): Promise<Uint8Array> {
  return (await loadEnvelope(storage, cid, patient)).bytes();
}

describe('createReplicatedStorage', () => {
  it('takes k from 1 to the number of writable nodes', () => {
    const nodes = [createMemoryStorage(), createMemoryStorage()];
    expect(() => createReplicatedStorage({ nodes, k: 0 })).toThrow(InvalidParametersError);
    expect(() => createReplicatedStorage({ nodes, k: 3 })).toThrow(InvalidParametersError);
    expect(createReplicatedStorage({ nodes, k: 2 }).k).toBe(2);
  });

  it('retries a node that fails now and then, and reports a shortfall with the CID to resume', async () => {
    const flaky = createMemoryStorage();
    let failures = 0;
    const flakyPut = flaky.put.bind(flaky);
    flaky.put = async (cid, bytes) => {
      if (failures++ % 2 === 0) throw new Error('connection reset');
      return flakyPut(cid, bytes);
    };
    const steady = createMemoryStorage();
    const replicated = createReplicatedStorage({ nodes: [flaky, steady], k: 2, retryDelayMs: 1 });
    const stored = await storeEnvelope(replicated, {
      data: randomData(2_000_000),
      metadata: { mediaType: 'application/octet-stream' },
      recipients: [patient.publicKey],
    });
    expect((await replicated.status(stored.cid)).pinned).toBe(2);
    for (const cid of await dagOf(steady, stored.cid)) expect(await flaky.has(cid)).toBe(true);

    const down = createMemoryStorage();
    down.pin = async () => {
      throw new Error('connection refused');
    };
    const short = createReplicatedStorage({ nodes: [steady, down], k: 2, retryDelayMs: 1 });
    const error = await short.pin(stored.cid).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReplicationError);
    expect((error as ReplicationError).cid?.equals(stored.cid)).toBe(true);
    expect((error as ReplicationError).succeeded).toBe(1);
  });

  it('reports a DAG that no node can provide as a shortfall on every node, naming the CID', async () => {
    const [a, b] = [createMemoryStorage(), createMemoryStorage()];
    const stored = await storeEnvelope(createMemoryStorage(), {
      data: randomData(2_000_000),
      metadata: { mediaType: 'application/octet-stream' },
      recipients: [patient.publicKey],
    });
    const replicated = createReplicatedStorage({ nodes: [a, b], k: 1, retryDelayMs: 1 });
    const error = await replicated.pin(stored.cid).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReplicationError);
    expect((error as ReplicationError).succeeded).toBe(0);
    expect((error as ReplicationError).cid?.equals(stored.cid)).toBe(true);
  });

  it('pins what it has just written without asking for it again, and still repairs a block lost in between', async () => {
    const [a, b] = [createMemoryStorage(), createMemoryStorage()];
    let hasCalls = 0;
    for (const node of [a, b]) {
      const has = node.has.bind(node);
      node.has = async (cid) => {
        hasCalls++;
        return has(cid);
      };
    }
    const replicated = createReplicatedStorage({ nodes: [a, b], k: 2, retryDelayMs: 1 });
    const record = {
      metadata: { mediaType: 'application/octet-stream' },
      recipients: [patient.publicKey],
    };
    const first = await storeEnvelope(replicated, { ...record, data: randomData(2_000_000) });
    expect((await replicated.status(first.cid)).pinned).toBe(2);
    expect(hasCalls).toBe(0); // every block acknowledged by both nodes: pinned at once, no block asked for

    // A block of the next record disappears from one node between its write and the pin (a collection, say): the
    // pin there fails, and the full path copies the block back from the other node.
    const b2 = createMemoryStorage();
    const lossy = createReplicatedStorage({ nodes: [a, b2], k: 2, retryDelayMs: 1 });
    const b2Put = b2.put.bind(b2);
    let lost: CID | undefined;
    let relost = false;
    b2.put = async (cid, bytes) => {
      await b2Put(cid, bytes);
      if (!lost && cid.code === raw.code) lost = cid; // acknowledged, but not kept
    };
    const b2Has = b2.has.bind(b2);
    const b2Get = b2.get.bind(b2);
    b2.has = async (cid) => (lost?.equals(cid) && !relost ? false : b2Has(cid));
    b2.get = async (cid) => {
      if (lost?.equals(cid) && !relost) throw new Error('gone');
      return b2Get(cid);
    };
    const b2Pin = b2.pin.bind(b2);
    b2.pin = async (cid) => {
      if (!relost) throw new Error('a block is missing');
      return b2Pin(cid);
    };
    const b2PutAgain = b2.put;
    b2.put = async (cid, bytes) => {
      if (lost?.equals(cid)) relost = true; // copied back by the full path
      return b2PutAgain(cid, bytes);
    };
    const second = await storeEnvelope(lossy, { ...record, data: randomData(2_000_000) });
    expect(relost).toBe(true);
    expect((await lossy.status(second.cid)).pinned).toBe(2);
  });

  it('deletes a block on every writable node that can, and reports a node that fails', async () => {
    const [a, b] = [createMemoryStorage(), createMemoryStorage()];
    const storage = createReplicatedStorage({ nodes: [a, b], k: 2 });
    const stored = await storeEnvelope(storage, {
      data: randomData(300_000),
      metadata: { mediaType: 'application/octet-stream' },
      recipients: [patient.publicKey],
    });
    const blocks = await dagOf(a, stored.cid);
    await storage.unpin(stored.cid);
    for (const cid of blocks) await storage.delete!(cid);
    for (const node of [a, b]) for (const cid of blocks) expect(await node.has(cid)).toBe(false);

    const failing: Storage = { ...createMemoryStorage(), delete: async () => Promise.reject(new Error('disk full')) };
    const partial = createReplicatedStorage({ nodes: [createMemoryStorage(), failing], k: 1, attempts: 1 });
    await expect(partial.delete!(stored.cid)).rejects.toBeInstanceOf(ReplicationError);
  });

  it('skips a node that answers bytes that do not hash to the CID', async () => {
    const liar = createMemoryStorage();
    const honest = createMemoryStorage();
    const replicated = createReplicatedStorage({ nodes: [liar, honest], k: 2 });
    const stored = await storeEnvelope(replicated, {
      data: randomData(2_000_000),
      metadata: { mediaType: 'application/octet-stream' },
      recipients: [patient.publicKey],
    });
    const leaf = (await dagOf(honest, stored.cid)).find((cid) => cid.code === raw.code)!;
    await liar.put(leaf, flipFirstByte(await honest.get(leaf)));
    expect(same(await replicated.get(leaf), await honest.get(leaf))).toBe(true);
    await honest.put(leaf, await liar.get(leaf)); // now both lie
    await expect(replicated.get(leaf)).rejects.toBeInstanceOf(InvalidBlockError);
  });
});

describe('createReplicatedStorage on real Kubo nodes', () => {
  let kubos: KuboInstance[] = [];
  let storages: KuboStorage[] = [];

  beforeAll(async () => {
    kubos = await Promise.all([startKubo(), startKubo(), startKubo()]);
    // Not peered, and offline: every copy a node holds was written to it by the replicated storage.
    storages = await Promise.all(
      kubos.map((kubo) => createKuboStorage({ url: kubo.apiUrl, offline: true, timeout: 5_000 })),
    );
  });
  afterAll(async () => {
    await Promise.all(kubos.map((kubo) => kubo.destroy()));
  });

  it('a node down mid-upload loses nothing: once back, resuming completes the record on k nodes', async () => {
    const [, , c] = kubos as [KuboInstance, KuboInstance, KuboInstance];
    const replicated = createReplicatedStorage({ nodes: storages, k: 3, retryDelayMs: 20 });
    const data = randomData(8_000_000); // nine payload leaves
    let crashed: Promise<void> | undefined;
    const error = await storeEnvelope(replicated, {
      stream: new Blob([data]).stream(),
      metadata: { mediaType: 'application/pdf' },
      recipients: [patient.publicKey],
      onProgress: ({ blocks }) => {
        if (blocks === 2) crashed ??= c.crash();
      },
    }).catch((e: unknown) => e);
    await crashed;
    expect(error).toBeInstanceOf(ReplicationError);
    const shortfall = error as ReplicationError;
    expect(shortfall.required).toBe(3);
    expect(shortfall.succeeded).toBe(2);
    const cid = shortfall.cid!;
    const status = await replicated.status(cid);
    expect(status.pinned).toBe(2);
    expect(status.perNode[2]).toBeInstanceOf(Error); // C is down

    await c.restart();
    const dag = await dagOf(storages[0]!, cid);
    expect(dag.length).toBe(11); // header, payload root, nine leaves
    const missing = (await Promise.all(dag.map((block) => storages[2]!.has(block)))).filter((has) => !has).length;
    expect(missing).toBeGreaterThan(0); // C missed part of the upload

    await replicated.pin(cid); // resume: copies what C lacks from A or B, pins, checks the pin
    expect((await replicated.status(cid)).pinned).toBe(3);
    expect(await replicated.isPinned(cid)).toBe(true);
    for (const storage of storages) {
      for (const block of dag) expect(await storage.has(block)).toBe(true);
      // The same envelope on every node (nothing re-encrypted), readable from each alone.
      expect(same(await readFrom(storage, cid), data)).toBe(true);
    }
  }, 60_000);

  it('a node lost after durability: the record is still read from another node', async () => {
    const [a] = kubos as [KuboInstance];
    const replicated = createReplicatedStorage({ nodes: storages, k: 2, retryDelayMs: 20 });
    const data = randomData(3_000_000);
    const stored = await storeEnvelope(replicated, {
      data,
      metadata: { mediaType: 'application/dicom' },
      recipients: [patient.publicKey],
    });
    expect((await replicated.status(stored.cid)).pinned).toBe(3);
    await a.crash();
    try {
      expect(await replicated.isPinned(stored.cid)).toBe(true); // 2 ≥ k
      expect(same(await readFrom(replicated, stored.cid), data)).toBe(true);
    } finally {
      await a.restart();
    }
  }, 60_000);

  it('a node serving a wrong block through its gateway: the verified read rejects it and uses another node', async () => {
    const [a] = kubos as [KuboInstance];
    const data = randomData(2_000_000);
    const stored = await storeEnvelope(createReplicatedStorage({ nodes: storages, k: 3 }), {
      data,
      metadata: { mediaType: 'application/octet-stream' },
      recipients: [patient.publicKey],
    });
    const leaf = (await dagOf(storages[0]!, stored.cid)).find((cid) => cid.code === raw.code)!;
    const proxy = await startCorruptingProxy(a.gatewayUrl, (path, body) =>
      path.startsWith(`/ipfs/${leaf}`) ? flipFirstByte(body) : undefined,
    );
    const gateway = await createGatewayStorage({ gateways: [proxy.url], allowInsecure: true, timeout: 5_000 });
    try {
      // The gateway storage hash-checks and refuses the block (Helia's broker reports it as not found from any gateway).
      await expect(gateway.get(leaf)).rejects.toMatchObject({
        name: expect.stringMatching(/^(InvalidBlock|BlockNotFound)Error$/),
      });
      const replicated = createReplicatedStorage({ nodes: [gateway, storages[1]!], k: 1 });
      expect(same(await readFrom(replicated, stored.cid), data)).toBe(true);
      expect(proxy.rewritten.filter((path) => path.startsWith(`/ipfs/${leaf}`)).length).toBeGreaterThanOrEqual(2);
    } finally {
      await gateway.close();
      await proxy.close();
    }
  }, 60_000);
});
