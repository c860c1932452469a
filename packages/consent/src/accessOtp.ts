import { getAddress, isHexString, toBeHex, zeroPadValue } from 'ethers';
import { approveRequest } from './approveRequest.js';
import type { ConsentClient } from './client.js';
import { InvalidConsentParametersError, OtpRejectedError } from './errors.js';
import { getPendingRequest } from './getPendingRequest.js';
import type { GrantAccessReturnType } from './grantAccess.js';
import { chainNow, encryptionKeyOf } from './internal/chain.js';
import { openOtpResponse, sealOtpResponse } from './otpResponse.js';
import { type PurposeOfUse, purposeOfUse, purposeOfUseFromNumber } from './purposeOfUse.js';
import { requestBinding } from './requestBinding.js';
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

/** The pending-code store keeps the purpose as a 32-byte word: the ABI word of its contract number. */
const purposeWord = (purpose: PurposeOfUse) => zeroPadValue(toBeHex(purposeOfUse(purpose).number), 32) as Hex;

function bindingOf(
  client: ConsentClient,
  pending: {
    requestId: Hex;
    doctor: string;
    scope: AccessScope;
    purpose: PurposeOfUse;
    duration: number;
    nonce: Uint8Array;
  },
) {
  return requestBinding({
    chainId: client.chainId,
    consent: client.chain.addresses.consentManager,
    patient: client.address,
    ...pending,
  });
}

/** Parameters of {@link answerAccessOtp}. */
export interface AnswerAccessOtpParameters {
  /** The patient who showed the code. */
  patient: string;
  /** The code the doctor entered. */
  code: string;
  /** The request the code is for (default: the doctor's pending request to the patient). */
  requestId?: Hex;
}

/**
 * The doctor's app answers a one-time code: signs it with the doctor's wallet and seals it to the patient's X25519
 * key from the identity registry. Send the returned bytes to the patient's app over any channel.
 *
 * @throws {@link InvalidConsentParametersError} when there is no pending request or the code is malformed.
 * @example
 * ```ts
 * import { answerAccessOtp, type ConsentClient } from '@mhrchain/consent';
 *
 * declare const doctor: ConsentClient;
 * const sealed = await answerAccessOtp(doctor, { patient: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', code: '492039' });
 * ```
 */
export async function answerAccessOtp(
  client: ConsentClient,
  parameters: AnswerAccessOtpParameters,
): Promise<Uint8Array> {
  const patient = getAddress(parameters.patient);
  let requestId = parameters.requestId;
  if (requestId === undefined) {
    const request = await getPendingRequest(client, { patient, doctor: client.address });
    if (!request) throw new InvalidConsentParametersError(`No pending request to ${patient}.`);
    requestId = request.requestId;
  } else if (!isHexString(requestId, 32)) throw new InvalidConsentParametersError('requestId must be 32 bytes.');
  return sealOtpResponse({
    patientPublicKey: await encryptionKeyOf(client, patient),
    chainId: client.chainId,
    consent: client.chain.addresses.consentManager,
    requestId,
    patient,
    code: parameters.code,
    signer: client.signer,
  });
}

/** Parameters of {@link approveWithOtp}. */
export interface ApproveWithOtpParameters {
  /** The sealed response from the doctor's app. */
  response: Uint8Array;
  /** When the grant ends (default: now + the requested duration). */
  expiresAt?: number;
}

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
): Promise<GrantAccessReturnType> {
  const response = openOtpResponse({ identity: client.identity, sealed: parameters.response });
  if (
    response.chainId !== client.chainId ||
    response.consent !== getAddress(client.chain.addresses.consentManager) ||
    response.patient !== client.address
  )
    throw new OtpRejectedError('wrong-request');
  const stored = client.pendingOtp.get(response.requestId);
  if (!stored) throw new OtpRejectedError('unknown-request');
  const pending = { ...stored, purpose: purposeOfUseFromNumber(BigInt(stored.purpose)) };
  if (pending.doctor !== response.doctor) throw new OtpRejectedError('wrong-request');
  client.otp.confirm({ requestId: pending.requestId, binding: bindingOf(client, pending), code: response.code });
  const current = await getPendingRequest(client, { doctor: pending.doctor });
  if (current?.requestId !== pending.requestId) throw new OtpRejectedError('unknown-request');
  return approveRequest(client, {
    doctor: pending.doctor,
    scope: pending.scope,
    expiresAt: parameters.expiresAt ?? (await chainNow(client)) + pending.duration,
  });
}
