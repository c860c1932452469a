import { getAddress, isHexString } from 'ethers';
import type { ConsentClient } from './client.js';
import { InvalidConsentParametersError } from './errors.js';
import { getPendingRequest } from './getPendingRequest.js';
import { encryptionKeyOf } from './internal/state.js';
import { sealOtpResponse } from './otpResponse.js';
import type { Hex } from './scope.js';

/** Parameters of {@link answerAccessOtp}. */
export interface AnswerAccessOtpParameters {
  /** The patient who showed the code. */
  patient: string;
  /** The code the doctor entered. */
  code: string;
  /** The request the code is for (default: the doctor's pending request to the patient). */
  requestId?: Hex;
}

/** What {@link answerAccessOtp} returns: the sealed response to send to the patient's app. */
export type AnswerAccessOtpReturnType = Uint8Array;

/**
 * The doctor's app answers a one-time code: signs it with the doctor's wallet and seals it to the patient's X25519
 * key from the identity registry. Send the returned bytes to the patient's app over any channel.
 *
 * @throws {@link InvalidConsentParametersError} when there is no pending request, the code is malformed, or the patient
 * never registered (no key to seal to).
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
): Promise<AnswerAccessOtpReturnType> {
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
