import { BaseError, type ErrorParameters } from '@mhrchain/core';

const docsPath = 'errors.md#chain-reads-and-transactions';

/**
 * A provider refused an `eth_getLogs` query for its block range or result size even at the smallest range the log
 * reader may ask for (one block holding more logs than the provider answers).
 *
 * @example
 * ```ts
 * import { LogRangeError } from '@mhrchain/contracts';
 *
 * const error = new LogRangeError({ fromBlock: 7, toBlock: 7 });
 * error.fromBlock; // 7
 * ```
 */
export class LogRangeError extends BaseError {
  static override name = 'LogRangeError';
  override name = 'LogRangeError';
  readonly fromBlock: number;
  readonly toBlock: number;

  constructor(parameters: { fromBlock: number; toBlock: number; cause?: unknown }) {
    super(`The provider refuses eth_getLogs even for blocks ${parameters.fromBlock}–${parameters.toBlock}.`, {
      cause: parameters.cause,
      docsPath,
      metaMessages: ['Use a provider with a higher result cap for this range, or an archive node of your own.'],
    });
    this.fromBlock = parameters.fromBlock;
    this.toBlock = parameters.toBlock;
  }
}

/**
 * A provider stayed unreachable (connection refused or reset, HTTP 429/5xx, timeouts) through every retry.
 *
 * @example
 * ```ts
 * import { RpcUnavailableError } from '@mhrchain/contracts';
 *
 * const error = new RpcUnavailableError({ method: 'eth_getLogs', attempts: 6 });
 * error.attempts; // 6
 * ```
 */
export class RpcUnavailableError extends BaseError {
  static override name = 'RpcUnavailableError';
  override name = 'RpcUnavailableError';
  /** The JSON-RPC method that failed. */
  readonly method: string;
  /** How many times it was tried. */
  readonly attempts: number;

  constructor(parameters: { method: string; attempts: number; cause?: unknown }) {
    super(`The provider did not answer ${parameters.method} after ${parameters.attempts} attempts.`, {
      cause: parameters.cause,
      docsPath,
    });
    this.method = parameters.method;
    this.attempts = parameters.attempts;
  }
}

/**
 * A provider answered a log query with an error that is neither a range/size refusal nor transient (bad filter,
 * method not supported).
 *
 * @example
 * ```ts
 * import { LogQueryError } from '@mhrchain/contracts';
 *
 * const error = new LogQueryError('The provider rejected the log query.', { details: 'invalid address' });
 * ```
 */
export class LogQueryError extends BaseError {
  static override name = 'LogQueryError';
  override name = 'LogQueryError';
  constructor(shortMessage: string, parameters: ErrorParameters = {}) {
    super(shortMessage, { ...parameters, docsPath });
  }
}

/**
 * A persisted event index cannot be used: it belongs to another chain or another set of contracts, or its store is
 * unreadable.
 *
 * @example
 * ```ts
 * import { EventIndexError } from '@mhrchain/contracts';
 *
 * const error = new EventIndexError('The index was built for chain 1, not 31337.');
 * ```
 */
export class EventIndexError extends BaseError {
  static override name = 'EventIndexError';
  override name = 'EventIndexError';
  constructor(shortMessage: string, parameters: ErrorParameters = {}) {
    super(shortMessage, { ...parameters, docsPath });
  }
}

/**
 * Another transaction took the nonce of a managed transaction (a replacement or a cancellation sent from the same
 * account outside the manager): the managed transaction will never be mined.
 *
 * @example
 * ```ts
 * import { TransactionReplacedError } from '@mhrchain/contracts';
 *
 * const error = new TransactionReplacedError({ nonce: 4, hashes: ['0x01'] });
 * error.nonce; // 4
 * ```
 */
export class TransactionReplacedError extends BaseError {
  static override name = 'TransactionReplacedError';
  override name = 'TransactionReplacedError';
  /** The nonce another transaction used. */
  readonly nonce: number;
  /** Every hash the manager broadcast for this action (none of them mined). */
  readonly hashes: readonly string[];

  constructor(parameters: { nonce: number; hashes: readonly string[] }) {
    super(`Nonce ${parameters.nonce} was used by a transaction the manager did not send.`, {
      details: parameters.hashes.join(', '),
      docsPath,
    });
    this.nonce = parameters.nonce;
    this.hashes = parameters.hashes;
  }
}

/**
 * A managed transaction left the pool without being mined and was not sent again (rebroadcasts exhausted or the
 * deadline passed).
 *
 * @example
 * ```ts
 * import { TransactionDroppedError } from '@mhrchain/contracts';
 *
 * const error = new TransactionDroppedError({ nonce: 4, hashes: ['0x01'], reason: 'not mined within 60000 ms' });
 * ```
 */
export class TransactionDroppedError extends BaseError {
  static override name = 'TransactionDroppedError';
  override name = 'TransactionDroppedError';
  readonly nonce: number;
  readonly hashes: readonly string[];

  constructor(parameters: { nonce: number; hashes: readonly string[]; reason: string }) {
    super(`The transaction with nonce ${parameters.nonce} was not mined: ${parameters.reason}.`, {
      details: parameters.hashes.join(', '),
      docsPath,
    });
    this.nonce = parameters.nonce;
    this.hashes = parameters.hashes;
  }
}

/**
 * A managed transaction was mined and reverted (status 0).
 *
 * @example
 * ```ts
 * import { TransactionRevertedError } from '@mhrchain/contracts';
 *
 * const error = new TransactionRevertedError({ hash: '0x01', blockNumber: 9 });
 * ```
 */
export class TransactionRevertedError extends BaseError {
  static override name = 'TransactionRevertedError';
  override name = 'TransactionRevertedError';
  readonly hash: string;
  readonly blockNumber: number;

  constructor(parameters: { hash: string; blockNumber: number }) {
    super(`The transaction ${parameters.hash} reverted in block ${parameters.blockNumber}.`, { docsPath });
    this.hash = parameters.hash;
    this.blockNumber = parameters.blockNumber;
  }
}
