import { freshBlockTag } from '@mhrchain/contracts';
import { getAddress, type Log, type TopicFilter } from 'ethers';
import type { ConsentClient } from '../client.js';
import { compareTimelineEvents } from '../timeline.js';

/** The part of a typed contract {@link queryLogs} uses. */
interface Filterable {
  contract: {
    filters: Record<string, (...args: unknown[]) => { getTopicFilter(): Promise<TopicFilter> }>;
    getAddress(): Promise<string>;
    queryFilter(filter: unknown, fromBlock: number, toBlock: number | string): Promise<unknown[]>;
  };
}

/** The raw logs of one event, filtered by indexed arguments: from the client's event index when it has one. */
export async function queryLogs(
  client: ConsentClient,
  contract: Filterable,
  event: string,
  ...args: unknown[]
): Promise<Log[]> {
  const filter = contract.contract.filters[event]!(...args);
  // Up to a block that holds every write of this process (a provider's cached `latest` may not yet).
  const toBlock = await freshBlockTag(client.provider);
  if (client.eventIndex) {
    // Only the blocks after the indexed head are read; the answer comes from the index.
    await client.eventIndex.sync(typeof toBlock === 'number' ? { toBlock } : {});
    const topics = await filter.getTopicFilter();
    return client.eventIndex.query({ address: await contract.contract.getAddress(), topics }) as unknown as Log[];
  }
  return (await contract.contract.queryFilter(filter, client.fromBlock, toBlock)) as Log[];
}

/**
 * A decoded consent event, without the relayed-signature bookkeeping every contract shares (`NoncesInvalidated`, the
 * only event that names no patient-doctor pair).
 */
type ConsentEvent<T> = T extends { eventName: 'NoncesInvalidated' } ? never : T;

/** The last of `events` (in chain order) for each key, themselves in chain order. */
export function lastPerKey<T extends { blockNumber: number; logIndex: number; eventName?: string }>(
  events: readonly T[],
  key: (event: ConsentEvent<T>) => string,
): ConsentEvent<T>[] {
  const last = new Map<string, ConsentEvent<T>>();
  for (const event of [...events].sort(compareTimelineEvents)) {
    if (event.eventName === 'NoncesInvalidated') continue;
    const k = key(event as ConsentEvent<T>);
    last.delete(k);
    last.set(k, event as ConsentEvent<T>);
  }
  return [...last.values()];
}

/** Every account that was ever granted by, or delegated to by, `patient` (candidates for `canRead`). */
export async function grantees(client: ConsentClient, patient: string): Promise<string[]> {
  const [granted, delegated] = await Promise.all([
    queryLogs(client, client.chain.consentManager as never, 'AccessGranted', patient),
    queryLogs(client, client.chain.delegationRegistry as never, 'DelegationApproved', patient),
  ]);
  const accounts = new Set<string>();
  for (const event of client.chain.consentManager.decodeLogs(granted))
    if (event.eventName === 'AccessGranted') accounts.add(getAddress(event.args.doctor));
  for (const event of client.chain.delegationRegistry.decodeLogs(delegated))
    if (event.eventName === 'DelegationApproved') accounts.add(getAddress(event.args.colleague));
  return [...accounts];
}
