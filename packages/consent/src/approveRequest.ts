import type { ConsentClient } from './client.js';
import { InvalidConsentParametersError } from './errors.js';
import { getPendingRequest } from './getPendingRequest.js';
import { type GrantAccessReturnType, grantAccess } from './grantAccess.js';
import { chainNow } from './internal/blockTimes.js';
import type { AccessScope } from './scope.js';

/** Parameters of {@link approveRequest}. */
export interface ApproveRequestParameters {
  /** The requesting doctor. */
  doctor: string;
  /** Grant less than asked (default: the requested scope). */
  scope?: AccessScope;
  /** When the grant ends (default: now + the requested duration). */
  expiresAt?: number;
}

/** What {@link approveRequest} returns: the grant, as {@link grantAccess} returns it. */
export type ApproveRequestReturnType = GrantAccessReturnType;

/**
 * The patient approves a doctor's pending request directly (from the patient's own app, after reading it):
 * releases the keys of the records in scope to the doctor and grants.
 *
 * @throws {@link InvalidConsentParametersError} when the doctor has no pending request.
 * @example
 * ```ts
 * import { approveRequest, type ConsentClient } from '@mhrchain/consent';
 *
 * declare const patient: ConsentClient;
 * const { serial, released } = await approveRequest(patient, { doctor: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC' });
 * ```
 */
export async function approveRequest(
  client: ConsentClient,
  parameters: ApproveRequestParameters,
): Promise<ApproveRequestReturnType> {
  const request = await getPendingRequest(client, { doctor: parameters.doctor });
  if (!request) throw new InvalidConsentParametersError(`No pending request from ${parameters.doctor}.`);
  return grantAccess(client, {
    doctor: request.doctor,
    scope: parameters.scope ?? request.scope,
    expiresAt: parameters.expiresAt ?? (await chainNow(client)) + request.duration,
  });
}
