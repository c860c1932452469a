import { RequestStatus } from '@mhrchain/contracts';
import { getAddress } from 'ethers';
import type { ConsentClient } from './client.js';
import { InvalidConsentParametersError } from './errors.js';
import { requestOf } from './internal/state.js';
import { patientAction, type TransactionInfo, transactionInfo } from './internal/transactions.js';

/** Parameters of {@link rejectRequest}. */
export interface RejectRequestParameters {
  /** The requesting doctor. */
  doctor: string;
  /**
   * The serial of the request the patient reviewed (`PendingRequest.serial`). The rejection names it, sent directly
   * or relayed, so a rejection that lands late (held in the mempool, or sent again) can never reject a later request
   * of the same doctor: the chain refuses it (`RequestSerialMismatch`). Default: the request pending now, read from
   * the chain.
   */
  serial?: number;
}

/** What {@link rejectRequest} returns: where the rejection landed. */
export type RejectRequestReturnType = TransactionInfo;

/**
 * The patient rejects a doctor's pending request, naming it by its serial.
 *
 * @throws {@link InvalidConsentParametersError} when the doctor has no pending request, or when `serial` is not the
 * pending one (the request reviewed was answered meanwhile and the doctor asked again).
 * @example
 * ```ts
 * import { type ConsentClient, rejectRequest } from '@mhrchain/consent';
 *
 * declare const patient: ConsentClient;
 * await rejectRequest(patient, { doctor: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC', serial: 1 });
 * ```
 */
export async function rejectRequest(
  client: ConsentClient,
  parameters: RejectRequestParameters,
): Promise<RejectRequestReturnType> {
  const doctor = getAddress(parameters.doctor);
  const pending = await requestOf(client, client.address, doctor);
  if (Number(pending.status) !== RequestStatus.Pending)
    throw new InvalidConsentParametersError(`${doctor} has no pending request.`);
  const serial = parameters.serial ?? Number(pending.serial);
  if (serial !== Number(pending.serial))
    throw new InvalidConsentParametersError(`Request ${serial} of ${doctor} is not pending.`);
  const message = { patient: client.address, doctor, serial };
  const receipt = await patientAction(client, 'RejectRequest', message, () =>
    client.chain.consentManager.write.rejectRequest(doctor, serial),
  );
  return transactionInfo(client, receipt);
}
