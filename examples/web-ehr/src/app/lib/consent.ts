import {
  answerAccessOtp,
  approveWithOtp,
  type Hex,
  issueAccessOtp,
  openOtpResponse,
  revokeAccess,
} from '@mhrchain/consent';
import { mailboxTopic } from '../../common/config.js';
import type { Session } from './session.js';

const PENDING = 1;
const REJECTED = 3;

/** The doctor's standing with `patient`: granted, a request pending, or the last request rejected (closed). */
export async function accessStatus(session: Session, patient: string) {
  const consent = session.client.chain.consentManager;
  const [request, granted] = await Promise.all([
    consent.read.requestOf(patient, session.address) as Promise<{ status: bigint | number }>,
    consent.read.isGrantActive(patient, session.address),
  ]);
  return { pending: Number(request.status) === PENDING, rejected: Number(request.status) === REJECTED, granted };
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
export async function handleCodeResponse(
  session: Session,
  sealed: Uint8Array,
): Promise<{ doctor: string; requestId: Hex; serial: number; released: number }> {
  const { doctor, requestId } = openOtpResponse({ identity: session.client.identity, sealed });
  const grant = await approveWithOtp(session.client, { response: sealed });
  return { doctor, requestId, serial: grant.serial, released: grant.released.length };
}

/**
 * The patient revokes a doctor (the SDK's `revokeAccess`): on chain, then new versions of the records it could read,
 * without it. Returns how many records were locked again.
 */
export async function revokeDoctor(session: Session, doctor: string): Promise<{ rotated: number }> {
  const { rotated } = await revokeAccess(session.client, { doctor });
  return { rotated: rotated.length };
}
