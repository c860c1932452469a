import { type PurposeOfUse, purposeOfUse, type TimelineEvent } from '@mhrchain/consent';
import { categoryLabel } from '../../common/config.js';
import { formatDuration, formatScope, formatUnixTime } from './format.js';
import type { Directory } from './people.js';

/** One line of the patient's access log. */
export interface AccessLogEntry {
  /** Stable key: transaction, log index and kind. */
  key: string;
  kind: TimelineEvent['kind'];
  /** Block time (the expiry time for expiries), Unix seconds. */
  time: number;
  /** What happened, in words. */
  text: string;
  /** The transaction that did it (for expiries: the grant that set the expiry). */
  transactionHash: string;
}

/** A purpose of use as a person reads it: `Treatment (TREAT)`. */
export function purposeText(purpose: PurposeOfUse): string {
  const { display, code } = purposeOfUse(purpose);
  return `${display.charAt(0).toUpperCase()}${display.slice(1)} (${code})`;
}

/**
 * One timeline event in words, from the patient's point of view (`You …` for what the patient did), with names from
 * the app's directory.
 */
export function describeEvent(event: TimelineEvent, name: Directory): string {
  const by = (actor: string) => (actor.toLowerCase() === event.patient.toLowerCase() ? 'You' : name(actor));
  switch (event.kind) {
    case 'identity-registered':
      return 'You registered your encryption key.';
    case 'encryption-key-rotated':
      return 'Your encryption key was replaced.';
    case 'record-anchored':
      return `A record was added to ${categoryLabel(event.category)}.`;
    case 'record-superseded':
      return `A record was encrypted again for the people who may read it now (version ${event.version}).`;
    case 'access-requested':
      return `${name(event.doctor)} asked to read ${formatScope(event.scope)} for ${formatDuration(event.duration)}, for ${purposeText(event.purpose)}.`;
    case 'access-granted':
      return `${by(event.actor)} gave ${name(event.doctor)} access to ${formatScope(event.scope)} until ${formatUnixTime(event.expiresAt)}.`;
    case 'access-rejected':
      return `${by(event.actor)} declined the request of ${name(event.doctor)}.`;
    case 'access-revoked':
      return `${by(event.actor)} revoked the access of ${name(event.doctor)}; their records were locked with a new key.`;
    case 'access-expired':
      return `The access of ${name(event.doctor)} expired.`;
    case 'delegation-requested':
      return `${name(event.doctor)} asked to share ${formatScope(event.scope)} with ${name(event.colleague)} until ${formatUnixTime(event.expiresAt)}.`;
    case 'delegation-approved':
      return `${by(event.actor)} approved sharing with ${name(event.colleague)}.`;
    case 'delegation-rejected':
      return `${by(event.actor)} declined sharing with ${name(event.colleague)}.`;
    case 'delegation-revoked':
      return `${by(event.actor)} ended sharing with ${name(event.colleague)}.`;
    case 'delegation-expired':
      return `Sharing with ${name(event.colleague)} expired.`;
    case 'signatures-cancelled':
      return 'You cancelled every signed action not sent yet.';
    default:
      return `Event: ${(event as { kind: string }).kind}.`;
  }
}

/**
 * The patient's timeline as access-log lines, newest first. The records one transaction encrypts again (a key
 * release or a rotation) make one line.
 */
export function accessLog(timeline: readonly TimelineEvent[], name: Directory): AccessLogEntry[] {
  const entries: Array<AccessLogEntry & { count: number }> = [];
  for (const event of timeline) {
    const last = entries.at(-1);
    if (
      event.kind === 'record-superseded' &&
      last?.kind === event.kind &&
      last.transactionHash === event.transactionHash
    ) {
      last.count++;
      last.text = `${last.count} records were encrypted again for the people who may read them now.`;
      continue;
    }
    entries.push({
      key: `${event.transactionHash}:${event.logIndex}:${event.kind}`,
      kind: event.kind,
      time: event.blockTime,
      text: describeEvent(event, name),
      transactionHash: event.transactionHash,
      count: 1,
    });
  }
  return entries.reverse().map(({ count: _, ...entry }) => entry);
}
