import { getAddress } from 'ethers';
import { approveRequest } from './approveRequest.js';
import type { ConsentClient } from './client.js';
import { OtpRejectedError } from './errors.js';
import { getPendingRequest } from './getPendingRequest.js';
import type { GrantAccessReturnType, grantAccess } from './grantAccess.js';
import { chainNow } from './internal/blockTimes.js';
import { bindingOf } from './internal/otpBinding.js';
import { openOtpResponse } from './otpResponse.js';
import { purposeOfUseFromNumber } from './purposeOfUse.js';

/** Parameters of {@link approveWithOtp}. */
export interface ApproveWithOtpParameters {
  /** The sealed response from the doctor's app. */
  response: Uint8Array;
  /** When the grant ends (default: now + the requested duration). */
  expiresAt?: number;
}

/** What {@link approveWithOtp} returns: the grant, as {@link grantAccess} returns it. */
export type ApproveWithOtpReturnType = GrantAccessReturnType;

/**
 * The patient's app receives the doctor's sealed response, opens it, checks the doctor's signature, checks the
 * code against the request it was issued for (single use, expiry, attempts, constant time) and, when it matches,
 * releases the keys and grants exactly the scope the code was bound to.
 *
 * @throws {@link OtpRejectedError} when the code is wrong, expired, used, locked, or for another request.
 * @throws {@link InvalidOtpResponseError} when the response cannot be opened or is not signed by the doctor.
 * @example
 * ```ts
 * import { approveWithOtp, type ConsentClient } from '@mhrchain/consent';
 *
 * declare const patient: ConsentClient;
 * declare const response: Uint8Array; // from the doctor's app
 * const { serial } = await approveWithOtp(patient, { response });
 * ```
 */
export async function approveWithOtp(
  client: ConsentClient,
  parameters: ApproveWithOtpParameters,
): Promise<ApproveWithOtpReturnType> {
  const response = openOtpResponse({ identity: client.identity, sealed: parameters.response });
  if (
    response.chainId !== client.chainId ||
    response.consent !== getAddress(client.chain.addresses.consentManager) ||
    response.patient !== client.address
  )
    throw new OtpRejectedError({ reason: 'wrong-request' });
  const stored = client.pendingOtp.get(response.requestId);
  if (!stored) throw new OtpRejectedError({ reason: 'unknown-request' });
  const pending = { ...stored, purpose: purposeOfUseFromNumber(BigInt(stored.purpose)) };
  if (pending.doctor !== response.doctor) throw new OtpRejectedError({ reason: 'wrong-request' });
  client.otp.confirm({ requestId: pending.requestId, binding: bindingOf(client, pending), code: response.code });
  const current = await getPendingRequest(client, { doctor: pending.doctor });
  if (current?.requestId !== pending.requestId) throw new OtpRejectedError({ reason: 'unknown-request' });
  return approveRequest(client, {
    doctor: pending.doctor,
    scope: pending.scope,
    expiresAt: parameters.expiresAt ?? (await chainNow(client)) + pending.duration,
  });
}
