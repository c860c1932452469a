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
 * The patient rejects a pending delegation request, naming it by its serial (the one given, else the one pending
 * now), sent directly or relayed: a rejection that lands late, after the doctor withdrew the request and asked again,
 * is refused by the chain (`DelegationMismatch`) and the newer request stays pending.
 *
 * @throws {@link InvalidConsentParametersError} when no delegation request to the colleague is pending, or when
 * `serial` is not the pending one.
 * @example
 * ```ts
 * import { type ConsentClient, rejectDelegation } from '@mhrchain/consent';
 *
 * declare const patient: ConsentClient;
 * await rejectDelegation(patient, { colleague: '0x90F79bf6EB2c4f870365E785982E1f101E93b906', serial: 1 });
 * ```
 */
export async function rejectDelegation(
  client: ConsentClient,
  parameters: RejectDelegationParameters,
): Promise<RejectDelegationReturnType> {
  const colleague = getAddress(parameters.colleague);
  const pending = await delegationOf(client, client.address, colleague);
  if (Number(pending.status) !== DelegationStatus.Pending)
    throw new InvalidConsentParametersError(`No pending delegation to ${colleague}.`);
  const serial = parameters.serial ?? Number(pending.serial);
  if (serial !== Number(pending.serial))
    throw new InvalidConsentParametersError(`Delegation request ${serial} to ${colleague} is not pending.`);
  const message = { patient: client.address, colleague, serial };
  const receipt = await patientAction(client, 'RejectDelegation', message, () =>
    client.chain.delegationRegistry.write.rejectDelegation(colleague, serial),
  );
  return transactionInfo(client, receipt);
}
