import { DelegationStatus } from '@mhrchain/contracts';
import { getAddress } from 'ethers';
import type { DelegationDecisionParameters } from './approveDelegation.js';
import type { ConsentClient } from './client.js';
import { InvalidConsentParametersError } from './errors.js';
import { delegationOf } from './internal/state.js';
import { patientAction, type TransactionInfo, transactionInfo } from './internal/transactions.js';

/** Parameters of {@link rejectDelegation}. */
export type RejectDelegationParameters = DelegationDecisionParameters;

/** What {@link rejectDelegation} returns: where the rejection landed. */
export type RejectDelegationReturnType = TransactionInfo;

/**
 * The patient rejects a pending delegation.
 *
 * @example
 * ```ts
 * import { type ConsentClient, rejectDelegation } from '@mhrchain/consent';
 *
 * declare const patient: ConsentClient;
 * await rejectDelegation(patient, { colleague: '0x90F79bf6EB2c4f870365E785982E1f101E93b906' });
 * ```
 */
export async function rejectDelegation(
  client: ConsentClient,
  parameters: RejectDelegationParameters,
): Promise<RejectDelegationReturnType> {
  const colleague = getAddress(parameters.colleague);
  if (parameters.serial !== undefined) {
    const pending = await delegationOf(client, client.address, colleague);
    if (Number(pending.status) !== DelegationStatus.Pending || Number(pending.serial) !== parameters.serial)
      throw new InvalidConsentParametersError(
        `Delegation request ${parameters.serial} to ${colleague} is not pending.`,
      );
  }
  const message = { patient: client.address, colleague, serial: parameters.serial };
  const receipt = await patientAction(client, 'RejectDelegation', message, () =>
    client.chain.delegationRegistry.write.rejectDelegation(colleague),
  );
  return transactionInfo(client, receipt);
}
