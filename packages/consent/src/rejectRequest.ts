import { getAddress } from 'ethers';
import type { ConsentClient } from './client.js';
import { InvalidConsentParametersError } from './errors.js';
import { getPendingRequest } from './getPendingRequest.js';
import { patientAction, type TransactionInfo, transactionInfo } from './internal/transactions.js';

/** Parameters of {@link rejectRequest}. */
export interface RejectRequestParameters {
  /** The requesting doctor. */
  doctor: string;
  /**
   * The serial of the request the patient reviewed (`PendingRequest.serial`): a relayed rejection names it, so it can
   * never reject a later request. Default: the current one.
   */
  serial?: number;
}

/** What {@link rejectRequest} returns: where the rejection landed. */
export type RejectRequestReturnType = TransactionInfo;

/**
 * The patient rejects a doctor's pending request.
 *
 * @example
 * ```ts
 * import { type ConsentClient, rejectRequest } from '@mhrchain/consent';
 *
 * declare const patient: ConsentClient;
 * await rejectRequest(patient, { doctor: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC' });
 * ```
 */
export async function rejectRequest(
  client: ConsentClient,
  parameters: RejectRequestParameters,
): Promise<RejectRequestReturnType> {
  const doctor = getAddress(parameters.doctor);
  const { serial } = parameters;
  if (serial !== undefined && (await getPendingRequest(client, { doctor }))?.serial !== serial)
    throw new InvalidConsentParametersError(`Request ${serial} of ${doctor} is not pending.`);
  const message = { patient: client.address, doctor, ...(serial === undefined ? {} : { serial }) };
  const receipt = await patientAction(client, 'RejectRequest', message, () =>
    client.chain.consentManager.write.rejectRequest(doctor),
  );
  return transactionInfo(client, receipt);
}
