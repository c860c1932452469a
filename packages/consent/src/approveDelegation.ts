import { DelegationStatus, delegationScopeHash } from '@mhrchain/contracts';
import { getAddress, type TransactionReceipt } from 'ethers';
import type { ConsentClient } from './client.js';
import { InvalidConsentParametersError } from './errors.js';
import { beginAction, endAction, markStep } from './internal/journal.js';
import { type PublishedVersion, releaseTo } from './internal/publish.js';
import { delegationOf } from './internal/state.js';
import { latestDelegationRequest } from './internal/terms.js';
import { patientAction, type TransactionInfo, transactionInfo } from './internal/transactions.js';
import type { JournalValue } from './journal.js';

/** Parameters of {@link approveDelegation}, {@link rejectDelegation}. */
export interface DelegationDecisionParameters {
  /** The colleague of the pending delegation. */
  colleague: string;
  /**
   * The serial of the delegation request the patient reviewed (`DelegationRequested.serial`). When given, the
   * decision fails unless that request is still the pending one: a doctor who swapped the request after the patient
   * looked at it gets nothing. Without it, the decision applies to the request pending now (read from the chain), and
   * the approval names that request's exact terms.
   */
  serial?: number;
}

/** Parameters of {@link approveDelegation}. */
export type ApproveDelegationParameters = DelegationDecisionParameters;

/** What {@link approveDelegation} returns. */
export interface ApproveDelegationReturnType extends TransactionInfo {
  /** The record versions published for the colleague (key release), after the approval landed. */
  released: PublishedVersion[];
}

/**
 * The patient approves a pending delegation: approves on chain (naming exactly the reviewed request), then releases
 * the keys of the delegated records to the colleague. Gasless when the client has a relayer.
 *
 * @throws {@link InvalidConsentParametersError} when there is no pending delegation to the colleague.
 * @example
 * ```ts
 * import { approveDelegation, type ConsentClient } from '@mhrchain/consent';
 *
 * declare const patient: ConsentClient;
 * await approveDelegation(patient, { colleague: '0x90F79bf6EB2c4f870365E785982E1f101E93b906' });
 * ```
 */
export async function approveDelegation(
  client: ConsentClient,
  parameters: ApproveDelegationParameters,
): Promise<ApproveDelegationReturnType> {
  const colleague = getAddress(parameters.colleague);
  const delegation = await delegationOf(client, client.address, colleague);
  const request = await latestDelegationRequest(client, client.address, colleague);
  if (
    Number(delegation.status) !== DelegationStatus.Pending ||
    !request ||
    Number(delegation.serial) !== request.serial
  )
    throw new InvalidConsentParametersError(`No pending delegation to ${colleague}.`);
  if (parameters.serial !== undefined && parameters.serial !== request.serial)
    throw new InvalidConsentParametersError(
      `The pending delegation to ${colleague} is request ${request.serial}, not the reviewed request ${parameters.serial}.`,
    );
  // No key goes to a colleague (or through a doctor) without a current attestation: the chain would not count the
  // delegation as live anyway.
  const [colleagueAttested, doctorAttested] = await Promise.all([
    client.chain.identityRegistry.read.isDoctor(colleague),
    client.chain.identityRegistry.read.isDoctor(request.doctor),
  ]);
  if (!colleagueAttested || !doctorAttested)
    throw new InvalidConsentParametersError(
      `${colleagueAttested ? request.doctor : colleague} holds no current doctor attestation.`,
    );
  // The approval names exactly the request whose scope the keys are released for.
  const terms = {
    doctor: request.doctor,
    serial: request.serial,
    scopeHash: delegationScopeHash(request.scopeTuple),
    expiresAt: request.expiresAt,
  };
  // The approval lands before any key is released to the colleague (the ordering rule); the journal keeps the release
  // owed if the app stops in between.
  const action = await beginAction(client, 'approveDelegation', {
    colleague,
    serial: request.serial,
    scope: request.scope as unknown as JournalValue,
  });
  let receipt: TransactionReceipt;
  try {
    receipt = await patientAction(client, 'ApproveDelegation', { patient: client.address, colleague, ...terms }, () =>
      client.chain.delegationRegistry.write.approveDelegation(colleague, terms),
    );
  } catch (error) {
    // The approval may still land: resumePendingActions releases the keys if it did, or drops the intent.
    await markStep(client, action, 'send-failed');
    throw error;
  }
  await markStep(client, action, 'approved');
  const released = await releaseTo(client, colleague, request.scope);
  await endAction(client, action);
  return { ...(await transactionInfo(client, receipt)), released };
}
