import {
  decodeAuditEvents,
  freshBlockTag,
  type IndexedLog,
  readTimeline,
  type TimelineEntry,
} from '@mhrchain/contracts';
import { getAddress, getBytes, type Log, zeroPadValue } from 'ethers';
import { CID } from 'multiformats/cid';
import type { ConsentClient } from './client.js';
import { blockTimes, chainNow } from './internal/blockTimes.js';
import { purposeOfUseFromNumber } from './purposeOfUse.js';
import { requestIdOf } from './requestBinding.js';
import { fromScopeTuple, type Hex } from './scope.js';
import {
  compareTimelineEvents,
  compareTimelineTimes,
  type TimelineEvent,
  type TimelineEventBase,
  type TimelineEventOf,
} from './timeline.js';

/** Parameters of {@link getTimeline}. */
export interface GetTimelineParameters {
  /** Whose timeline (default: the client's account). */
  patient?: string;
}

/** What {@link getTimeline} returns: the patient's audit trail, oldest first. */
export type GetTimelineReturnType = TimelineEvent[];

const cidString = (hex: string) => {
  try {
    return CID.decode(getBytes(hex)).toString();
  } catch {
    return hex;
  }
};

function toEvent(entry: TimelineEntry, patient: string, chainId: bigint): TimelineEvent | undefined {
  // biome-ignore lint/suspicious/noExplicitAny: event arguments are decoded per event name below
  const args = entry.args as Record<string, any>;
  const same = (value: unknown) => typeof value === 'string' && getAddress(value) === patient;
  const base = (actor: string): TimelineEventBase => ({
    chainId,
    contract: getAddress(entry.address),
    blockNumber: entry.blockNumber,
    blockTime: entry.timestamp ?? 0,
    transactionHash: entry.transactionHash as Hex,
    logIndex: entry.logIndex,
    patient,
    actor: getAddress(actor),
  });
  switch (entry.eventName) {
    case 'IdentityRegistered':
      return same(args.account)
        ? { ...base(args.actor), kind: 'identity-registered', encryptionKey: args.encryptionKey }
        : undefined;
    case 'EncryptionKeyRotated':
      return same(args.account)
        ? { ...base(args.actor), kind: 'encryption-key-rotated', encryptionKey: args.encryptionKey }
        : undefined;
    case 'RecordAnchored':
      return same(args.patient)
        ? {
            ...base(args.actor),
            kind: 'record-anchored',
            recordId: args.recordId.toLowerCase(),
            category: Number(args.category),
            cid: cidString(args.cid),
          }
        : undefined;
    case 'RecordSuperseded':
      return same(args.patient)
        ? {
            ...base(args.actor),
            kind: 'record-superseded',
            recordId: args.recordId.toLowerCase(),
            version: Number(args.version),
            cid: cidString(args.cid),
          }
        : undefined;
    case 'RecordErased':
      return same(args.patient)
        ? { ...base(args.actor), kind: 'record-erased', recordId: args.recordId.toLowerCase() }
        : undefined;
    case 'AccessRequested':
      return same(args.patient)
        ? {
            ...base(args.doctor),
            kind: 'access-requested',
            requestId: requestIdOf({ transactionHash: entry.transactionHash, logIndex: entry.logIndex }),
            doctor: getAddress(args.doctor),
            scope: fromScopeTuple(args.scope),
            purpose: purposeOfUseFromNumber(args.purpose),
            duration: Number(args.duration),
          }
        : undefined;
    case 'AccessGranted':
      return same(args.patient)
        ? {
            ...base(args.actor),
            kind: 'access-granted',
            doctor: getAddress(args.doctor),
            serial: Number(args.serial),
            scope: fromScopeTuple(args.scope),
            expiresAt: Number(args.expiresAt),
            replacedSerial: Number(args.replacedSerial ?? 0) || undefined,
          }
        : undefined;
    case 'AccessRequestRejected':
      return same(args.patient)
        ? { ...base(args.actor), kind: 'access-rejected', doctor: getAddress(args.doctor) }
        : undefined;
    case 'AccessRevoked':
      return same(args.patient)
        ? {
            ...base(args.actor),
            kind: 'access-revoked',
            doctor: getAddress(args.doctor),
            serial: Number(args.serial),
            keyEpoch: BigInt(args.keyEpoch),
          }
        : undefined;
    case 'DelegationRequested':
      return same(args.patient)
        ? {
            ...base(args.doctor),
            kind: 'delegation-requested',
            doctor: getAddress(args.doctor),
            colleague: getAddress(args.colleague),
            serial: Number(args.serial),
            scope: fromScopeTuple(args.scope),
            expiresAt: Number(args.expiresAt),
          }
        : undefined;
    case 'DelegationApproved':
    case 'DelegationRejected':
    case 'DelegationRevoked': {
      if (!same(args.patient)) return undefined;
      const kind =
        entry.eventName === 'DelegationApproved'
          ? 'delegation-approved'
          : entry.eventName === 'DelegationRejected'
            ? 'delegation-rejected'
            : 'delegation-revoked';
      return { ...base(args.actor), kind, colleague: getAddress(args.colleague) };
    }
    case 'NoncesInvalidated':
      return same(args.account)
        ? { ...base(args.actor), kind: 'signatures-cancelled', nonce: BigInt(args.newNonce) }
        : undefined;
    default:
      return undefined;
  }
}

/**
 * A patient's full audit timeline (who, what, scope, when, transaction, block time), rebuilt from the contracts'
 * logs alone. Export it with `timelineToFhirConsents` / `timelineToFhirAuditEvents`.
 *
 * @example
 * ```ts
 * import { type ConsentClient, getTimeline, timelineToFhirBundle } from '@mhrchain/consent';
 *
 * declare const patient: ConsentClient;
 * const timeline = await getTimeline(patient);
 * const bundle = timelineToFhirBundle(timeline);
 * ```
 */
export async function getTimeline(
  client: ConsentClient,
  parameters: GetTimelineParameters = {},
): Promise<GetTimelineReturnType> {
  const patient = getAddress(parameters.patient ?? client.address);
  const entries = await timelineEntries(client, patient);
  const events: TimelineEvent[] = [];
  for (const entry of entries) {
    const event = toEvent(entry, patient, client.chainId);
    if (event) events.push(event);
  }
  const now = await chainNow(client);
  return [...events, ...expiries(events, now)].sort(compareTimelineTimes);
}

/** Every event naming `patient` in an address argument, with block times: from the client's index when it has one. */
async function timelineEntries(client: ConsentClient, patient: string): Promise<TimelineEntry[]> {
  const index = client.eventIndex;
  if (!index) return readTimeline(client.provider, client.chain, { involving: patient, fromBlock: client.fromBlock });
  const toBlock = await freshBlockTag(client.provider);
  await index.sync(typeof toBlock === 'number' ? { toBlock } : {});
  // The patient in any indexed argument, plus the one event with an address outside its topics.
  const topic = zeroPadValue(patient, 32);
  const unindexed = client.chain.delegationRegistry.contract.getEvent('DelegationApproved').fragment.topicHash;
  const logs = new Map<string, IndexedLog>();
  for (const topics of [[null, topic], [null, null, topic], [null, null, null, topic], [unindexed]])
    for (const log of index.query({ topics })) logs.set(`${log.address}:${log.blockNumber}:${log.index}`, log);
  const involving = patient.toLowerCase();
  const entries = decodeAuditEvents(client.chain, [...logs.values()] as unknown as Log[]).filter((entry) =>
    Object.values(entry.args as Record<string, unknown>).some(
      (value) => typeof value === 'string' && value.toLowerCase() === involving,
    ),
  );
  const timeOf = blockTimes(client);
  await Promise.all(
    entries.map(async (entry) => {
      entry.timestamp = await timeOf(entry.blockNumber);
    }),
  );
  return entries;
}

/** The chain location of `event`, re-timed to `at`: where a derived event points for its evidence. */
function locatedAt(event: TimelineEventBase, at: number): TimelineEventBase {
  const { chainId, contract, blockNumber, transactionHash, logIndex, patient, actor } = event;
  return { chainId, contract, blockNumber, blockTime: at, transactionHash, logIndex, patient, actor };
}

/**
 * The grants and approved delegations that ended by themselves: expired before anything ended them (a revocation, a
 * replacing grant, the end of the parent grant) and before `now`.
 */
function expiries(events: readonly TimelineEvent[], now: number): TimelineEvent[] {
  type Granted = TimelineEventOf<'access-granted'>;
  type Requested = TimelineEventOf<'delegation-requested'>;
  const expired: TimelineEvent[] = [];
  const grants = new Map<string, Granted>();
  const requests = new Map<string, Requested>();
  const delegations = new Map<string, Requested>();
  const endDelegation = (colleague: string, at: number) => {
    const delegation = delegations.get(colleague);
    if (!delegation) return;
    delegations.delete(colleague);
    if (delegation.expiresAt <= at)
      expired.push({
        ...locatedAt(delegation, delegation.expiresAt),
        kind: 'delegation-expired',
        colleague,
        expiresAt: delegation.expiresAt,
      });
  };
  const endGrant = (doctor: string, at: number) => {
    const grant = grants.get(doctor);
    if (!grant) return;
    grants.delete(doctor);
    if (grant.expiresAt <= at)
      expired.push({
        ...locatedAt(grant, grant.expiresAt),
        kind: 'access-expired',
        doctor,
        serial: grant.serial,
        expiresAt: grant.expiresAt,
      });
    // Delegations end with their grant (they cannot outlive it).
    for (const [colleague, delegation] of delegations)
      if (delegation.doctor === doctor) endDelegation(colleague, Math.min(at, grant.expiresAt));
  };
  for (const event of [...events].sort(compareTimelineEvents)) {
    if (event.kind === 'access-granted') {
      endGrant(event.doctor, event.blockTime);
      grants.set(event.doctor, event);
    } else if (event.kind === 'access-revoked') endGrant(event.doctor, event.blockTime);
    else if (event.kind === 'delegation-requested') requests.set(event.colleague, event);
    else if (event.kind === 'delegation-approved') {
      endDelegation(event.colleague, event.blockTime);
      const request = requests.get(event.colleague);
      if (request) delegations.set(event.colleague, request);
    } else if (event.kind === 'delegation-revoked') endDelegation(event.colleague, event.blockTime);
  }
  for (const doctor of [...grants.keys()]) endGrant(doctor, now);
  for (const colleague of [...delegations.keys()]) endDelegation(colleague, now);
  return expired;
}
