import type { TransactionReceipt } from 'ethers';
import { getAddress } from 'ethers';
import type { ConsentClient } from './client.js';
import { InvalidConsentParametersError } from './errors.js';
import { latestGrant, type PublishedVersion } from './internal/access.js';
import {
  chainNow,
  GRANT_ACTIVE,
  grantOf,
  lastPerKey,
  patientAction,
  queryLogs,
  REQUEST_PENDING,
  requestOf,
  type TransactionInfo,
  transactionInfo,
} from './internal/chain.js';
import { finishGrant } from './internal/grant.js';
import { beginAction, endAction, markStep } from './internal/journal.js';
import type { JournalValue } from './journal.js';
import { type PurposeOfUse, purposeOfUseFromNumber } from './purposeOfUse.js';
import { requestIdOf } from './requestBinding.js';
import { type AccessScope, fromScopeTuple, type Hex, toScopeTuple } from './scope.js';

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
): Promise<PendingRequest | undefined> {
  const patient = getAddress(parameters.patient ?? client.address);
  const doctor = getAddress(parameters.doctor);
  const state = await requestOf(client, patient, doctor);
  if (state.status !== REQUEST_PENDING) return undefined;
  const logs = await queryLogs(client, client.chain.consentManager as never, 'AccessRequested', patient, doctor);
  const last = client.chain.consentManager.decodeLogs(logs).at(-1);
  if (last?.eventName !== 'AccessRequested') return undefined;
  return {
    requestId: requestIdOf({ transactionHash: last.transactionHash, logIndex: last.logIndex }),
    patient,
    doctor,
    scope: fromScopeTuple(last.args.scope as never),
    purpose: purposeOfUseFromNumber(last.args.purpose),
    duration: Number(last.args.duration),
    serial: Number(last.args.serial),
    blockNumber: last.blockNumber,
  };
}

/** Parameters of {@link listPendingRequests}. */
export interface ListPendingRequestsParameters {
  /** The patient (default: the client's account). */
  patient?: string;
}

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
): Promise<PendingRequest[]> {
  const patient = getAddress(parameters.patient ?? client.address);
  const logs = await queryLogs(client, client.chain.consentManager as never, 'AccessRequested', patient, null);
  // The latest request of each doctor is the one the contract holds.
  const requests = lastPerKey(client.chain.consentManager.decodeLogs(logs), (event) => event.args.doctor).flatMap(
    (event): PendingRequest[] =>
      event.eventName === 'AccessRequested'
        ? [
            {
              requestId: requestIdOf({ transactionHash: event.transactionHash, logIndex: event.logIndex }),
              patient,
              doctor: getAddress(event.args.doctor),
              scope: fromScopeTuple(event.args.scope as never),
              purpose: purposeOfUseFromNumber(event.args.purpose),
              duration: Number(event.args.duration),
              serial: Number(event.args.serial),
              blockNumber: event.blockNumber,
            },
          ]
        : [],
  );
  const states = await Promise.all(requests.map((request) => requestOf(client, patient, request.doctor)));
  return requests.filter((_, i) => states[i]!.status === REQUEST_PENDING);
}

/** Parameters of {@link grantAccess}. */
export interface GrantAccessParameters {
  /** The doctor to grant. */
  doctor: string;
  /** What the doctor may read. */
  scope: AccessScope;
  /** When the grant ends (Unix seconds). */
  expiresAt: number;
}

/** What {@link grantAccess} and {@link approveRequest} return. */
export interface GrantAccessReturnType extends TransactionInfo {
  /** The grant's serial. */
  serial: number;
  /** When the grant ends. */
  expiresAt: number;
  /** The record versions published for the doctor (key release), after the grant landed. */
  released: PublishedVersion[];
}

/**
 * The patient grants a doctor access: first the key release (new envelope versions of every record in scope,
 * wrapped for the doctor as well, anchored on chain), then the grant. Gasless when the client has a relayer.
 *
 * @example
 * ```ts
 * import { type ConsentClient, grantAccess } from '@mhrchain/consent';
 *
 * declare const patient: ConsentClient;
 * await grantAccess(patient, {
 *   doctor: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC',
 *   scope: { kind: 'all' },
 *   expiresAt: Math.floor(Date.now() / 1000) + 86_400,
 * });
 * ```
 */
export async function grantAccess(
  client: ConsentClient,
  parameters: GrantAccessParameters,
): Promise<GrantAccessReturnType> {
  const doctor = getAddress(parameters.doctor);
  const { expiresAt, scope } = parameters;
  const tuple = toScopeTuple(scope);
  if (!Number.isInteger(expiresAt) || expiresAt <= (await chainNow(client)))
    throw new InvalidConsentParametersError('expiresAt must be a future Unix time in seconds.');
  if (!(await client.chain.identityRegistry.read.isDoctor(doctor)))
    throw new InvalidConsentParametersError(`${doctor} is not an attested doctor.`);
  // Replacing a live grant may narrow it: the records of the old scope are checked again once the new one lands.
  const current = await grantOf(client, client.address, doctor);
  const previous = current.status === GRANT_ACTIVE ? await latestGrant(client, client.address, doctor) : undefined;
  // The grant lands before any key is released: a crash or a refused transaction in between leaves less access than
  // the chain shows, never more. resumePendingActions finishes the release.
  const action = await beginAction(client, 'grantAccess', {
    doctor,
    scope: scope as unknown as JournalValue,
    expiresAt,
    ...(previous ? { previousScope: previous.scope as unknown as JournalValue } : {}),
  });
  let receipt: TransactionReceipt;
  try {
    receipt = await patientAction(
      client,
      'GrantAccess',
      { patient: client.address, doctor, scope: tuple as never, expiresAt },
      () => client.chain.consentManager.write.grantAccess(doctor, tuple as never, expiresAt),
    );
  } catch (error) {
    // Nothing was released. The transaction may still land (broadcast, then the answer lost): the journal keeps the
    // intent as unsent, and resumePendingActions releases the keys if the grant is on chain, or drops it.
    await markStep(client, action, 'send-failed');
    throw error;
  }
  await markStep(client, action, 'granted');
  const released = await finishGrant(client, doctor, scope, previous?.scope);
  await endAction(client, action);
  const granted = client.chain.consentManager.decodeLogs(receipt.logs).find((e) => e.eventName === 'AccessGranted');
  return {
    ...(await transactionInfo(client, receipt)),
    serial: granted?.eventName === 'AccessGranted' ? Number(granted.args.serial) : 0,
    expiresAt,
    released,
  };
}

/** Parameters of {@link approveRequest}. */
export interface ApproveRequestParameters {
  /** The requesting doctor. */
  doctor: string;
  /** Grant less than asked (default: the requested scope). */
  scope?: AccessScope;
  /** When the grant ends (default: now + the requested duration). */
  expiresAt?: number;
}

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
): Promise<GrantAccessReturnType> {
  const request = await getPendingRequest(client, { doctor: parameters.doctor });
  if (!request) throw new InvalidConsentParametersError(`No pending request from ${parameters.doctor}.`);
  return grantAccess(client, {
    doctor: request.doctor,
    scope: parameters.scope ?? request.scope,
    expiresAt: parameters.expiresAt ?? (await chainNow(client)) + request.duration,
  });
}

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
): Promise<TransactionInfo> {
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
