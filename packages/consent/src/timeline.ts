import type { PurposeOfUse } from './purposeOfUse.js';
import type { AccessScope, Hex } from './scope.js';

/** Where and when an event happened on chain: enough to find and verify it. */
export interface TimelineEventBase {
  /** Chain id. */
  chainId: bigint;
  /** The contract that emitted the event. */
  contract: string;
  blockNumber: number;
  /** Block timestamp, in seconds since the epoch. */
  blockTime: number;
  transactionHash: Hex;
  logIndex: number;
  /** The patient whose timeline this event belongs to. */
  patient: string;
  /** Who sent the transaction: the patient, doctor, registrar, or a relayer submitting a signed action. */
  actor: string;
}

/** One entry of a patient's audit timeline, decoded from a contract event. */
export type TimelineEvent = TimelineEventBase &
  (
    | { kind: 'identity-registered'; encryptionKey: Hex }
    | { kind: 'encryption-key-rotated'; encryptionKey: Hex }
    | { kind: 'record-anchored'; recordId: Hex; category: number; cid: string }
    | { kind: 'record-superseded'; recordId: Hex; version: number; cid: string }
    | { kind: 'record-erased'; recordId: Hex }
    | {
        kind: 'access-requested';
        requestId: Hex;
        doctor: string;
        scope: AccessScope;
        /** The request's PurposeOfUse code (the event carries its number). */
        purpose: PurposeOfUse;
        duration: number;
      }
    | {
        kind: 'access-granted';
        doctor: string;
        serial: number;
        scope: AccessScope;
        expiresAt: number;
        /** The live grant (serial) this one replaced and ended, with its delegations; `undefined`: none. */
        replacedSerial: number | undefined;
      }
    | { kind: 'access-rejected'; doctor: string }
    | { kind: 'access-revoked'; doctor: string; serial: number; keyEpoch: bigint }
    | {
        kind: 'delegation-requested';
        doctor: string;
        colleague: string;
        /** The request's serial, which the patient's approval or rejection names. */
        serial: number;
        scope: AccessScope;
        expiresAt: number;
      }
    | { kind: 'delegation-approved'; colleague: string }
    | { kind: 'delegation-rejected'; colleague: string }
    | { kind: 'delegation-revoked'; colleague: string }
    /** The patient cancelled every signed action not relayed yet on `contract` (nonces moved to `nonce`). */
    | { kind: 'signatures-cancelled'; nonce: bigint }
    /**
     * A grant that ended by itself at `expiresAt` (no transaction does it): `blockTime` is the expiry, and the block,
     * transaction and log are those of the grant that set it.
     */
    | { kind: 'access-expired'; doctor: string; serial: number; expiresAt: number }
    /** An approved delegation that ended by itself at `expiresAt`; located like `access-expired`. */
    | { kind: 'delegation-expired'; colleague: string; expiresAt: number }
  );

/** The kinds of {@link TimelineEvent}. */
export type TimelineEventKind = TimelineEvent['kind'];

/** The timeline event of one kind. */
export type TimelineEventOf<K extends TimelineEventKind> = Extract<TimelineEvent, { kind: K }>;

/**
 * Orders timeline events as the chain did: by block, then by position in the block.
 *
 * @example
 * ```ts
 * import { compareTimelineEvents, type TimelineEvent } from '@mhrchain/consent';
 *
 * declare const events: TimelineEvent[];
 * events.sort(compareTimelineEvents);
 * ```
 */
export function compareTimelineEvents(
  a: Pick<TimelineEventBase, 'blockNumber' | 'logIndex'>,
  b: Pick<TimelineEventBase, 'blockNumber' | 'logIndex'>,
): number {
  return a.blockNumber - b.blockNumber || a.logIndex - b.logIndex;
}

/**
 * Orders timeline events in time: by block time, then as the chain did. Derived events (an expiry, which no
 * transaction marks) take their place at the time they happened.
 *
 * @example
 * ```ts
 * import { compareTimelineTimes, type TimelineEvent } from '@mhrchain/consent';
 *
 * declare const events: TimelineEvent[];
 * events.sort(compareTimelineTimes);
 * ```
 */
export function compareTimelineTimes(
  a: Pick<TimelineEventBase, 'blockTime' | 'blockNumber' | 'logIndex'>,
  b: Pick<TimelineEventBase, 'blockTime' | 'blockNumber' | 'logIndex'>,
): number {
  return a.blockTime - b.blockTime || compareTimelineEvents(a, b);
}

/**
 * The other party of the patient in an event (doctor or colleague), if any.
 *
 * @example
 * ```ts
 * import { counterpartOf, type TimelineEvent } from '@mhrchain/consent';
 *
 * declare const event: TimelineEvent;
 * counterpartOf(event); // the doctor's address for access events
 * ```
 */
export function counterpartOf(event: TimelineEvent): string | undefined {
  if ('colleague' in event) return event.colleague;
  if ('doctor' in event) return event.doctor;
  return undefined;
}
