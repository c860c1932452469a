import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidParametersError } from '@mhrchain/core';
import { id, JsonRpcProvider, Network, type TopicFilter, zeroPadValue } from 'ethers';
import fc from 'fast-check';
import { afterEach, describe, expect } from 'vitest';
import { EventIndexError, RpcUnavailableError } from './chainErrors.js';
import { createEventIndex } from './eventIndex.js';
import { createMemoryEventStore, type IndexedLog } from './eventIndexStore.js';
import { createFileEventStore } from './fileEventStore.js';
import { anchorHistory } from './internal/anchorHistory.js';
import { createLogReader } from './logReader.js';
import { startRangeLimitedRpc } from './rangeLimitedRpc.js';
import { type AnvilInstance, anvilTest } from './testing.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function proxied(anvil: AnvilInstance, maxBlockRange: number, maxLogs = 10_000) {
  const rpc = await startRangeLimitedRpc({ upstream: anvil.rpcUrl, maxBlockRange, maxLogs });
  const provider = new JsonRpcProvider(rpc.url, Network.from(anvil.chainId), { staticNetwork: true, cacheTimeout: -1 });
  cleanup.push(
    () => rpc.close(),
    () => provider.destroy(),
  );
  return { rpc, provider };
}

const ANCHORED = id('RecordAnchored(bytes32,address,address,uint16,bytes)');
const key = (log: { blockNumber: number; index: number; blockHash: string; transactionHash: string }) =>
  `${log.blockNumber}:${log.index}:${log.blockHash}:${log.transactionHash}`;

async function fullScan(
  anvil: AnvilInstance,
  address: string,
  fromBlock: number,
  toBlock: number,
  topics?: TopicFilter,
) {
  return (await anvil.provider.getLogs({ address, topics, fromBlock, toBlock })).map(key);
}

describe('createEventIndex', () => {
  anvilTest('refuses bad parameters', async ({ anvil }) => {
    expect(() => createEventIndex({ provider: anvil.provider, address: [] })).toThrow(InvalidParametersError);
    expect(() => createEventIndex({ provider: anvil.provider, address: '0x01', confirmations: -1 })).toThrow(
      InvalidParametersError,
    );
  });

  anvilTest(
    'after the first sync, a sync reads only the new blocks (two block headers in one batch, one getLogs)',
    async ({ anvil, mhrChain }) => {
      const [alice, bob] = [anvil.signers[1]!, anvil.signers[2]!];
      const address = mhrChain.addresses.recordRegistry;
      const start = await anvil.provider.getBlockNumber();
      await anchorHistory({
        chain: mhrChain.chain,
        signer: alice,
        perBlock: Array.from({ length: 300 }, (_, i) => i % 3),
      });
      const { rpc, provider } = await proxied(anvil, 50, 40);
      const index = createEventIndex({ provider, address, fromBlock: start, reader: createLogReader({ provider }) });
      const first = await index.sync();
      expect(first.indexedBlock).toBe(await anvil.provider.getBlockNumber());
      expect(first.added).toBe(300);
      expect(rpc.stats.refused).toBeGreaterThan(0);

      const { toBlock } = await anchorHistory({
        chain: mhrChain.chain,
        signer: bob,
        perBlock: [1, 0, 2, 0, 0, 1, 0, 0, 0, 1],
      });
      rpc.resetStats();
      const next = await index.sync();
      expect(next).toEqual({ indexedBlock: toBlock, added: 5, removed: 0, blocksRead: 10 });
      expect(rpc.stats.calls).toEqual({ eth_getBlockByNumber: 2, eth_getLogs: 1 });

      const bobTopic = zeroPadValue(bob.address, 32);
      expect(index.query({ topics: [ANCHORED, null, bobTopic] }).map(key)).toEqual(
        await fullScan(anvil, address, start, toBlock, [ANCHORED, null, bobTopic]),
      );
      expect(index.query().map(key)).toEqual(await fullScan(anvil, address, start, toBlock));
      const events = await index.events(mhrChain.chain.recordRegistry, 'RecordAnchored', {
        args: { patient: bob.address },
      });
      expect(events.map((event) => event.args.patient)).toEqual(Array(5).fill(bob.address));
    },
  );

  anvilTest(
    'equals a full re-scan over random histories with reorgs (snapshot, revert, new blocks)',
    async ({ anvil, mhrChain }) => {
      const patients = anvil.signers.slice(1, 4);
      const address = mhrChain.addresses.recordRegistry;
      const { provider } = await proxied(anvil, 6, 8);
      const step = fc.oneof(
        fc.record({
          kind: fc.constant('anchor' as const),
          who: fc.nat(2),
          blocks: fc.array(fc.nat(4), { maxLength: 6 }),
        }),
        fc.record({ kind: fc.constant('empty' as const), n: fc.integer({ min: 1, max: 12 }) }),
        fc.record({ kind: fc.constant('snapshot' as const) }),
        fc.record({
          kind: fc.constant('reorg' as const),
          who: fc.nat(2),
          blocks: fc.array(fc.nat(3), { maxLength: 5 }),
        }),
        fc.record({ kind: fc.constant('sync' as const) }),
      );
      let reorgs = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), async (steps) => {
          const start = (await anvil.provider.getBlockNumber()) + 1;
          const index = createEventIndex({
            provider,
            address,
            fromBlock: start,
            commitEvery: 7,
            reader: createLogReader({ provider, maxBlockRange: 20, retryDelayMs: 5 }),
          });
          const snapshots: string[] = [];
          for (const s of steps) {
            if (s.kind === 'anchor')
              await anchorHistory({ chain: mhrChain.chain, signer: patients[s.who]!, perBlock: s.blocks });
            else if (s.kind === 'empty') await anvil.provider.send('anvil_mine', [`0x${s.n.toString(16)}`]);
            else if (s.kind === 'snapshot') snapshots.push(await anvil.snapshot());
            else if (s.kind === 'reorg' && snapshots.length > 0) {
              await anvil.revert(snapshots.pop()!);
              await anchorHistory({ chain: mhrChain.chain, signer: patients[s.who]!, perBlock: [1, ...s.blocks] });
              reorgs++;
            } else if (s.kind === 'sync') await index.sync();
          }
          const { indexedBlock } = await index.sync();
          const head = await anvil.provider.getBlockNumber();
          expect(indexedBlock).toBe(head);
          if (head < start) return;
          expect(index.query().map(key)).toEqual(await fullScan(anvil, address, start, head));
          for (const patient of patients) {
            const topics = [ANCHORED, null, zeroPadValue(patient.address, 32)];
            expect(index.query({ topics }).map(key)).toEqual(await fullScan(anvil, address, start, head, topics));
          }
        }),
        { numRuns: 12, seed: 20261204 },
      );
      expect(reorgs).toBeGreaterThan(0);
    },
  );

  anvilTest(
    'a reorg under the indexed head is undone: logs of abandoned blocks go, the new ones come',
    async ({ anvil, mhrChain }) => {
      const address = mhrChain.addresses.recordRegistry;
      const start = (await anvil.provider.getBlockNumber()) + 1;
      await anchorHistory({ chain: mhrChain.chain, signer: anvil.signers[1]!, perBlock: [2, 2] });
      const snapshot = await anvil.snapshot();
      await anchorHistory({ chain: mhrChain.chain, signer: anvil.signers[1]!, perBlock: [3, 3, 3] });
      const index = createEventIndex({ provider: anvil.provider, address, fromBlock: start, commitEvery: 2 });
      expect((await index.sync()).added).toBe(13);
      await anvil.revert(snapshot);
      const { toBlock } = await anchorHistory({ chain: mhrChain.chain, signer: anvil.signers[2]!, perBlock: [1] });
      const result = await index.sync();
      expect(result.indexedBlock).toBe(toBlock);
      expect(result.removed).toBe(9);
      expect(index.query().map(key)).toEqual(await fullScan(anvil, address, start, toBlock));
    },
  );

  anvilTest(
    'the provider going down mid-sync loses nothing: a new index on the same file resumes there',
    async ({ anvil, mhrChain }) => {
      const directory = await mkdtemp(join(tmpdir(), 'mhr-index-'));
      cleanup.push(() => rm(directory, { recursive: true, force: true }));
      const path = join(directory, 'events.jsonl');
      const address = mhrChain.addresses.recordRegistry;
      const start = (await anvil.provider.getBlockNumber()) + 1;
      const { toBlock } = await anchorHistory({
        chain: mhrChain.chain,
        signer: anvil.signers[3]!,
        perBlock: Array.from({ length: 60 }, (_, i) => i % 2),
      });
      const { rpc, provider } = await proxied(anvil, 5);
      const reader = createLogReader({ provider, retries: 1, retryDelayMs: 5 });
      const retry = { retries: 1, retryDelayMs: 5 };
      const progress: number[] = [];
      const first = createEventIndex({
        provider,
        address,
        fromBlock: start,
        commitEvery: 10,
        reader,
        ...retry,
        store: createFileEventStore({ path }),
        onProgress: (block) => {
          progress.push(block);
          if (progress.length === 2) rpc.down();
        },
      });
      const failure = await first.sync().catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(RpcUnavailableError);
      expect(progress).toEqual([start + 9, start + 19]);

      rpc.up();
      const resumed = createEventIndex({
        provider,
        address,
        fromBlock: start,
        commitEvery: 10,
        reader,
        store: createFileEventStore({ path }),
      });
      const result = await resumed.sync();
      expect(result.blocksRead).toBe(toBlock - (start + 19));
      expect(resumed.query().map(key)).toEqual(await fullScan(anvil, address, start, toBlock));

      // The store remembers what it indexes: another contract set is refused.
      const other = createEventIndex({
        provider,
        address: mhrChain.addresses.consentManager,
        store: createFileEventStore({ path }),
      });
      await expect(other.sync()).rejects.toThrow(EventIndexError);
    },
  );

  anvilTest('confirmations keep the newest blocks out until they are deep enough', async ({ anvil, mhrChain }) => {
    const address = mhrChain.addresses.recordRegistry;
    const start = (await anvil.provider.getBlockNumber()) + 1;
    const { toBlock } = await anchorHistory({ chain: mhrChain.chain, signer: anvil.signers[1]!, perBlock: [1, 1, 1] });
    const index = createEventIndex({ provider: anvil.provider, address, fromBlock: start, confirmations: 2 });
    expect((await index.sync()).indexedBlock).toBe(toBlock - 2);
    expect(index.size).toBe(1);
    const sharedStore = createMemoryEventStore();
    const twin = createEventIndex({ provider: anvil.provider, address, fromBlock: start, store: sharedStore });
    const [a, b] = await Promise.all([twin.sync(), twin.sync()]);
    expect(a.indexedBlock).toBe(toBlock);
    expect(b.indexedBlock).toBe(toBlock);
    expect(((await sharedStore.load())?.logs ?? ([] as IndexedLog[])).length).toBe(3);
  });
});
