import { isError, type Provider } from 'ethers';
import { TransactionDroppedError, TransactionReplacedError, TransactionRevertedError } from './chainErrors.js';
import { type ContractCallError, type ContractRevertError, decodeContractError } from './errors.js';
import { decodeMinedRevert } from './internal/minedRevert.js';

/** What {@link decodeTransactionError} returns. */
export type DecodedTransactionError =
  | ContractRevertError
  | ContractCallError
  | TransactionRevertedError
  | TransactionReplacedError
  | TransactionDroppedError;

/**
 * Types what sending a transaction threw, the way the bindings' `write` does. A transaction that was mined and reverted
 * (an ethers `CALL_EXCEPTION` with a status-0 receipt, e.g. sent with an explicit `gasLimit` and so never estimated, or
 * a transaction manager's `TransactionRevertedError`) is replayed with `eth_call` at its block: a revert with one of
 * the contracts' custom errors comes back as the `ContractRevertError` a revert at the estimate gives (its `cause` the
 * `TransactionRevertedError` with the transaction's `hash` and `blockNumber`), else that `TransactionRevertedError`.
 * A transaction manager's `TransactionReplacedError` and `TransactionDroppedError` come back as they are; anything else
 * goes through {@link decodeContractError}.
 *
 * @example
 * ```ts
 * import { decodeTransactionError, type MhrChain } from '@mhrchain/contracts';
 *
 * declare const chain: MhrChain;
 * declare const recordIds: `0x${string}`[];
 * declare const cids: `0x${string}`[];
 * const supersede = chain.recordRegistry.contract.getFunction('supersedeRecords');
 * try {
 *   await (await supersede.send(recordIds, cids, { gasLimit: 1_000_000n })).wait();
 * } catch (error) {
 *   throw await decodeTransactionError(chain.recordRegistry.contract.runner?.provider, error); // e.g. RecordNotFound
 * }
 * ```
 */
export async function decodeTransactionError(
  provider: Provider | null | undefined,
  error: unknown,
): Promise<DecodedTransactionError> {
  if (error instanceof TransactionRevertedError) return decodeMinedRevert(provider, error);
  if (error instanceof TransactionReplacedError || error instanceof TransactionDroppedError) return error;
  if (isError(error, 'CALL_EXCEPTION') && error.receipt?.status === 0) {
    const { hash, blockNumber } = error.receipt;
    return decodeMinedRevert(provider, new TransactionRevertedError({ hash, blockNumber, cause: error }));
  }
  return decodeContractError(error);
}
