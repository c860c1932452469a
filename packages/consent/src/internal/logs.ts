import {
  type Abi,
  type DecodedEvent,
  type EventFilterArgs,
  type EventName,
  encodeEventTopics,
  freshBlockTag,
  type TypedContract,
} from '@mhrchain/contracts';
import { getAddress } from 'ethers';
import type { ConsentClient } from '../client.js';
import { compareTimelineEvents } from '../timeline.js';

/**
 * The events `name` of `contract` whose indexed arguments match `args` (by name; `null` or missing matches anything),
 * decoded, in chain order: from the client's event index when it has one, else one log query from the client's
 * `fromBlock`. A refused query fails with the provider's own error (`TypedContract.events` would wrap it).
 */
export async function queryEvents<TAbi extends Abi, E extends EventName<TAbi>>(
  client: ConsentClient,
  contract: TypedContract<TAbi>,
  name: E,
  args?: EventFilterArgs<TAbi, E>,
): Promise<DecodedEvent<TAbi, E>[]> {
  // Up to a block that holds every write of this process (a provider's cached `latest` may not yet).
  const toBlock = await freshBlockTag(client.provider);
  if (client.eventIndex) {
    // Only the blocks after the indexed head are read; the answer comes from the index.
    await client.eventIndex.sync(typeof toBlock === 'number' ? { toBlock } : {});
    return client.eventIndex.events(contract, name, { args });
  }
  const logs = await client.provider.getLogs({
    address: contract.address,
    topics: encodeEventTopics(contract.abi, name, args),
    fromBlock: client.fromBlock,
    toBlock,
  });
  return contract.decodeLogs(logs).filter((event): event is DecodedEvent<TAbi, E> => event.eventName === name);
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
    queryEvents(client, client.chain.consentManager, 'AccessGranted', { patient }),
    queryEvents(client, client.chain.delegationRegistry, 'DelegationApproved', { patient }),
  ]);
  const accounts = new Set<string>();
  for (const event of granted) accounts.add(getAddress(event.args.doctor));
  for (const event of delegated) accounts.add(getAddress(event.args.colleague));
  return [...accounts];
}
