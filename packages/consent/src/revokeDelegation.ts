import { getAddress, type TransactionReceipt } from 'ethers';
import type { ConsentClient } from './client.js';
import { beginAction, endAction, markStep } from './internal/journal.js';
import { type PublishedVersion, type Rotation, rotateRecords } from './internal/publish.js';
import { recordsInScope, recordsOf } from './internal/records.js';
import { latestDelegationRequest } from './internal/terms.js';
import { patientAction, type TransactionInfo, transactionInfo } from './internal/transactions.js';

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
  // The revocation, sent or relayed, names the delegation it ends (the one whose records are rotated below): mined
  // late, after the delegation was replaced, it is refused (DelegationMismatch) instead of ending the newer one.
  const message = { patient: client.address, colleague, serial: request?.serial };
  let receipt: TransactionReceipt;
  try {
    receipt = await patientAction(client, 'RevokeDelegation', message, () =>
      client.chain.delegationRegistry.write.revokeDelegation(client.address, colleague, request?.serial ?? 0),
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
