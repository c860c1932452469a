import { InvalidParametersError } from '@mhrchain/core';
import { Interface, type TopicFilter } from 'ethers';
import type { Abi, EventFilterArgs, EventName } from './abiTypes.js';

const interfaces = new WeakMap<Abi, Interface>();

function interfaceOf(abi: Abi): Interface {
  let iface = interfaces.get(abi);
  if (!iface) {
    iface = new Interface(abi);
    interfaces.set(abi, iface);
  }
  return iface;
}

/**
 * The topic filter of event `eventName` with its indexed arguments `args` (by name), or `undefined` when an empty list
 * makes the filter match nothing. Shared by every event query so each one accepts and checks the same filter.
 */
export function eventTopicFilter(
  iface: Interface,
  eventName: string,
  args: { readonly [name: string]: unknown } = {},
): TopicFilter | undefined {
  const fragment = iface.getEvent(eventName);
  if (!fragment) throw new InvalidParametersError(`The contract has no event ${eventName}.`, { details: eventName });
  for (const [name, value] of Object.entries(args)) {
    const input = fragment.inputs.find((item) => item.name === name);
    if (!input) throw new InvalidParametersError(`${eventName} has no argument ${name}.`, { details: name });
    if (!input.indexed && value !== null && value !== undefined)
      throw new InvalidParametersError(`${eventName}.${name} is not indexed: a log query cannot filter on it.`, {
        details: name,
      });
  }
  const values = fragment.inputs.map((input) => (input.indexed ? (args[input.name] ?? null) : null));
  if (values.some((value) => Array.isArray(value) && value.length === 0)) return undefined;
  try {
    return iface.encodeFilterTopics(fragment, values);
  } catch (error) {
    throw new InvalidParametersError(`A filter value of ${eventName} does not fit its argument's type.`, {
      cause: error,
    });
  }
}

/**
 * Encodes the topic filter of an event with some of its indexed arguments (by name, as {@link EventFilterArgs}): the
 * event's signature hash first, then one entry per indexed argument up to the last one given. A value matches that
 * value, an array of values any of them, `null` or a missing name anything. It is what `eth_getLogs` takes as `topics`,
 * and what `EventIndex.query` and `LogReader.getLogs` accept.
 *
 * @throws `InvalidParametersError` for an unknown event or argument name, a non-indexed argument, a value that does not
 * fit its type, or an empty array (which would match nothing).
 * @example
 * ```ts
 * import { consentManagerAbi, encodeEventTopics } from '@mhrchain/contracts';
 *
 * const topics = encodeEventTopics(consentManagerAbi, 'AccessGranted', {
 *   doctor: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC',
 * });
 * // [AccessGranted's topic, null, the doctor as a 32-byte topic]
 * ```
 */
export function encodeEventTopics<const TAbi extends Abi, E extends EventName<TAbi>>(
  abi: TAbi,
  eventName: E,
  args?: EventFilterArgs<TAbi, E>,
): TopicFilter {
  const topics = eventTopicFilter(interfaceOf(abi), eventName, args);
  if (!topics)
    throw new InvalidParametersError(`An empty list in a filter of ${eventName} matches nothing.`, {
      details: eventName,
    });
  return topics;
}
