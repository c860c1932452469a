import type { consentManagerAbi, DecodedEvent } from '@mhrchain/contracts';
import { RequestStatus } from '@mhrchain/contracts';
import { getAddress } from 'ethers';
import type { ConsentClient } from './client.js';
import { queryEvents } from './internal/logs.js';
import { requestOf } from './internal/state.js';
import { type PurposeOfUse, purposeOfUseFromNumber } from './purposeOfUse.js';
import { requestIdOf } from './requestBinding.js';
import { type AccessScope, fromScopeTuple, type Hex } from './scope.js';

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

/** The pending request an `AccessRequested` event describes (whether the contract still holds it is not checked). */
export function pendingRequestOf(event: DecodedEvent<typeof consentManagerAbi, 'AccessRequested'>): PendingRequest {
  return {
    requestId: requestIdOf({ transactionHash: event.transactionHash, logIndex: event.logIndex }),
    patient: getAddress(event.args.patient),
    doctor: getAddress(event.args.doctor),
    scope: fromScopeTuple(event.args.scope),
    purpose: purposeOfUseFromNumber(event.args.purpose),
    duration: Number(event.args.duration),
    serial: Number(event.args.serial),
    blockNumber: event.blockNumber,
  };
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
