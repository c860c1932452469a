import {
  type AccessScope,
  getPendingRequest,
  type Hex,
  type OtpRejectionReason,
  type PurposeOfUse,
  requestAccess,
} from '@mhrchain/consent';
import { getAddress, verifyMessage } from 'ethers';
import { codeReplyTopic, REQUEST_TTL_SECONDS, withdrawalTopic } from '../../common/config.js';
import type { Session } from './session.js';

/** The doctor's pending request to a patient, read back from the chain (so it survives a reload). */
export interface OpenRequest {
  requestId: Hex;
  serial: number;
  scope: AccessScope;
  purpose: PurposeOfUse;
  duration: number;
  /** Block time of the request, Unix seconds. */
  requestedAt: number;
  /** When the app stops honouring it, Unix seconds. */
  expiresAt: number;
  /** The chain's time when this was read (latest block), Unix seconds. */
  now: number;
}

/** What the doctor asks for. */
export interface AccessAsk {
  scope: AccessScope;
  purpose: PurposeOfUse;
  /** Seconds. */
  duration: number;
}

/** Durations the doctor can choose from, in seconds. */
export const DURATIONS = [
  { seconds: 3600, label: '1 hour' },
  { seconds: 24 * 3600, label: '24 hours' },
  { seconds: 7 * 24 * 3600, label: '7 days' },
  { seconds: 30 * 24 * 3600, label: '30 days' },
] as const;

/** The doctor's request to `patient` as the chain holds it (the SDK's `getPendingRequest`), or `undefined`. */
export async function openRequestTo(session: Session, patient: string): Promise<OpenRequest | undefined> {
  const request = await getPendingRequest(session.client, { patient, doctor: session.address });
  if (!request) return undefined;
  const [block, latest] = await Promise.all([
    session.client.provider.getBlock(request.blockNumber),
    session.client.provider.getBlock('latest'),
  ]);
  const requestedAt = Number(block?.timestamp ?? 0);
  return {
    requestId: request.requestId,
    serial: request.serial,
    scope: request.scope,
    purpose: request.purpose,
    duration: request.duration,
    requestedAt,
    expiresAt: requestedAt + REQUEST_TTL_SECONDS,
    now: Number(latest?.timestamp ?? 0),
  };
}

/** The doctor asks `patient` for access (the SDK's `requestAccess`); returns the request id. */
export async function askForAccess(session: Session, patient: string, ask: AccessAsk): Promise<Hex> {
  const { requestId } = await requestAccess(session.client, { patient, ...ask });
  return requestId;
}

/** What the patient's page answers a doctor's code with, on the doctor's reply topic. */
export type CodeReply =
  | { requestId: Hex; outcome: 'granted' }
  | { requestId: Hex; outcome: 'refused'; reason: OtpRejectionReason; attemptsLeft: number }
  /** The code was right but the grant did not go through (the chain refused or failed). */
  | { requestId: Hex; outcome: 'failed' };

/** The patient's page tells the doctor's page how its code was received (no secret in it). */
export async function postCodeReply(session: Session, doctor: string, reply: CodeReply): Promise<void> {
  await session.relay.post(codeReplyTopic(doctor), new TextEncoder().encode(JSON.stringify(reply)));
}

/** Parses a {@link CodeReply}; `undefined` for anything else. */
export function parseCodeReply(bytes: Uint8Array): CodeReply | undefined {
  try {
    const value = JSON.parse(new TextDecoder().decode(bytes)) as CodeReply;
    if (typeof value?.requestId !== 'string') return undefined;
    if (value.outcome === 'granted' || value.outcome === 'failed')
      return { requestId: value.requestId, outcome: value.outcome };
    if (value.outcome === 'refused' && typeof value.reason === 'string' && typeof value.attemptsLeft === 'number')
      return value;
  } catch {}
  return undefined;
}

/** The doctor's page's words for a refused code. */
export function describeRefusal(reply: Extract<CodeReply, { outcome: 'refused' }>): string {
  const left = `${reply.attemptsLeft} attempt${reply.attemptsLeft === 1 ? '' : 's'} left`;
  switch (reply.reason) {
    case 'mismatch':
      return `Wrong code: the patient's page did not accept it (${left}). Check the digits and try again.`;
    case 'expired':
      return 'This code has expired (codes last 5 minutes). Ask the patient to show a new code.';
    case 'locked':
      return 'Too many wrong codes: this code is locked. Ask the patient to show a new code.';
    case 'used':
      return 'This code was already used. Ask the patient to show a new code.';
    default:
      return 'The patient has no code open for this request. Ask the patient to show a code.';
  }
}

/** The text a doctor's wallet signs to withdraw a request. */
export const withdrawalText = (requestId: string) => `Withdraw MHR Chain access request ${requestId.toLowerCase()}`;

/**
 * The doctor withdraws its request: the contract has no withdrawal, so the doctor's wallet signs one and posts it to
 * the patient's page, which closes the request on chain (a rejection naming the request's serial).
 */
export async function withdrawRequest(session: Session, patient: string, request: OpenRequest): Promise<void> {
  const signature = await session.client.signer.signMessage(withdrawalText(request.requestId));
  const body = JSON.stringify({ requestId: request.requestId, signature });
  await session.relay.post(withdrawalTopic(patient), new TextEncoder().encode(body));
}

/** A signed withdrawal as the patient's page received it: who signed it, for which request. */
export interface Withdrawal {
  doctor: string;
  requestId: Hex;
}

/** Opens a withdrawal and recovers its signer; `undefined` when it is malformed. */
export function openWithdrawal(bytes: Uint8Array): Withdrawal | undefined {
  try {
    const { requestId, signature } = JSON.parse(new TextDecoder().decode(bytes)) as {
      requestId: Hex;
      signature: string;
    };
    if (typeof requestId !== 'string' || typeof signature !== 'string') return undefined;
    const doctor = getAddress(verifyMessage(withdrawalText(requestId), signature));
    return { doctor, requestId };
  } catch {
    return undefined;
  }
}
