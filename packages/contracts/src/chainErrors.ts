import { BaseError, type ErrorParameters } from '@mhrchain/core';

const docsPath = 'errors.md#chain-reads-and-transactions';

/**
 * A provider refused an `eth_getLogs` query for its block range or result size: from a log reader, even at the smallest
 * range it may ask for (one block holding more logs than the provider answers); from `TypedContract.events`, which asks
 * one query and never splits it, for the range asked (`split: false`).
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
  /** The first block of the refused query. */
  readonly fromBlock: number;
  /** The last block of the refused query. */
  readonly toBlock: number;

  /**
   * @param parameters.split - Whether the range was split as far as it goes before the provider's last refusal (a log
   *   reader: default `true`), or asked in one query (`false`), so that a log reader may still read it.
   */
  constructor(parameters: { fromBlock: number; toBlock: number; split?: boolean; cause?: unknown }) {
    const { fromBlock, toBlock, split = true } = parameters;
    super(
      split
        ? `The provider refuses eth_getLogs even for blocks ${fromBlock}–${toBlock}.`
        : `The provider refuses eth_getLogs for blocks ${fromBlock}–${toBlock} in one query.`,
      {
        cause: parameters.cause,
        docsPath,
        metaMessages: [
          split
            ? 'Use a provider with a higher result cap for this range, or an archive node of your own.'
            : 'Read the range through a log reader (createLogReader and readContractEvents): it splits what the provider refuses.',
        ],
      },
    );
    this.fromBlock = fromBlock;
    this.toBlock = toBlock;
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
 * A transaction was mined and reverted (status 0), and the custom error it reverted with could not be recovered (the
 * replay of the call at its block did not revert the same way, the revert carries no custom error of the contracts,
 * or it ran out of gas). The typed contracts' `write` throws it with or without a transaction manager; when the
 * reason is recovered they throw a `ContractRevertError` instead, with this error as its `cause`.
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
  /** The hash of the mined transaction. */
  readonly hash: string;
  /** The block it was mined in. */
  readonly blockNumber: number;

  constructor(parameters: { hash: string; blockNumber: number; cause?: unknown }) {
    super(`The transaction ${parameters.hash} reverted in block ${parameters.blockNumber}.`, {
      cause: parameters.cause,
      docsPath,
    });
    this.hash = parameters.hash;
    this.blockNumber = parameters.blockNumber;
  }
}
