import { InvalidParametersError } from '@mhrchain/core';
import type { Log, Provider, TopicFilter } from 'ethers';
import type { Abi, EventFilterArgs, EventName } from './abiTypes.js';
import { EventIndexError } from './chainErrors.js';
import {
  applyChange,
  createMemoryEventStore,
  type EventIndexCheckpoint,
  type EventIndexStore,
  type IndexedLog,
} from './eventIndexStore.js';
import { eventTopicFilter } from './eventTopics.js';
import { withRetries } from './internal/retry.js';
import { createLogReader, type LogReader } from './logReader.js';
import type { DecodedEvent, TypedContract } from './typedContract.js';

/** Parameters of {@link createEventIndex}. */
export interface CreateEventIndexParameters {
  provider: Provider;
  /** The contracts whose logs are indexed. */
  address: string | readonly string[];
  /** Index only logs matching these topics. Default: every log of the contracts. */
  topics?: TopicFilter;
  /** The first block that can hold a log (the contracts' deployment block). Default: 0. */
  fromBlock?: number;
  /** Where logs and checkpoints persist. Default: memory. */
  store?: EventIndexStore;
  /** Reads logs in pages. Default: `createLogReader({ provider })`. */
  reader?: LogReader;
  /** Index only blocks at least this deep under the head. Default: 0 (reorgs are undone through block hashes). */
  confirmations?: number;
  /** Blocks read between two commits to the store (progress kept if the provider fails). Default: 40,000. */
  commitEvery?: number;
  /** How many checkpoints (block hashes) are kept to find where a reorg started. Default: 256. */
  keepCheckpoints?: number;
  /** Retries of a transiently failed block or head request (log reads retry in the reader). Default: 5. */
  retries?: number;
  /** The first retry's delay, doubling after. Default: 200 ms. */
  retryDelayMs?: number;
  /** Called after each commit with the indexed head. */
  onProgress?: (indexedBlock: number) => void;
}

/** A query of an event index. */
export interface EventIndexQuery {
  /** Only logs of this contract. */
  address?: string;
  /** Topic filter: `null` matches anything, an array any of its topics. */
  topics?: TopicFilter;
  fromBlock?: number;
  toBlock?: number;
}

/**
 * A query of {@link EventIndex.events}: indexed arguments by name (as in `TypedContract.events`) and an inclusive block
 * range within the indexed blocks.
 */
export interface EventIndexEventsQuery<TAbi extends Abi = Abi, E extends string = string> {
  /** Indexed arguments to match: a value, an array of values (any of them), or `null` / missing (anything). */
  args?: EventFilterArgs<TAbi, E>;
  fromBlock?: number;
  toBlock?: number;
}

/** What one {@link EventIndex.sync} did. */
export interface EventIndexSyncResult {
  /** The indexed head after the sync (`fromBlock - 1` when nothing is indexed yet). */
  indexedBlock: number;
  /** Logs added. */
  added: number;
  /** Logs removed because a reorg replaced their blocks. */
  removed: number;
  /** Blocks read from the provider. */
  blocksRead: number;
}

/** Events of a set of contracts, persisted and kept up to date incrementally. */
export interface EventIndex {
  /**
   * Reads the blocks after the indexed head (up to `toBlock`, default the head minus `confirmations`). First undoes a
   * reorg: when the block hash of the indexed head changed, the newest checkpoint still on the chain is found and
   * everything after it is read again. Concurrent calls share one read.
   */
  sync(options?: { toBlock?: number }): Promise<EventIndexSyncResult>;
  /** The indexed logs matching `query`, in chain order, up to the indexed head (no request). */
  query(query?: EventIndexQuery): IndexedLog[];
  /**
   * The indexed logs of event `name` of a typed contract, filtered by its indexed arguments (`query.args`, by name, as
   * in `TypedContract.events`), decoded, in chain order (no request).
   */
  events<TAbi extends Abi, E extends EventName<TAbi>>(
    contract: TypedContract<TAbi>,
    name: E,
    query?: EventIndexEventsQuery<TAbi, E>,
  ): Promise<DecodedEvent<TAbi, E>[]>;
  /** The last block indexed (`fromBlock - 1` before the first sync). */
  readonly indexedBlock: number;
  /** How many logs are indexed. */
  readonly size: number;
}

const lower = (value: string) => value.toLowerCase();

function matchesTopic(filter: TopicFilter[number], topic: string | undefined): boolean {
  if (filter === null || filter === undefined) return true;
  if (topic === undefined) return false;
  if (typeof filter === 'string') return lower(filter) === topic;
  return filter.some((item) => item !== null && lower(item) === topic);
}

function toIndexed(log: Log): IndexedLog {
  return {
    address: lower(log.address),
    topics: log.topics.map(lower),
    data: log.data,
    blockNumber: log.blockNumber,
    blockHash: log.blockHash,
    index: log.index,
    transactionHash: log.transactionHash,
    transactionIndex: log.transactionIndex,
  };
}

/** Keeps logs in chain order and lookup lists by address and by each topic position, for queries without scans. */
class LogTable {
  readonly all: IndexedLog[] = [];
  private readonly lists = new Map<string, IndexedLog[]>();

  private keys(log: IndexedLog): string[] {
    const keys = [`a:${log.address}`];
    log.topics.forEach((topic, i) => {
      keys.push(`${i}:${topic}`, `a:${log.address}:${i}:${topic}`);
    });
    return keys;
  }

  add(log: IndexedLog): void {
    this.all.push(log);
    for (const key of this.keys(log)) {
      let list = this.lists.get(key);
      if (!list) {
        list = [];
        this.lists.set(key, list);
      }
      list.push(log);
    }
  }

  /** Removes logs (newest first): each is the last of its lists. */
  remove(removed: readonly IndexedLog[]): void {
    for (const log of removed) {
      for (const key of this.keys(log)) {
        const list = this.lists.get(key);
        list?.pop();
        if (list?.length === 0) this.lists.delete(key);
      }
    }
  }

  query(query: EventIndexQuery, head: number): IndexedLog[] {
    const address = query.address ? lower(query.address) : undefined;
    const topics = query.topics ?? [];
    // The shortest list that every match must be in.
    let candidates: IndexedLog[] = address ? (this.lists.get(`a:${address}`) ?? []) : this.all;
    topics.forEach((filter, i) => {
      if (typeof filter !== 'string') return;
      const key = address ? `a:${address}:${i}:${lower(filter)}` : `${i}:${lower(filter)}`;
      const list = this.lists.get(key) ?? [];
      if (list.length < candidates.length) candidates = list;
    });
    const from = query.fromBlock ?? 0;
    const to = Math.min(query.toBlock ?? head, head);
    const out: IndexedLog[] = [];
    for (const log of candidates) {
      if (log.blockNumber < from || log.blockNumber > to) continue;
      if (address && log.address !== address) continue;
      if (topics.every((filter, i) => matchesTopic(filter, log.topics[i]))) out.push(log);
    }
    return out;
  }
}

/**
 * Creates an incremental, persisted index of the logs of some contracts. The first {@link EventIndex.sync} reads the
 * history through a paged {@link LogReader}, committing progress to the store as it goes (an unreachable provider
 * mid-sync loses nothing: the next sync resumes from the last commit); later syncs read only the new blocks (the chain
 * head and the indexed head's hash, to catch a reorg, come in one batch). Queries are answered from memory.
 *
 * @throws `EventIndexError` (on the first sync) when the store was built for another chain, contracts or topics.
 * @example
 * ```ts
 * import { createEventIndex } from '@mhrchain/contracts';
 * import { JsonRpcProvider } from 'ethers';
 *
 * const provider = new JsonRpcProvider('http://127.0.0.1:8545');
 * // const index = createEventIndex({ provider, address: Object.values(chain.addresses) });
 * // await index.sync();
 * // const anchored = await index.events(chain.recordRegistry, 'RecordAnchored', { args: { patient } });
 * ```
 */
export function createEventIndex(parameters: CreateEventIndexParameters): EventIndex {
  const { provider } = parameters;
  const addresses = (typeof parameters.address === 'string' ? [parameters.address] : [...parameters.address]).map(
    lower,
  );
  const startBlock = parameters.fromBlock ?? 0;
  const confirmations = parameters.confirmations ?? 0;
  const commitEvery = parameters.commitEvery ?? 40_000;
  const keepCheckpoints = parameters.keepCheckpoints ?? 256;
  const store = parameters.store ?? createMemoryEventStore();
  const reader = parameters.reader ?? createLogReader({ provider });
  for (const [name, value] of Object.entries({ startBlock, confirmations, keepCheckpoints: keepCheckpoints - 1 }))
    if (!Number.isSafeInteger(value) || value < 0)
      throw new InvalidParametersError(`${name} must be a non-negative integer.`, { details: String(value) });
  if (!Number.isSafeInteger(commitEvery) || commitEvery < 1)
    throw new InvalidParametersError('commitEvery must be a positive integer.', { details: String(commitEvery) });
  if (addresses.length === 0) throw new InvalidParametersError('An event index needs at least one contract address.');

  const retry = { retries: parameters.retries ?? 5, retryDelayMs: parameters.retryDelayMs ?? 200 };
  const table = new LogTable();
  let checkpoints: EventIndexCheckpoint[] = [];
  let key: string | undefined;
  let loading: Promise<void> | undefined;
  let running: Promise<EventIndexSyncResult> | undefined;

  const indexedBlock = () => checkpoints.at(-1)?.block ?? startBlock - 1;

  const load = () => {
    loading ??= (async () => {
      const { chainId } = await withRetries('eth_chainId', retry, () => provider.getNetwork());
      key = JSON.stringify({
        chainId: String(chainId),
        addresses: [...addresses].sort(),
        topics: parameters.topics ?? null,
        fromBlock: startBlock,
      });
      const saved = await store.load();
      if (!saved) return;
      if (saved.state.key !== key)
        throw new EventIndexError('The event index store was built for another chain, contracts or topics.', {
          details: `stored ${saved.state.key}, expected ${key}`,
        });
      checkpoints = [...saved.state.checkpoints];
      for (const log of saved.logs) table.add(log);
    })().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };

  const hashOf = async (block: number): Promise<string | undefined> =>
    (await withRetries('eth_getBlockByNumber', retry, () => provider.getBlock(block)))?.hash ?? undefined;

  const commit = async (rewindTo: number | undefined, logs: IndexedLog[], next: EventIndexCheckpoint[]) => {
    const trimmed = next.length > keepCheckpoints ? next.slice(next.length - keepCheckpoints) : next;
    await store.commit({ rewindTo, logs, state: { key: key!, checkpoints: trimmed } });
    const removed = applyChange(table.all, { rewindTo, logs: [] });
    table.remove(removed);
    for (const log of logs) table.add(log);
    checkpoints = trimmed;
    return removed.length;
  };

  /** Undoes a reorg under the indexed head; returns the number of logs removed. */
  /** Undoes a reorg under the indexed head, whose hash on the chain now is `headHash`; returns the logs removed. */
  const undoReorg = async (headHash: string | undefined): Promise<number> => {
    const head = checkpoints.at(-1);
    if (!head || headHash === head.hash) return 0;
    // Checkpoints still on the chain form a prefix: binary search for its end.
    let low = 0;
    let high = checkpoints.length - 2;
    let ancestor = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const checkpoint = checkpoints[middle]!;
      if ((await hashOf(checkpoint.block)) === checkpoint.hash) {
        ancestor = middle;
        low = middle + 1;
      } else high = middle - 1;
    }
    const kept = checkpoints.slice(0, ancestor + 1);
    return commit(kept.at(-1)?.block ?? startBlock - 1, [], kept);
  };

  const run = async (toBlock: number | undefined): Promise<EventIndexSyncResult> => {
    await load();
    // One round trip (providers batch the two): the chain head, and the hash of the indexed head to check for a reorg.
    const indexedHead = checkpoints.at(-1);
    const [latest, indexedHash] = await Promise.all([
      withRetries('eth_getBlockByNumber', retry, () => provider.getBlock('latest')),
      indexedHead ? hashOf(indexedHead.block) : undefined,
    ]);
    if (!latest?.hash) throw new EventIndexError('The provider returned no latest block.');
    const removed = await undoReorg(indexedHash);
    const target = toBlock ?? latest.number - confirmations;
    let added = 0;
    let blocksRead = 0;
    let from = indexedBlock() + 1;
    while (from <= target) {
      const end = Math.min(target, from + commitEvery - 1);
      // The hash first, then the logs: a reorg in between changes this hash, and the next sync reads again.
      const hash = end === latest.number ? latest.hash : await hashOf(end);
      if (hash === undefined) break;
      const logs = await reader.getLogs({
        address: addresses.length === 1 ? addresses[0] : addresses,
        topics: parameters.topics,
        fromBlock: from,
        toBlock: end,
      });
      await commit(undefined, logs.map(toIndexed), [...checkpoints, { block: end, hash }]);
      added += logs.length;
      blocksRead += end - from + 1;
      parameters.onProgress?.(end);
      from = end + 1;
    }
    return { indexedBlock: indexedBlock(), added, removed, blocksRead };
  };

  const sync = async (options: { toBlock?: number } = {}): Promise<EventIndexSyncResult> => {
    // One read at a time. A caller arriving meanwhile shares it (its head is at most one sync old), unless
    // the caller needs a later block than it reached; if it failed, the caller reads itself.
    while (running) {
      const result = await running.catch(() => undefined);
      if (result && (options.toBlock === undefined || result.indexedBlock >= options.toBlock)) return result;
    }
    const mine = run(options.toBlock);
    running = mine;
    try {
      return await mine;
    } finally {
      if (running === mine) running = undefined;
    }
  };

  return {
    sync,
    query: (query = {}) => table.query(query, indexedBlock()),
    async events<TAbi extends Abi, E extends EventName<TAbi>>(
      contract: TypedContract<TAbi>,
      name: E,
      query: EventIndexEventsQuery<TAbi, E> = {},
    ) {
      const topics = eventTopicFilter(contract.contract.interface, name, query.args);
      if (!topics) return [];
      const logs = table.query(
        { address: contract.address, topics, fromBlock: query.fromBlock, toBlock: query.toBlock },
        indexedBlock(),
      );
      return contract.decodeLogs(logs).filter((event): event is DecodedEvent<TAbi, E> => event.eventName === name);
    },
    get indexedBlock() {
      return indexedBlock();
    },
    get size() {
      return table.all.length;
    },
  };
}
