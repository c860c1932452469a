import { InvalidParametersError } from '@mhrchain/core';
import type { Log, Provider, TopicFilter } from 'ethers';
import type { Abi, EventFilterArgs, EventName } from './abiTypes.js';
import { LogQueryError, LogRangeError, RpcUnavailableError } from './chainErrors.js';
import { eventTopicFilter } from './eventTopics.js';
import { withRetries } from './internal/retry.js';
import type { DecodedEvent, TypedContract } from './typedContract.js';

/** An `eth_getLogs` filter over an inclusive block range. */
export interface LogFilter {
  /** One contract or several. Default: every contract. */
  address?: string | readonly string[];
  /** Topic filter: `null` matches anything, an array matches any of its topics. */
  topics?: TopicFilter;
  fromBlock: number;
  toBlock: number;
}

/** Parameters of {@link createLogReader}. */
export interface CreateLogReaderParameters {
  provider: Provider;
  /** The widest range asked in one `eth_getLogs` (blocks, inclusive). Default: 10,000. */
  maxBlockRange?: number;
  /** How many `eth_getLogs` are in flight at once. Default: 4. */
  concurrency?: number;
  /** Retries of a transiently failed query (connection refused or reset, HTTP 5xx, timeouts). Default: 5. */
  retries?: number;
  /** The first retry's delay; each next one doubles (with jitter), up to 5 s. Default: 200 ms. */
  retryDelayMs?: number;
}

/** Reads logs over any block range through a provider that limits each query. */
export interface LogReader {
  /** Every log matching `filter`, in chain order (block, then log index). */
  getLogs(filter: LogFilter): Promise<Log[]>;
  /** The range the reader currently asks per query (shrinks on refusals, grows back after successes). */
  readonly blockRange: number;
}

/** What a provider's error says about a log query. */
export type LogErrorKind = 'range' | 'transient' | 'other';

// The wordings of the hosted providers and common nodes when a query spans too many blocks or logs.
const RANGE_PATTERNS = [
  /log response size exceeded/i,
  /block range (is )?too (large|wide)/i,
  /range too large/i,
  /exceed(s|ed)? (the )?max(imum)? block range/i,
  /more than \d+ (results|logs)/i,
  /exceeds max results/i,
  /query (returned|exceeds) .*(results|limit)/i,
  /eth_getLogs (and eth_newFilter )?(are |is )?limited to/i,
  /response size (should not|exceed)/i,
  /too many (logs|results)/i,
  /range (is )?too wide/i,
  /maximum (block )?range/i,
  /query timeout exceeded/i,
];

const TRANSIENT_PATTERNS = [
  /ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|EAI_AGAIN|socket hang up|fetch failed|network error/i,
  /\b(429|502|503|504)\b/,
  /rate limit|too many requests|capacity|temporarily unavailable|timeout|timed out|service unavailable/i,
  /request count exceeded|throttl/i,
];

const TRANSIENT_CODES = new Set(['SERVER_ERROR', 'TIMEOUT', 'NETWORK_ERROR']);

/** Every message and code found in an error, its nested JSON-RPC error, its `info` and its causes. */
function describe(error: unknown): { messages: string[]; codes: string[] } {
  const messages: string[] = [];
  const codes: string[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number) => {
    if (!value || typeof value !== 'object' || seen.has(value) || depth > 6) return;
    seen.add(value);
    const record = value as Record<string, unknown>;
    for (const key of ['message', 'shortMessage', 'details']) {
      if (typeof record[key] === 'string') messages.push(record[key] as string);
    }
    if (typeof record.code === 'string' || typeof record.code === 'number') codes.push(String(record.code));
    for (const key of ['error', 'info', 'cause', 'data', 'response']) visit(record[key], depth + 1);
  };
  visit(error, 0);
  return { messages, codes };
}

/**
 * Classifies a provider's error for a log query: a refusal for the range or the result size (`'range'`: ask for
 * fewer blocks), a transient failure (`'transient'`: ask again later) or anything else.
 *
 * @example
 * ```ts
 * import { classifyLogError } from '@mhrchain/contracts';
 *
 * classifyLogError({ error: { code: -32005, message: 'query returned more than 10000 results' } }); // 'range'
 * ```
 */
export function classifyLogError(error: unknown): LogErrorKind {
  const { messages, codes } = describe(error);
  if (messages.some((message) => RANGE_PATTERNS.some((pattern) => pattern.test(message)))) return 'range';
  if (codes.some((code) => TRANSIENT_CODES.has(code) || code === '429' || code === '-32603')) return 'transient';
  if (messages.some((message) => TRANSIENT_PATTERNS.some((pattern) => pattern.test(message)))) return 'transient';
  return 'other';
}

/** The block range a refusal suggests (`[0x…, 0x…]` in Alchemy's and Infura's wording), as a block count. */
export function suggestedBlockRange(error: unknown): number | undefined {
  for (const message of describe(error).messages) {
    const match = /\[\s*(0x[0-9a-f]+)\s*,\s*(0x[0-9a-f]+)\s*\]/i.exec(message);
    if (match) {
      const size = Number.parseInt(match[2]!, 16) - Number.parseInt(match[1]!, 16) + 1;
      if (size >= 1) return size;
    }
  }
  return undefined;
}

/**
 * Creates a log reader: it splits a range into queries of at most `maxBlockRange` blocks, runs up to `concurrency` of
 * them at once, halves a query (or takes the range the provider suggests) when the provider refuses it for its range or
 * result size, and retries transient failures with exponential backoff. Results come back in chain order.
 *
 * @throws `LogRangeError` when the provider refuses even a one-block query; `RpcUnavailableError` when the provider
 * stays unreachable through every retry; `LogQueryError` for any other refusal; `InvalidParametersError` for a bad
 * range.
 * @example
 * ```ts
 * import { createLogReader } from '@mhrchain/contracts';
 * import { JsonRpcProvider } from 'ethers';
 *
 * const provider = new JsonRpcProvider('http://127.0.0.1:8545');
 * const reader = createLogReader({ provider, maxBlockRange: 2_000 });
 * // const logs = await reader.getLogs({ address, fromBlock: 0, toBlock: await provider.getBlockNumber() });
 * ```
 */
export function createLogReader(parameters: CreateLogReaderParameters): LogReader {
  const { provider } = parameters;
  const maxBlockRange = parameters.maxBlockRange ?? 10_000;
  const concurrency = parameters.concurrency ?? 4;
  const retries = parameters.retries ?? 5;
  const retryDelayMs = parameters.retryDelayMs ?? 200;
  for (const [name, value] of Object.entries({ maxBlockRange, concurrency }))
    if (!Number.isSafeInteger(value) || value < 1)
      throw new InvalidParametersError(`${name} must be a positive integer.`, { details: String(value) });
  if (!Number.isSafeInteger(retries) || retries < 0)
    throw new InvalidParametersError('retries must be a non-negative integer.', { details: String(retries) });

  let blockRange = maxBlockRange;
  let successes = 0;

  /** One query, retried on transient failures; a range refusal is returned, not thrown. */
  const query = async (filter: LogFilter): Promise<Log[] | { refused: unknown }> => {
    try {
      return await withRetries('eth_getLogs', { retries, retryDelayMs }, () =>
        provider.getLogs({
          address: filter.address as string | string[] | undefined,
          topics: filter.topics as TopicFilter | undefined,
          fromBlock: filter.fromBlock,
          toBlock: filter.toBlock,
        }),
      );
    } catch (error) {
      if (error instanceof RpcUnavailableError) throw error;
      if (classifyLogError(error) === 'range') return { refused: error };
      throw new LogQueryError('The provider rejected a log query.', { cause: error });
    }
  };

  return {
    get blockRange() {
      return blockRange;
    },
    async getLogs(filter) {
      const { fromBlock, toBlock } = filter;
      if (!Number.isSafeInteger(fromBlock) || !Number.isSafeInteger(toBlock) || fromBlock < 0 || toBlock < fromBlock)
        throw new InvalidParametersError('A log query needs integer blocks with 0 <= fromBlock <= toBlock.', {
          details: `${fromBlock}..${toBlock}`,
        });
      const pending: [number, number][] = [];
      for (let from = fromBlock; from <= toBlock; from += blockRange)
        pending.push([from, Math.min(toBlock, from + blockRange - 1)]);
      const pages: { from: number; logs: Log[] }[] = [];
      let failed = false;

      const worker = async () => {
        while (!failed && pending.length > 0) {
          const [from, to] = pending.shift()!;
          let answer: Awaited<ReturnType<typeof query>>;
          try {
            answer = await query({ ...filter, fromBlock: from, toBlock: to });
          } catch (error) {
            failed = true;
            throw error;
          }
          if (Array.isArray(answer)) {
            pages.push({ from, logs: answer });
            // After a run of answered queries, try wider ones again (a dense stretch of the chain has passed).
            if (++successes >= 16 && blockRange < maxBlockRange) {
              blockRange = Math.min(maxBlockRange, blockRange * 2);
              successes = 0;
            }
            continue;
          }
          successes = 0;
          const size = to - from + 1;
          if (size === 1) {
            failed = true;
            throw new LogRangeError({ fromBlock: from, toBlock: to, cause: answer.refused });
          }
          const suggested = suggestedBlockRange(answer.refused);
          const next = Math.max(1, Math.min(Math.ceil(size / 2), suggested ?? size, size - 1));
          blockRange = Math.min(blockRange, next);
          // Re-queue the refused range in pieces, first, so results stay close to chain order.
          const pieces: [number, number][] = [];
          for (let start = from; start <= to; start += next) pieces.push([start, Math.min(to, start + next - 1)]);
          pending.unshift(...pieces);
        }
      };
      // Worker failures reject the whole read; the remaining workers stop at their next query.
      await Promise.all(Array.from({ length: Math.min(concurrency, pending.length) }, worker));
      pages.sort((a, b) => a.from - b.from);
      return pages.flatMap((page) => page.logs);
    },
  };
}

/** Parameters of {@link readContractEvents}. */
export interface ReadContractEventsParameters<TAbi extends Abi = Abi, E extends string = string> {
  /**
   * Indexed arguments to match, by name (as in `TypedContract.events`): a value, an array of values (any of them), or
   * `null` / missing (anything).
   */
  args?: EventFilterArgs<TAbi, E>;
  fromBlock: number;
  toBlock: number;
}

/**
 * Reads and decodes the events `name` of a typed contract, filtered by their indexed arguments, over any block range
 * through a {@link LogReader}, in chain order.
 *
 * @example
 * ```ts
 * import { createLogReader, readContractEvents } from '@mhrchain/contracts';
 *
 * // const reader = createLogReader({ provider });
 * // const anchored = await readContractEvents(reader, chain.recordRegistry, 'RecordAnchored', {
 * //   args: { patient }, fromBlock: 0, toBlock: head,
 * // });
 * ```
 */
export async function readContractEvents<TAbi extends Abi, E extends EventName<TAbi>>(
  reader: LogReader,
  contract: TypedContract<TAbi>,
  name: E,
  parameters: ReadContractEventsParameters<TAbi, E>,
): Promise<DecodedEvent<TAbi, E>[]> {
  const topics = eventTopicFilter(contract.contract.interface, name, parameters.args);
  if (!topics) return [];
  const logs = await reader.getLogs({
    address: contract.address,
    topics,
    fromBlock: parameters.fromBlock,
    toBlock: parameters.toBlock,
  });
  return contract.decodeLogs(logs).filter((event): event is DecodedEvent<TAbi, E> => event.eventName === name);
}
