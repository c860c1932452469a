/**
 * The action journal: where a multi-step consent action (store + pin + anchor, grant + key release, revoke + rotate)
 * records its intent before its first side effect and its progress after each step, so that an action cut short by a
 * crash, a refused wallet prompt or a chain outage can be finished (or cleanly rolled back) by `resumePendingActions`.
 * It also keeps the access ledger: for every record version the patient published, the accounts it was encrypted to,
 * which `verifyAccess` checks against the chain.
 */

/** A JSON value, as journal entries hold. */
export type JournalValue = null | boolean | number | string | JournalValue[] | { [key: string]: JournalValue };

/**
 * Durable key-value storage for one account's journal. `set` and `delete` resolve only once the change survives a
 * crash of the process. Use `createMemoryJournalStore` in tests, `createFileJournalStore` (from
 * `@mhrchain/consent/node`) in Node, `createIndexedDbJournalStore` in browsers, or your own (a database row per key).
 *
 * @example
 * ```ts
 * import type { JournalStore } from '@mhrchain/consent';
 *
 * const rows = new Map<string, string>();
 * const store: JournalStore = {
 *   async get(key) {
 *     const row = rows.get(key);
 *     return row === undefined ? undefined : JSON.parse(row);
 *   },
 *   async set(key, value) {
 *     rows.set(key, JSON.stringify(value));
 *   },
 *   async delete(key) {
 *     rows.delete(key);
 *   },
 *   async keys(prefix) {
 *     return [...rows.keys()].filter((key) => key.startsWith(prefix));
 *   },
 * };
 * ```
 */
export interface JournalStore {
  /** The value under `key`, or `undefined`. */
  get(key: string): Promise<JournalValue | undefined>;
  /** Stores `value` under `key`, durably. */
  set(key: string, value: JournalValue): Promise<void>;
  /** Removes `key` (no error when absent), durably. */
  delete(key: string): Promise<void>;
  /** Every key that starts with `prefix`, in no particular order. */
  keys(prefix: string): Promise<string[]>;
}

/**
 * A journal kept in memory: for tests, and for apps that accept that a crash loses the ability to resume. Keep one
 * object across "restarts" in tests to simulate a durable store.
 *
 * @example
 * ```ts
 * import { createMemoryJournalStore } from '@mhrchain/consent';
 *
 * const journal = createMemoryJournalStore();
 * await journal.set('note', { hello: 'world' });
 * ```
 */
export function createMemoryJournalStore(): JournalStore {
  const entries = new Map<string, string>();
  return {
    async get(key) {
      const value = entries.get(key);
      return value === undefined ? undefined : (JSON.parse(value) as JournalValue);
    },
    async set(key, value) {
      entries.set(key, JSON.stringify(value));
    },
    async delete(key) {
      entries.delete(key);
    },
    async keys(prefix) {
      return [...entries.keys()].filter((key) => key.startsWith(prefix));
    },
  };
}

/** The kinds of journalled action. */
export type JournalActionKind =
  | 'addRecord'
  | 'grantAccess'
  | 'revokeAccess'
  | 'approveDelegation'
  | 'revokeDelegation'
  | 'eraseRecords';

/** One journalled action in progress, as `resumePendingActions` reports it. */
export interface PendingAction {
  /** Unique id of the action. */
  id: string;
  kind: JournalActionKind;
  /** The last step recorded as done (`intent` before any side effect). */
  step: string;
  /** When the intent was recorded (ms since the epoch). */
  startedAt: number;
  /** What the action needs to finish: CIDs, accounts, scope, expiry (never plaintext or keys). */
  data: { [key: string]: JournalValue };
}
