import { getAddress, type TransactionReceipt } from 'ethers';
import type { ConsentClient } from './client.js';
import { beginAction, endAction, markStep } from './internal/journal.js';
import { grantees } from './internal/logs.js';
import { type PublishedVersion, type Rotation, rotateRecords } from './internal/publish.js';
import { type ChainRecord, recordsInScope, recordsOf } from './internal/records.js';
import { delegationOf, grantOf } from './internal/state.js';
import { latestDelegationRequest, latestGrant } from './internal/terms.js';
import { patientAction, type TransactionInfo, transactionInfo } from './internal/transactions.js';

export type { PublishedVersion, Rotation } from './internal/publish.js';

/** Parameters of {@link revokeAccess}. */
export interface RevokeAccessParameters {
  /** The doctor to revoke. */
  doctor: string;
  /**
   * `'lazy'` (default): new headers without the doctor over the same payloads. `'eager'`: payloads re-encrypted
   * under fresh data keys, so even a data key the doctor kept opens nothing published from now on.
   */
  rotation?: Rotation;
}

/** What {@link revokeAccess} returns. */
export interface RevokeAccessReturnType extends TransactionInfo {
  /** The patient's key epoch after the revocation. */
  keyEpoch: bigint;
  /** The record versions published without the doctor (and the colleagues it delegated to). */
  rotated: PublishedVersion[];
}

/** The records the grantee's grant (and the delegations under it) covered, by scope, whatever their liveness. */
async function recordsOfGrant(client: ConsentClient, doctor: string, records: readonly ChainRecord[]) {
  const affected = new Map<string, ChainRecord>();
  const grant = await latestGrant(client, client.address, doctor);
  if (grant) for (const record of recordsInScope(records, grant.scope)) affected.set(record.recordId, record);
  for (const account of await grantees(client, client.address)) {
    const delegation = await delegationOf(client, client.address, account);
    if (getAddress(delegation.doctor) !== doctor) continue;
    const request = await latestDelegationRequest(client, client.address, account);
    if (request) for (const record of recordsInScope(records, request.scope)) affected.set(record.recordId, record);
  }
  return [...affected.values()];
}

/**
 * The patient revokes a doctor: on chain (which also ends every delegation the doctor made and bumps the patient's
 * key epoch), then publishes a new version of every record the doctor could read, without the doctor or its
 * colleagues. Nothing published afterwards (new records included) is readable by them.
 *
 * @example
 * ```ts
 * import { type ConsentClient, revokeAccess } from '@mhrchain/consent';
 *
 * declare const patient: ConsentClient;
 * const { keyEpoch, rotated } = await revokeAccess(patient, {
 *   doctor: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC',
 *   rotation: 'eager',
 * });
 * ```
 */
export async function revokeAccess(
  client: ConsentClient,
  parameters: RevokeAccessParameters,
): Promise<RevokeAccessReturnType> {
  const doctor = getAddress(parameters.doctor);
  const rotation = parameters.rotation ?? 'lazy';
  const affected = await recordsOfGrant(client, doctor, await recordsOf(client, client.address));
  const serial = Number((await grantOf(client, client.address, doctor)).serial);
  // Intent (the doctor, the grant it ends and the records to rotate) before the revoke; rotation after it. A crash in
  // between leaves a revoked grant whose rotation resumePendingActions finishes (the revoke is not sent twice, and
  // never ends a grant given after the crash: the revoke, sent or signed, names this grant's serial, so one mined
  // late after the patient granted again is refused with GrantSerialMismatch).
  const action = await beginAction(client, 'revokeAccess', {
    doctor,
    serial,
    records: affected.map((record) => record.recordId),
    rotation,
  });
  let receipt: TransactionReceipt;
  try {
    receipt = await patientAction(client, 'RevokeAccess', { patient: client.address, doctor, serial }, () =>
      client.chain.consentManager.write.revokeAccess(doctor, serial),
    );
  } catch (error) {
    // The revoke may still land (broadcast, then the answer lost): the journal keeps the rotation owed, and
    // resumePendingActions rotates if the chain shows the revoke. It is not sent again (the call failed: refused,
    // reverted or lost), so a refused revoke stays refused.
    await markStep(client, action, 'send-failed');
    throw error;
  }
  await markStep(client, action, 'revoked');
  const revoked = client.chain.consentManager.decodeLogs(receipt.logs).find((e) => e.eventName === 'AccessRevoked');
  const rotated = await rotateRecords(client, affected, rotation);
  await endAction(client, action);
  return {
    ...(await transactionInfo(client, receipt)),
    keyEpoch: revoked?.eventName === 'AccessRevoked' ? BigInt(revoked.args.keyEpoch) : 0n,
    rotated,
  };
}
