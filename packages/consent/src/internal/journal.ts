import type { CID } from 'multiformats/cid';
import type { ConsentClient } from '../client.js';
import type { JournalActionKind, JournalValue, PendingAction } from '../journal.js';

const ACTION = 'action/';
const READERS = 'readers/';

/** Records the intent of an action before its first side effect; returns its journal entry. */
export async function beginAction(
  client: ConsentClient,
  kind: JournalActionKind,
  data: PendingAction['data'],
): Promise<PendingAction> {
  const action: PendingAction = {
    id: `${Date.now().toString(36)}-${crypto.getRandomValues(new Uint32Array(2)).join('')}`,
    kind,
    step: 'intent',
    startedAt: Date.now(),
    data,
  };
  await client.journal.set(ACTION + action.id, action as unknown as JournalValue);
  return action;
}

/** Records that `action` has done `step` (and any data it learned on the way). */
export async function markStep(
  client: ConsentClient,
  action: PendingAction,
  step: string,
  data: PendingAction['data'] = {},
): Promise<void> {
  action.step = step;
  Object.assign(action.data, data);
  await client.journal.set(ACTION + action.id, action as unknown as JournalValue);
}

/** Removes a finished (or rolled back) action from the journal. */
export async function endAction(client: ConsentClient, action: PendingAction): Promise<void> {
  await client.journal.delete(ACTION + action.id);
}

/** Every action in the journal, oldest first. */
export async function pendingActions(client: ConsentClient): Promise<PendingAction[]> {
  const actions: PendingAction[] = [];
  for (const key of await client.journal.keys(ACTION)) {
    const value = await client.journal.get(key);
    if (value && typeof value === 'object' && !Array.isArray(value)) actions.push(value as unknown as PendingAction);
  }
  return actions.sort((a, b) => a.startedAt - b.startedAt || a.id.localeCompare(b.id));
}

/** Records the accounts (besides the patient) a version is encrypted to, before it is anchored. */
export async function recordReaders(client: ConsentClient, cid: CID, readers: readonly string[]): Promise<void> {
  await client.journal.set(READERS + cid.toString(), [...new Set(readers)].sort());
}

/** The accounts a version is encrypted to, or `undefined` when this journal did not publish it. */
export async function readersOf(client: ConsentClient, cid: CID): Promise<string[] | undefined> {
  const value = await client.journal.get(READERS + cid.toString());
  return Array.isArray(value) ? (value as string[]) : undefined;
}

/** Drops the ledger entry of a version that is no longer current (its successor is anchored, or it never was). */
export async function forgetReaders(client: ConsentClient, cid: CID): Promise<void> {
  await client.journal.delete(READERS + cid.toString());
}
