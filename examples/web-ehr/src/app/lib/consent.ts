import {
  type AccessScope,
  answerAccessOtp,
  approveWithOtp,
  type Hex,
  issueAccessOtp,
  listActiveGrants,
  listPendingRequests,
  openOtpResponse,
  type PurposeOfUse,
  purposeOfUse,
  requestAccess,
  revokeAccess,
} from '@mhrchain/consent';
import { mailboxTopic } from '../../common/config.js';
import type { Session } from './session.js';

/** What the demo doctor asks for: every record, for a day; the purpose of use defaults to treatment. */
export const DEMO_REQUEST = {
  scope: { kind: 'all' } as AccessScope,
  purpose: 'TREAT' as PurposeOfUse,
  duration: 24 * 3600,
};

/** An access request as the patient's page sees it. */
export interface PendingRequest {
  requestId: Hex;
  doctor: string;
  scope: AccessScope;
  /** The request's purpose of use (HL7 code) and its display. */
  purpose: PurposeOfUse;
  purposeDisplay: string;
  duration: number;
  requestedAt: Date;
}

const PENDING = 1;

/**
 * The doctor asks `patient` for access on chain (the SDK's `requestAccess`), for a purpose of use of the published
 * vocabulary; returns the request id.
 */
export async function askForAccess(
  session: Session,
  patient: string,
  purpose: PurposeOfUse = DEMO_REQUEST.purpose,
): Promise<Hex> {
  const { requestId } = await requestAccess(session.client, { patient, ...DEMO_REQUEST, purpose });
  return requestId;
}

/** The doctor's standing with `patient`. */
export async function accessStatus(session: Session, patient: string) {
  const consent = session.client.chain.consentManager;
  const [request, granted] = await Promise.all([
    consent.read.requestOf(patient, session.address) as Promise<{ status: bigint | number }>,
    consent.read.isGrantActive(patient, session.address),
  ]);
  return { pending: Number(request.status) === PENDING, granted };
}

/** The patient's pending access requests, one per doctor (the SDK's `listPendingRequests`), with their times. */
export async function pendingRequests(session: Session): Promise<PendingRequest[]> {
  const requests = await listPendingRequests(session.client);
  return Promise.all(
    requests.map(async (request) => {
      const block = await session.client.provider.getBlock(request.blockNumber);
      return {
        requestId: request.requestId,
        doctor: request.doctor,
        scope: request.scope,
        purpose: request.purpose,
        purposeDisplay: purposeOfUse(request.purpose).display,
        duration: request.duration,
        requestedAt: new Date(Number(block?.timestamp ?? 0) * 1000),
      };
    }),
  );
}

/** The patient's page issues a one-time code bound to the doctor's pending request (the SDK's `issueAccessOtp`). */
export async function issueCode(session: Session, doctor: string) {
  return issueAccessOtp(session.client, { doctor });
}

/**
 * The doctor sends the code the patient showed: sealed to the patient's key and signed by the doctor's wallet (the
 * SDK's `answerAccessOtp`), delivered through the patient's mailbox on the relay.
 */
export async function sendCode(session: Session, patient: string, requestId: Hex, code: string): Promise<void> {
  const sealed = await answerAccessOtp(session.client, { patient, code, requestId });
  await session.relay.post(mailboxTopic(patient), sealed);
}

/**
 * The patient's page handles one sealed response from its mailbox (the SDK's `approveWithOtp`): checks it answers
 * a code this page issued for this chain and contract, checks the code, then grants and releases the record keys to
 * the doctor. Returns the doctor, or throws why not.
 */
export async function handleCodeResponse(session: Session, sealed: Uint8Array): Promise<string> {
  const { doctor } = openOtpResponse({ identity: session.client.identity, sealed });
  const grant = await approveWithOtp(session.client, { response: sealed });
  return `${doctor} (grant ${grant.serial}, ${grant.released.length} record keys released)`;
}

/** Doctors holding a live grant from the patient (the SDK's `listActiveGrants`). */
export async function grantedDoctors(session: Session): Promise<string[]> {
  return (await listActiveGrants(session.client)).map((grant) => grant.doctor);
}

/**
 * The patient revokes a doctor (the SDK's `revokeAccess`): on chain, then new versions of the records it could read,
 * without it. Returns a line for the page's log.
 */
export async function revokeDoctor(session: Session, doctor: string): Promise<string> {
  const { keyEpoch, rotated } = await revokeAccess(session.client, { doctor });
  return `Access revoked for ${doctor} (key epoch ${keyEpoch}, ${rotated.length} records re-published without it).`;
}
