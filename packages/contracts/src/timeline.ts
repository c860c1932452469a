import type { Log, Provider } from 'ethers';
import { freshBlockTag } from './freshBlock.js';
import type { MhrChain } from './mhrChain.js';
import { type MhrChainContractName, mhrChainAbis } from './mhrChainAbis.js';
import type { DecodedEvent } from './typedContract.js';

/** One entry of the audit timeline: a decoded event of one of the contracts, tagged with its contract. */
export type TimelineEntry = {
  [K in MhrChainContractName]: DecodedEvent<(typeof mhrChainAbis)[K]> & {
    /** The SDK name of the emitting contract. */
    contract: K;
    /** The block's timestamp (Unix seconds), when requested. */
    timestamp?: number;
  };
}[MhrChainContractName];

const CONTRACT_NAMES = Object.keys(mhrChainAbis) as MhrChainContractName[];

/**
 * Decodes raw logs of the MHR Chain contracts into timeline entries, in chain order (block, then log index).
 * Logs of other contracts are skipped.
 *
 * @example
 * ```ts
 * import { decodeAuditEvents } from '@mhrchain/contracts';
 *
 * // const entries = decodeAuditEvents(chain, receipt.logs);
 * // entries[0]?.eventName === 'AccessGranted'
 * ```
 */
export function decodeAuditEvents(chain: MhrChain, logs: readonly Log[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  for (const name of CONTRACT_NAMES) {
    for (const event of chain[name].decodeLogs(logs)) entries.push({ ...event, contract: name } as TimelineEntry);
  }
  return entries.sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
}

/** Parameters of {@link readTimeline}. */
export interface ReadTimelineParameters {
  /** Keep only events naming this address in any address argument (patient, doctor, colleague, actor, …). */
  involving?: string;
  fromBlock?: number | bigint;
  toBlock?: number | bigint | 'latest';
  /** Add each block's timestamp (one `eth_getBlockByNumber` per distinct block). Default: true. */
  timestamps?: boolean;
}

/**
 * Rebuilds the audit timeline from the chain's logs alone: every state change of every contract (registrations,
 * records, requests, grants, rejections, revocations, delegations, stream batches, reports), oldest first.
 *
 * @example
 * ```ts
 * import { readTimeline } from '@mhrchain/contracts';
 *
 * // for (const entry of await readTimeline(provider, chain, { involving: patient })) {
 * //   console.log(entry.timestamp, entry.contract, entry.eventName, entry.args);
 * // }
 * ```
 */
export async function readTimeline(
  provider: Provider,
  chain: MhrChain,
  parameters: ReadTimelineParameters = {},
): Promise<TimelineEntry[]> {
  const logs = await provider.getLogs({
    address: CONTRACT_NAMES.map((name) => chain.addresses[name]),
    fromBlock: parameters.fromBlock === undefined ? 0 : Number(parameters.fromBlock),
    toBlock:
      parameters.toBlock === undefined || parameters.toBlock === 'latest'
        ? await freshBlockTag(provider)
        : Number(parameters.toBlock),
  });
  let entries = decodeAuditEvents(chain, logs);
  const involving = parameters.involving?.toLowerCase();
  if (involving) {
    entries = entries.filter((entry) =>
      Object.values(entry.args as Record<string, unknown>).some(
        (value) => typeof value === 'string' && value.toLowerCase() === involving,
      ),
    );
  }
  if (parameters.timestamps !== false) {
    const blocks = new Map<number, number>();
    await Promise.all(
      [...new Set(entries.map((entry) => entry.blockNumber))].map(async (number) => {
        const block = await provider.getBlock(number);
        if (block) blocks.set(number, block.timestamp);
      }),
    );
    for (const entry of entries) entry.timestamp = blocks.get(entry.blockNumber);
  }
  return entries;
}
