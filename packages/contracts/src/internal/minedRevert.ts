import type { Provider } from 'ethers';
import type { TransactionRevertedError } from '../chainErrors.js';
import { type ContractRevertError, decodeRevertData, revertDataOf } from '../errors.js';

/**
 * Recovers why a mined transaction reverted: replays it with `eth_call` at its block (same sender, recipient, data,
 * value and gas limit) and decodes the revert data of the replay. Returns a `ContractRevertError` whose `cause` is
 * `reverted` when the replay reverts with one of the contracts' custom errors, else `reverted` itself.
 *
 * The replay runs on the state at the end of that block, so it sees what the transactions mined before this one in the
 * block did (the usual reason a transaction that passed its estimate reverts); the ones after it may make it answer
 * otherwise, and then the reason stays unknown.
 */
export async function decodeMinedRevert(
  provider: Provider | null | undefined,
  reverted: TransactionRevertedError,
): Promise<ContractRevertError | TransactionRevertedError> {
  if (!provider) return reverted;
  let transaction: Awaited<ReturnType<Provider['getTransaction']>>;
  try {
    transaction = await provider.getTransaction(reverted.hash);
  } catch {
    return reverted;
  }
  if (!transaction?.to) return reverted;
  try {
    await provider.call({
      from: transaction.from,
      to: transaction.to,
      data: transaction.data,
      value: transaction.value,
      gasLimit: transaction.gasLimit,
      blockTag: reverted.blockNumber,
    });
  } catch (error) {
    const data = revertDataOf(error);
    return (data === undefined ? undefined : decodeRevertData(data, reverted)) ?? reverted;
  }
  // The replay passed: what made the transaction revert is no longer in the state the block left.
  return reverted;
}
