import {
  type AccessScope,
  approveDelegation,
  approveRequest,
  getTimeline,
  type Hex,
  listActiveGrants,
  listPendingRequests,
  type PurposeOfUse,
  rejectDelegation,
  rejectRequest,
  revokeDelegation,
  type TimelineEvent,
  type TimelineEventOf,
} from '@mhrchain/consent';
import { REQUEST_TTL_SECONDS } from '../../common/config.js';
import type { Session } from './session.js';

/** A doctor's live grant as the sharing screen shows it. */
export interface GrantView {
  doctor: string;
  serial: number;
  scope: AccessScope;
  /** The purpose of the request the grant answered (undefined: granted without a request). */
  purpose: PurposeOfUse | undefined;
  grantedAt: number;
  expiresAt: number;
  transactionHash: Hex;
}

/** A doctor's pending access request as the sharing screen shows it. */
export interface RequestView {
  requestId: Hex;
  serial: number;
  doctor: string;
  scope: AccessScope;
  purpose: PurposeOfUse;
  /** Seconds of access asked for. */
  duration: number;
  /** Block time of the request, Unix seconds. */
  requestedAt: number;
  /** When the app stops honouring it ({@link REQUEST_TTL_SECONDS} after `requestedAt`). */
  expiresAt: number;
}

/** A delegation (a doctor sharing with a colleague) as the sharing screen shows it. */
export interface DelegationView {
  doctor: string;
  colleague: string;
  /** The delegation request's serial: approving or rejecting names it, so a newer request is never the one decided. */
  serial: number;
  scope: AccessScope;
  expiresAt: number;
  status: 'pending' | 'active';
}

/** Everything the patient's sharing screen shows, read from the chain in one go. */
export interface SharingState {
  grants: GrantView[];
  requests: RequestView[];
  delegations: DelegationView[];
  /** The patient's audit timeline (the access log reads it too). */
  timeline: TimelineEvent[];
  /** The chain's time (latest block), Unix seconds: what expiries are measured against. */
  now: number;
}

/**
 * Who can read what and until when, who asks for what: the live grants (`listActiveGrants`) with the purpose of the
 * request each answered, the pending requests (`listPendingRequests`) and the delegations, derived from the
 * patient's timeline (`getTimeline`: the SDK has no list of delegations).
 */
export async function loadSharing(session: Session): Promise<SharingState> {
  const [timeline, grants, pending, latest] = await Promise.all([
    getTimeline(session.client),
    listActiveGrants(session.client),
    listPendingRequests(session.client),
    session.client.provider.getBlock('latest'),
  ]);
  const requests = timeline.filter((e): e is TimelineEventOf<'access-requested'> => e.kind === 'access-requested');
  return {
    grants: grants.map((grant) => ({
      doctor: grant.doctor,
      serial: grant.serial,
      scope: grant.scope,
      purpose: purposeOfGrant(timeline, grant.doctor, grant.transactionHash),
      grantedAt: grant.grantedAt,
      expiresAt: grant.expiresAt,
      transactionHash: grant.transactionHash,
    })),
    requests: pending.map((request) => {
      const event = requests.find((e) => e.requestId.toLowerCase() === request.requestId.toLowerCase());
      const requestedAt = event?.blockTime ?? 0;
      return {
        requestId: request.requestId,
        serial: request.serial,
        doctor: request.doctor,
        scope: request.scope,
        purpose: request.purpose,
        duration: request.duration,
        requestedAt,
        expiresAt: requestedAt + REQUEST_TTL_SECONDS,
      };
    }),
    delegations: delegationsOf(timeline),
    timeline,
    now: Number(latest?.timestamp ?? Math.floor(Date.now() / 1000)),
  };
}

/** The purpose of the last request `doctor` made before the grant of `transactionHash`. */
export function purposeOfGrant(
  timeline: readonly TimelineEvent[],
  doctor: string,
  transactionHash: string,
): PurposeOfUse | undefined {
  const same = (a: string) => a.toLowerCase() === doctor.toLowerCase();
  const grantIndex = timeline.findIndex(
    (e) => e.kind === 'access-granted' && e.transactionHash.toLowerCase() === transactionHash.toLowerCase(),
  );
  const before = grantIndex < 0 ? timeline : timeline.slice(0, grantIndex);
  for (let i = before.length - 1; i >= 0; i--) {
    const event = before[i]!;
    if (event.kind === 'access-granted' && same(event.doctor)) return undefined;
    if (event.kind === 'access-requested' && same(event.doctor)) return event.purpose;
  }
  return undefined;
}

/**
 * Pending and live delegations: per colleague, the latest decision after its latest request. A delegation ends with
 * the grant of the doctor who asked for it (revoked, expired or replaced).
 */
export function delegationsOf(timeline: readonly TimelineEvent[]): DelegationView[] {
  const byColleague = new Map<string, DelegationView | undefined>();
  const endDelegationsOf = (doctor: string) => {
    for (const [colleague, delegation] of byColleague)
      if (delegation && delegation.doctor.toLowerCase() === doctor.toLowerCase()) byColleague.set(colleague, undefined);
  };
  for (const event of timeline) {
    switch (event.kind) {
      case 'access-revoked':
      case 'access-expired':
        endDelegationsOf(event.doctor);
        break;
      case 'access-granted':
        if (event.replacedSerial !== undefined) endDelegationsOf(event.doctor);
        break;
      case 'delegation-requested':
        byColleague.set(event.colleague.toLowerCase(), {
          doctor: event.doctor,
          colleague: event.colleague,
          serial: event.serial,
          scope: event.scope,
          expiresAt: event.expiresAt,
          status: 'pending',
        });
        break;
      case 'delegation-approved': {
        const current = byColleague.get(event.colleague.toLowerCase());
        if (current) byColleague.set(event.colleague.toLowerCase(), { ...current, status: 'active' });
        break;
      }
      case 'delegation-rejected':
      case 'delegation-revoked':
      case 'delegation-expired':
        byColleague.set(event.colleague.toLowerCase(), undefined);
        break;
      default:
    }
  }
  return [...byColleague.values()].filter((d): d is DelegationView => d !== undefined);
}

/** The patient approves a doctor's request as asked (the SDK's `approveRequest`: grant and key release). */
export async function approveDoctor(session: Session, request: RequestView) {
  return approveRequest(session.client, { doctor: request.doctor, scope: request.scope });
}

/** The patient rejects a doctor's request (the SDK's `rejectRequest`, naming the serial the patient reviewed). */
export async function rejectDoctor(session: Session, request: Pick<RequestView, 'doctor' | 'serial'>) {
  return rejectRequest(session.client, { doctor: request.doctor, serial: request.serial });
}

/**
 * The patient approves, rejects or ends a colleague's delegation (the SDK's delegation actions); approving and
 * rejecting name the request the patient reviewed.
 */
export async function decideDelegation(
  session: Session,
  delegation: Pick<DelegationView, 'colleague' | 'serial'>,
  decision: 'approve' | 'reject' | 'revoke',
) {
  const { colleague, serial } = delegation;
  if (decision === 'approve') return approveDelegation(session.client, { colleague, serial });
  if (decision === 'reject') return rejectDelegation(session.client, { colleague, serial });
  return revokeDelegation(session.client, { colleague });
}
