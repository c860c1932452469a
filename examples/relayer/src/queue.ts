import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { WireAction } from './wire.js';

/**
 * Where an action is: `queued` (accepted, not sent), `sending` (the relayer is about to broadcast it: after a crash
 * here the chain decides whether it went out), `sent` (broadcast, `txHash` known), `mined`, `failed`.
 */
export type EntryStatus = 'queued' | 'sending' | 'sent' | 'mined' | 'failed';

/** One received action and its progress. */
export interface QueueEntry {
  /** `contract:account:nonce`. */
  id: string;
  /** The signed action as received. */
  action: WireAction;
  /** The signing account. */
  account: string;
  status: EntryStatus;
  /** The relayer's transaction, once broadcast (the last one, after replacements). */
  txHash?: string;
  blockNumber?: number;
  /** Why it failed. */
  error?: string;
  receivedAt: number;
  updatedAt: number;
}

/** The relayer's queue, persisted on every change. */
export interface RelayQueue {
  get(id: string): QueueEntry | undefined;
  /** Every entry, in the order received. */
  all(): QueueEntry[];
  /** Adds or updates an entry and persists the queue before resolving. */
  put(entry: QueueEntry): Promise<void>;
}

/**
 * A queue in one JSON file, rewritten through a temporary file that is flushed and renamed over it on every change:
 * after a crash the file holds the state before or after the last change, never a torn one.
 */
export async function openFileQueue(path: string): Promise<RelayQueue> {
  await mkdir(dirname(path), { recursive: true });
  const entries = new Map<string, QueueEntry>();
  try {
    for (const entry of JSON.parse(await readFile(path, 'utf8')) as QueueEntry[]) entries.set(entry.id, entry);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  let writing: Promise<void> = Promise.resolve();
  let sequence = 0;
  const persist = async () => {
    const temporary = `${path}.${process.pid}.${sequence++}.tmp`;
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(JSON.stringify([...entries.values()]));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  };
  return {
    get: (id) => entries.get(id),
    all: () => [...entries.values()],
    put(entry) {
      entries.set(entry.id, { ...entry });
      writing = writing.then(persist, persist);
      return writing;
    },
  };
}
