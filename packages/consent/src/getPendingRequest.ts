import { RequestStatus } from '@mhrchain/contracts';
import { getAddress } from 'ethers';
import type { ConsentClient } from './client.js';
import { queryEvents } from './internal/logs.js';
import { pendingRequestOf } from './internal/pendingRequest.js';
import { requestOf } from './internal/state.js';
import type { PurposeOfUse } from './purposeOfUse.js';
import type { AccessScope, Hex } from './scope.js';

/** A doctor's pending access request, as the patient's app reads it from the chain. */
export interface PendingRequest {
  requestId: Hex;
  /** The request's serial for this patient and doctor: a rejection or approval can name it. */
  serial: number;
  patient: string;
  doctor: string;
  scope: AccessScope;
  /** Why the doctor asks: the request's PurposeOfUse code (the chain holds its number). */
  purpose: PurposeOfUse;
  duration: number;
  blockNumber: number;
}

/** Parameters of {@link getPendingRequest}. */
export interface GetPendingRequestParameters {
  /** The requesting doctor. */
  doctor: string;
  /** The patient (default: the client's account). */
  patient?: string;
}

/** What {@link getPendingRequest} returns: the request, or `undefined` when none is pending. */
export type GetPendingRequestReturnType = PendingRequest | undefined;

/**
 * The pending access request of a doctor to a patient, or `undefined` when there is none.
 *
 * @example
 * ```ts
 * import { type ConsentClient, getPendingRequest } from '@mhrchain/consent';
 *
 * declare const patient: ConsentClient;
 * const request = await getPendingRequest(patient, { doctor: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC' });
 * request?.scope; // what the doctor asked for
 * ```
 */
export async function getPendingRequest(
  client: ConsentClient,
  parameters: GetPendingRequestParameters,
): Promise<GetPendingRequestReturnType> {
  const patient = getAddress(parameters.patient ?? client.address);
  const doctor = getAddress(parameters.doctor);
  const state = await requestOf(client, patient, doctor);
  if (Number(state.status) !== RequestStatus.Pending) return undefined;
  const last = (await queryEvents(client, client.chain.consentManager, 'AccessRequested', { patient, doctor })).at(-1);
  return last && pendingRequestOf(last);
}
