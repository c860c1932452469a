import { RequestStatus } from '@mhrchain/contracts';
import { getAddress } from 'ethers';
import type { ConsentClient } from './client.js';
import type { PendingRequest } from './getPendingRequest.js';
import { lastPerKey, queryEvents } from './internal/logs.js';
import { pendingRequestOf } from './internal/pendingRequest.js';
import { requestOf } from './internal/state.js';

/** Parameters of {@link listPendingRequests}. */
export interface ListPendingRequestsParameters {
  /** The patient (default: the client's account). */
  patient?: string;
}

/** What {@link listPendingRequests} returns: one pending request per doctor, oldest first. */
export type ListPendingRequestsReturnType = PendingRequest[];

/**
 * Every pending access request to a patient, one per doctor, oldest first: the patient app's inbox, without knowing
 * beforehand who asked. Read from the `AccessRequested` logs and checked against the contract's state, so answered,
 * rejected or superseded requests are left out.
 *
 * @example
 * ```ts
 * import { type ConsentClient, listPendingRequests } from '@mhrchain/consent';
 *
 * declare const patient: ConsentClient;
 * for (const request of await listPendingRequests(patient)) {
 *   console.log(request.doctor, request.scope, request.duration);
 * }
 * ```
 */
export async function listPendingRequests(
  client: ConsentClient,
  parameters: ListPendingRequestsParameters = {},
): Promise<ListPendingRequestsReturnType> {
  const patient = getAddress(parameters.patient ?? client.address);
  const events = await queryEvents(client, client.chain.consentManager, 'AccessRequested', { patient });
  // The latest request of each doctor is the one the contract holds.
  const requests = lastPerKey(events, (event) => event.args.doctor).map(pendingRequestOf);
  const states = await Promise.all(requests.map((request) => requestOf(client, patient, request.doctor)));
  return requests.filter((_, i) => Number(states[i]!.status) === RequestStatus.Pending);
}
