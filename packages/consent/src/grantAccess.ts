import { GrantStatus } from '@mhrchain/contracts';
import type { TransactionReceipt } from 'ethers';
import { getAddress } from 'ethers';
import type { ConsentClient } from './client.js';
import { InvalidConsentParametersError } from './errors.js';
import { chainNow } from './internal/blockTimes.js';
import { finishGrant } from './internal/grant.js';
import { beginAction, endAction, markStep } from './internal/journal.js';
import type { PublishedVersion } from './internal/publish.js';
import { grantOf } from './internal/state.js';
import { latestGrant } from './internal/terms.js';
import { patientAction, type TransactionInfo, transactionInfo } from './internal/transactions.js';
import type { JournalValue } from './journal.js';
import { type AccessScope, toScopeTuple } from './scope.js';

/** Parameters of {@link grantAccess}. */
export interface GrantAccessParameters {
  /** The doctor to grant. */
  doctor: string;
  /** What the doctor may read. */
  scope: AccessScope;
  /** When the grant ends (Unix seconds). */
  expiresAt: number;
}

/** What {@link grantAccess} and {@link approveRequest} return. */
export interface GrantAccessReturnType extends TransactionInfo {
  /** The grant's serial. */
  serial: number;
  /** When the grant ends. */
  expiresAt: number;
  /** The record versions published for the doctor (key release), after the grant landed. */
  released: PublishedVersion[];
}

/**
 * The patient grants a doctor access: first the key release (new envelope versions of every record in scope,
 * wrapped for the doctor as well, anchored on chain), then the grant. Gasless when the client has a relayer.
 *
 * @example
 * ```ts
 * import { type ConsentClient, grantAccess } from '@mhrchain/consent';
 *
 * declare const patient: ConsentClient;
 * await grantAccess(patient, {
 *   doctor: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC',
 *   scope: { kind: 'all' },
 *   expiresAt: Math.floor(Date.now() / 1000) + 86_400,
 * });
 * ```
 */
export async function grantAccess(
  client: ConsentClient,
  parameters: GrantAccessParameters,
): Promise<GrantAccessReturnType> {
  const doctor = getAddress(parameters.doctor);
  const { expiresAt, scope } = parameters;
  const tuple = toScopeTuple(scope);
  if (!Number.isInteger(expiresAt) || expiresAt <= (await chainNow(client)))
    throw new InvalidConsentParametersError('expiresAt must be a future Unix time in seconds.');
  if (!(await client.chain.identityRegistry.read.isDoctor(doctor)))
    throw new InvalidConsentParametersError(`${doctor} is not an attested doctor.`);
  // Replacing a live grant may narrow it: the records of the old scope are checked again once the new one lands.
  const current = await grantOf(client, client.address, doctor);
  const previous =
    Number(current.status) === GrantStatus.Active ? await latestGrant(client, client.address, doctor) : undefined;
  // The grant lands before any key is released: a crash or a refused transaction in between leaves less access than
  // the chain shows, never more. resumePendingActions finishes the release.
  const action = await beginAction(client, 'grantAccess', {
    doctor,
    scope: scope as unknown as JournalValue,
    expiresAt,
    ...(previous ? { previousScope: previous.scope as unknown as JournalValue } : {}),
  });
  let receipt: TransactionReceipt;
  try {
    receipt = await patientAction(
      client,
      'GrantAccess',
      { patient: client.address, doctor, scope: tuple, expiresAt },
      () => client.chain.consentManager.write.grantAccess(doctor, tuple, expiresAt),
    );
  } catch (error) {
    // Nothing was released. The transaction may still land (broadcast, then the answer lost): the journal keeps the
    // intent as unsent, and resumePendingActions releases the keys if the grant is on chain, or drops it.
    await markStep(client, action, 'send-failed');
    throw error;
  }
  await markStep(client, action, 'granted');
  const released = await finishGrant(client, doctor, scope, previous?.scope);
  await endAction(client, action);
  const granted = client.chain.consentManager.decodeLogs(receipt.logs).find((e) => e.eventName === 'AccessGranted');
  return {
    ...(await transactionInfo(client, receipt)),
    serial: granted?.eventName === 'AccessGranted' ? Number(granted.args.serial) : 0,
    expiresAt,
    released,
  };
}
