/** A log as an event index keeps it (the fields of an ethers `Log` that decoding and ordering need). */
export interface IndexedLog {
  /** The emitting contract, lower case. */
  address: string;
  topics: readonly string[];
  data: string;
  blockNumber: number;
  blockHash: string;
  /** The log's index in its block. */
  index: number;
  transactionHash: string;
  transactionIndex: number;
}

/** A block the index has read up to, with its hash (to notice a reorg under it later). */
export interface EventIndexCheckpoint {
  block: number;
  hash: string;
}

/** What an index persists beside its logs. */
export interface EventIndexState {
  /** What the index covers (chain, contracts, topics, first block): a store built for other contents is refused. */
  key: string;
  /** Blocks read up to, oldest first; the last one is the indexed head. */
  checkpoints: readonly EventIndexCheckpoint[];
}

/** One atomic change of an index: drop the logs above `rewindTo` (when given), append `logs`, then set `state`. */
export interface EventIndexChange {
  rewindTo?: number;
  logs: readonly IndexedLog[];
  state: EventIndexState;
}

/**
 * Where an event index keeps its logs and checkpoints. A change is applied whole or not at all, so a crash (or an
 * unreachable provider) between two changes leaves an index that resumes from its last checkpoint.
 */
export interface EventIndexStore {
  /** The persisted logs (chain order) and state, or `undefined` for a new store. */
  load(): Promise<{ state: EventIndexState; logs: IndexedLog[] } | undefined>;
  /** Applies one change atomically. */
  commit(change: EventIndexChange): Promise<void>;
}

/** Applies a change to logs held in chain order (in place), returning the logs removed, newest first. */
export function applyChange(logs: IndexedLog[], change: Pick<EventIndexChange, 'rewindTo' | 'logs'>): IndexedLog[] {
  const removed: IndexedLog[] = [];
  if (change.rewindTo !== undefined) {
    while (logs.length > 0 && logs[logs.length - 1]!.blockNumber > change.rewindTo) removed.push(logs.pop()!);
  }
  for (const log of change.logs) logs.push(log);
  return removed;
}

/**
 * An event index store in memory (lost when the process ends): for tests, and for short-lived processes.
 *
 * @example
 * ```ts
 * import { createMemoryEventStore } from '@mhrchain/contracts';
 *
 * const store = createMemoryEventStore();
 * await store.load(); // undefined: nothing indexed yet
 * ```
 */
export function createMemoryEventStore(): EventIndexStore {
  let state: EventIndexState | undefined;
  const logs: IndexedLog[] = [];
  return {
    async load() {
      return state ? { state, logs: [...logs] } : undefined;
    },
    async commit(change) {
      applyChange(logs, change);
      state = change.state;
    },
  };
}
