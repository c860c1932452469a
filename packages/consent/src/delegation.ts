import { DelegationStatus, delegationScopeHash } from '@mhrchain/contracts';
import { getAddress, type TransactionReceipt } from 'ethers';
import type { ConsentClient } from './client.js';
import { InvalidConsentParametersError } from './errors.js';
import {
  latestDelegationRequest,
  type PublishedVersion,
  type Rotation,
  recordsInScope,
  releaseTo,
  rotateRecords,
} from './internal/access.js';
import { beginAction, endAction, markStep } from './internal/journal.js';
import { recordsOf } from './internal/records.js';
import { delegationOf } from './internal/state.js';
import { patientAction, type TransactionInfo, transactionInfo } from './internal/transactions.js';
import type { JournalValue } from './journal.js';
import { type AccessScope, toScopeTuple } from './scope.js';

/** Parameters of {@link requestDelegation}. */
export interface RequestDelegationParameters {
  /** The patient whose records are to be shared. */
  patient: string;
  /** The colleague (an attested doctor) to share with. */
  colleague: string;
  /** What to share: at most the doctor's own scope. */
  scope: AccessScope;
  /** When the delegation ends (Unix seconds): at most the doctor's own expiry. */
  expiresAt: number;
}

/**
 * A doctor with a live grant asks the patient to let a colleague read part of what the doctor may read. Nothing is
 * shared until the patient approves ({@link approveDelegation}).
 *
 * @example
 * ```ts
 * import { type ConsentClient, requestDelegation } from '@mhrchain/consent';
 *
 * declare const doctor: ConsentClient;
 * await requestDelegation(doctor, {
 *   patient: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
 *   colleague: '0x90F79bf6EB2c4f870365E785982E1f101E93b906',
 *   scope: { kind: 'category', category: 2 },
 *   expiresAt: Math.floor(Date.now() / 1000) + 3600,
 * });
 * ```
 */
export async function requestDelegation(
  client: ConsentClient,
  parameters: RequestDelegationParameters,
): Promise<TransactionInfo> {
  const { receipt } = await client.chain.delegationRegistry.write.requestDelegation(
    parameters.patient,
    parameters.colleague,
    toScopeTuple(parameters.scope),
    parameters.expiresAt,
  );
  return transactionInfo(client, receipt);
}

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
  parameters: DelegationDecisionParameters,
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
  parameters: DelegationDecisionParameters,
): Promise<TransactionInfo> {
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

/** Parameters of {@link revokeDelegation}. */
export interface RevokeDelegationParameters {
  colleague: string;
  /** Default `'lazy'`. */
  rotation?: Rotation;
}

/** What {@link revokeDelegation} returns. */
export interface RevokeDelegationReturnType extends TransactionInfo {
  /** The record versions published without the colleague. */
  rotated: PublishedVersion[];
}

/**
 * The patient revokes a delegation, then publishes the delegated records again without the colleague.
 *
 * @example
 * ```ts
 * import { type ConsentClient, revokeDelegation } from '@mhrchain/consent';
 *
 * declare const patient: ConsentClient;
 * await revokeDelegation(patient, { colleague: '0x90F79bf6EB2c4f870365E785982E1f101E93b906' });
 * ```
 */
export async function revokeDelegation(
  client: ConsentClient,
  parameters: RevokeDelegationParameters,
): Promise<RevokeDelegationReturnType> {
  const colleague = getAddress(parameters.colleague);
  const rotation = parameters.rotation ?? 'lazy';
  const request = await latestDelegationRequest(client, client.address, colleague);
  const affected = request ? recordsInScope(await recordsOf(client, client.address), request.scope) : [];
  // Intent, then the revoke, then the rotation the journal keeps owed until it is done.
  const action = await beginAction(client, 'revokeDelegation', {
    colleague,
    ...(request ? { serial: request.serial } : {}),
    records: affected.map((record) => record.recordId),
    rotation,
  });
  // A relayed revocation names the delegation it ends (the one whose records are rotated below).
  const message = { patient: client.address, colleague, serial: request?.serial };
  let receipt: TransactionReceipt;
  try {
    receipt = await patientAction(client, 'RevokeDelegation', message, () =>
      client.chain.delegationRegistry.write.revokeDelegation(client.address, colleague),
    );
  } catch (error) {
    // The revoke may still land: resumePendingActions rotates if it did (it is not sent again).
    await markStep(client, action, 'send-failed');
    throw error;
  }
  await markStep(client, action, 'revoked');
  const rotated = await rotateRecords(client, affected, rotation);
  await endAction(client, action);
  return { ...(await transactionInfo(client, receipt)), rotated };
}
