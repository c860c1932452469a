import {
  type AccessScope,
  fromScopeTuple,
  type Hex,
  type OtpConfirmations,
  openOtpResponse,
  requestBinding,
  requestIdOf,
  sealOtpResponse,
  toScopeTuple,
} from '@mhrchain/consent';
import { getAddress, id as keccakText } from 'ethers';
import { mailboxTopic } from '../../shared/config.js';
import { shareRecords } from './records.js';
import { encryptionKeyOf, type Session } from './session.js';

/** What the demo doctor asks for: every record, for treatment, for a day. */
export const DEMO_REQUEST = {
  scope: { kind: 'all' } as AccessScope,
  purpose: keccakText('treatment') as Hex,
  duration: 24 * 3600,
};

/** An access request as the patient's page sees it. */
export interface PendingRequest {
  requestId: Hex;
  doctor: string;
  scope: AccessScope;
  purpose: Hex;
  duration: number;
  requestedAt: Date;
}

const PENDING = 1;

/** The doctor asks `patient` for access on chain; returns the request id the OTP will be bound to. */
export async function requestAccess(session: Session, patient: string): Promise<Hex> {
  const { scope, purpose, duration } = DEMO_REQUEST;
  const result = await session.chain.consentManager.write.requestAccess(
    patient,
    toScopeTuple(scope),
    purpose,
    duration,
  );
  const event = result.receipt.logs.find(
    (log) => log.address.toLowerCase() === session.chain.consentManager.address.toLowerCase(),
  );
  if (!event) throw new Error('The request transaction emitted no AccessRequested event.');
  return requestIdOf({ transactionHash: result.hash, logIndex: event.index });
}

/** The doctor's view of its standing with `patient`. */
export async function accessStatus(session: Session, patient: string) {
  const consent = session.chain.consentManager;
  const [request, granted] = await Promise.all([
    consent.read.requestOf(patient, session.address) as Promise<{ status: bigint | number }>,
    consent.read.isGrantActive(patient, session.address),
  ]);
  return { pending: Number(request.status) === PENDING, granted };
}

/** The patient's pending access requests (the latest one of each doctor), read from the consent contract's logs. */
export async function pendingRequests(session: Session): Promise<PendingRequest[]> {
  const consent = session.chain.consentManager;
  const events = await consent.events('AccessRequested');
  const latest = new Map<string, PendingRequest>();
  for (const event of events) {
    const args = event.args as {
      patient: string;
      doctor: string;
      scope: { kind: number | bigint; category: number | bigint; recordIds: readonly string[] };
      purpose: string;
      duration: bigint | number;
    };
    if (getAddress(args.patient) !== session.address) continue;
    const block = await session.provider.getBlock(event.blockNumber);
    latest.set(getAddress(args.doctor), {
      requestId: requestIdOf({ transactionHash: event.transactionHash, logIndex: event.logIndex }),
      doctor: getAddress(args.doctor),
      scope: fromScopeTuple(args.scope),
      purpose: args.purpose as Hex,
      duration: Number(args.duration),
      requestedAt: new Date(Number(block?.timestamp ?? 0) * 1000),
    });
  }
  const pending: PendingRequest[] = [];
  for (const request of latest.values()) {
    const state = (await consent.read.requestOf(session.address, request.doctor)) as { status: bigint | number };
    if (Number(state.status) === PENDING) pending.push(request);
  }
  return pending;
}

/** Binds a fresh code to the exact request (chain, contract, doctor, scope, purpose, duration, fresh nonce). */
export function bindingOf(session: Session, request: PendingRequest): Uint8Array {
  return requestBinding({
    chainId: session.config.chainId,
    consent: session.chain.consentManager.address,
    requestId: request.requestId,
    patient: session.address,
    doctor: request.doctor,
    scope: request.scope,
    purpose: request.purpose,
    duration: request.duration,
    nonce: crypto.getRandomValues(new Uint8Array(32)),
  });
}

/** The doctor sends the code the patient showed: sealed to the patient's key and signed, via the patient's mailbox. */
export async function sendCode(session: Session, patient: string, requestId: Hex, code: string): Promise<void> {
  const sealed = await sealOtpResponse({
    patientPublicKey: await encryptionKeyOf(session, patient),
    chainId: session.config.chainId,
    consent: session.chain.consentManager.address,
    requestId,
    patient,
    code,
    signer: session.wallet,
  });
  await session.relay.post(mailboxTopic(patient), sealed);
}

/**
 * The patient's page handles one sealed response from its mailbox: opens it, checks it answers one of its pending
 * requests on this chain and contract, checks the code, then grants: every record is re-wrapped for the doctor and
 * the grant is recorded on chain. Returns the doctor granted, or throws why not.
 */
export async function handleCodeResponse(
  session: Session,
  sealed: Uint8Array,
  otp: OtpConfirmations,
  issued: ReadonlyMap<Hex, { request: PendingRequest; binding: Uint8Array }>,
): Promise<string> {
  const response = openOtpResponse({ identity: session.identity, sealed });
  const entry = issued.get(response.requestId);
  if (
    !entry ||
    response.chainId !== BigInt(session.config.chainId) ||
    response.consent !== getAddress(session.chain.consentManager.address) ||
    response.patient !== session.address ||
    response.doctor !== entry.request.doctor
  ) {
    throw new Error('This response does not answer a code this page issued.');
  }
  otp.confirm({ requestId: response.requestId, binding: entry.binding, code: response.code });
  await grant(session, entry.request);
  return response.doctor;
}

/** Grants a request: re-wraps the patient's records for the doctor, then records the grant on chain. */
export async function grant(session: Session, request: PendingRequest): Promise<void> {
  const doctorKey = await encryptionKeyOf(session, request.doctor);
  await shareRecords(session, doctorKey);
  const expiresAt = Math.floor(Date.now() / 1000) + request.duration;
  await session.chain.consentManager.write.grantAccess(request.doctor, toScopeTuple(request.scope), expiresAt);
}

/** Doctors holding a live grant from the patient. */
export async function grantedDoctors(session: Session): Promise<string[]> {
  const consent = session.chain.consentManager;
  const events = await consent.events('AccessGranted');
  const doctors = new Set<string>();
  for (const event of events) {
    const args = event.args as { patient: string; doctor: string };
    if (getAddress(args.patient) === session.address) doctors.add(getAddress(args.doctor));
  }
  const live: string[] = [];
  for (const doctor of doctors) if (await consent.read.isGrantActive(session.address, doctor)) live.push(doctor);
  return live;
}
