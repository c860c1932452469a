import type { ConsentClient } from './client.js';
import { InvalidConsentParametersError } from './errors.js';
import { getPendingRequest } from './getPendingRequest.js';
import { bindingOf, purposeWord } from './internal/otpBinding.js';
import type { PurposeOfUse } from './purposeOfUse.js';
import type { AccessScope, Hex } from './scope.js';

/** Parameters of {@link issueAccessOtp}. */
export interface IssueAccessOtpParameters {
  /** The doctor whose pending request the code confirms. */
  doctor: string;
}

/** What {@link issueAccessOtp} returns: what the patient's app shows. */
export interface IssueAccessOtpReturnType {
  /** The code to show or tell the doctor. */
  code: string;
  /** When the code stops working (ms since the epoch). */
  expiresAt: number;
  requestId: Hex;
  doctor: string;
  /** What the doctor asked for: show it beside the code. */
  scope: AccessScope;
  /** Why the doctor asked (show its display from `PURPOSES_OF_USE`). */
  purpose: PurposeOfUse;
  duration: number;
}

/**
 * The patient's app issues a one-time code for a doctor's pending request. The code is bound to that request
 * (chain, contract, request id, patient, doctor, scope, purpose of use, duration and a fresh nonce), single-use, valid
 * 5 minutes and locked after 5 wrong attempts. It is never written on chain.
 *
 * @throws {@link InvalidConsentParametersError} when the doctor has no pending request.
 * @example
 * ```ts
 * import { type ConsentClient, issueAccessOtp } from '@mhrchain/consent';
 *
 * declare const patient: ConsentClient;
 * const { code, scope } = await issueAccessOtp(patient, { doctor: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC' });
 * // show `code` to the doctor, with what they asked for
 * ```
 */
export async function issueAccessOtp(
  client: ConsentClient,
  parameters: IssueAccessOtpParameters,
): Promise<IssueAccessOtpReturnType> {
  const request = await getPendingRequest(client, { doctor: parameters.doctor });
  if (!request) throw new InvalidConsentParametersError(`No pending request from ${parameters.doctor}.`);
  const nonce = crypto.getRandomValues(new Uint8Array(32));
  const pending = {
    requestId: request.requestId,
    doctor: request.doctor,
    scope: request.scope,
    purpose: request.purpose,
    duration: request.duration,
    nonce,
  };
  const binding = bindingOf(client, pending);
  client.pendingOtp.set(request.requestId, { ...pending, purpose: purposeWord(pending.purpose) });
  const { code, expiresAt } = client.otp.issue({ requestId: request.requestId, binding });
  const { nonce: _secret, ...shown } = pending;
  return { code, expiresAt, ...shown };
}
