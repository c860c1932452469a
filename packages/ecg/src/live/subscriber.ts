import type { Identity } from '@mhrchain/core';
import { decodeEcgFrame } from '../frame.js';
import { type LiveStreamDescriptor, parseDescriptor } from './device.js';
import { LiveAccessDeniedError, LiveMessageRejectedError, type LiveMessageRejection } from './errors.js';
import { openKeyAnnouncement } from './internal/keyAnnouncement.js';
import { createSequenceTracker } from './internal/sequenceTracker.js';
import { equalBytes, openFrame, openGapNotice, readPrefix, TYPE_FRAME, TYPE_GAP, TYPE_KEY } from './internal/wire.js';
import type { LiveTransport } from './transport.js';

/** A decrypted, decoded live frame. */
export interface LiveFrameEvent {
  readonly type: 'frame';
  /** Sequence number in the stream. */
  readonly sequence: number;
  /** Key epoch it was sealed under. */
  readonly epoch: number;
  /** Index (per channel) of the first sample since the stream started. */
  readonly firstSampleIndex: number;
  /** Device time of the first sample, ms since the Unix epoch. */
  readonly timestamp: number | undefined;
  readonly sampleRate: number;
  readonly channels: number;
  /** Interleaved samples: `samples[t * channels + c]`. */
  readonly samples: Int32Array;
}

/**
 * Frames `from`..`to` (inclusive) will not arrive.
 *
 * - `dropped`: the wearable dropped them from its offline queue (a limit was passed while it could not reach the
 *   broker) and said so in a gap notice sealed under the epoch key. Reported as soon as the notice arrives.
 * - `missing`: they did not arrive and nobody said why (lost on the way, with a clean session or a broker that
 *   forgot them; withheld while the stream was paused). Reported when the next frame arrives.
 */
export interface LiveGapEvent {
  readonly type: 'gap';
  readonly from: number;
  readonly to: number;
  readonly reason: 'dropped' | 'missing';
}

/** A new key epoch this subscriber can read. */
export interface LiveKeyEvent {
  readonly type: 'key';
  readonly epoch: number;
  /** First sequence number sealed under this epoch. */
  readonly firstSequence: number;
}

/** The stream's current key was not wrapped for this subscriber: no access from `epoch` on. */
export interface LiveAccessDeniedEvent {
  readonly type: 'access-denied';
  readonly epoch: number;
  readonly error: LiveAccessDeniedError;
}

/** A message was rejected (the stream goes on). */
export interface LiveRejectedEvent {
  readonly type: 'rejected';
  readonly error: LiveMessageRejectedError;
}

/** The transport lost or regained its connection. */
export interface LiveConnectionEvent {
  readonly type: 'connection';
  readonly state: 'offline' | 'connect';
}

/** What a live subscription emits, in order. */
export type LiveStreamEvent =
  | LiveFrameEvent
  | LiveGapEvent
  | LiveKeyEvent
  | LiveAccessDeniedEvent
  | LiveRejectedEvent
  | LiveConnectionEvent;

/** Counters of a {@link LiveSubscription}. */
export interface LiveSubscriptionStats {
  /** Messages received on the topic. */
  readonly received: number;
  /** Frames decrypted and decoded. */
  readonly frames: number;
  /** Frames reported by gap events (both reasons). */
  readonly missing: number;
  /** Of those, the frames the wearable reported dropped from its offline queue (gap reason `dropped`). */
  readonly dropped: number;
  /** Gap events. */
  readonly gaps: number;
  /** Rejected messages by reason. */
  readonly rejected: Readonly<Record<LiveMessageRejection, number>>;
  /** The newest sequence number delivered (-1 before the first). */
  readonly lastSequence: number;
}

/** Parameters of {@link subscribeLiveStream}. */
export interface SubscribeLiveStreamParameters {
  readonly transport: LiveTransport;
  /** The stream to read, as the patient shared it. */
  readonly descriptor: LiveStreamDescriptor;
  /** The doctor's X25519 identity (a recipient of the stream key). */
  readonly identity: Identity;
  /** Also called synchronously for every event (besides the `events` stream). */
  readonly onEvent?: (event: LiveStreamEvent) => void;
  /** Do not buffer events into `events` (when only `onEvent` is used). Default: false. */
  readonly callbackOnly?: boolean;
}

/** A doctor's subscription to a live stream. */
export interface LiveSubscription {
  /** Every event in order: frames, gaps, keys, rejections, access changes, connection changes. */
  readonly events: ReadableStream<LiveStreamEvent>;
  /**
   * Resolves with the first epoch whose key this identity opens; rejects with {@link LiveAccessDeniedError}
   * when the first key announcement seen is not for it.
   */
  readonly access: Promise<number>;
  /** Counters. */
  readonly stats: LiveSubscriptionStats;
  /** Unsubscribes and ends `events`. */
  close(): Promise<void>;
  /** Iterates `events` (locks it). */
  [Symbol.asyncIterator](): AsyncIterator<LiveStreamEvent>;
}

/** Messages held while waiting for the first key announcement. */
const EARLY_LIMIT = 10_000;

const REASONS: readonly LiveMessageRejection[] = [
  'malformed',
  'foreign-stream',
  'bad-signature',
  'bad-frame',
  'no-key',
  'replay',
  'late',
  'stale-epoch',
  'undecodable',
];

/**
 * Subscribes a doctor to a live stream: verifies each key announcement's device signature, opens the epoch key
 * with the doctor's identity (access check), then opens every frame (checking stream id, epoch and sequence in the
 * AEAD), rejects replays and late frames, reports gaps by sequence number and decodes the ECG. Malformed or
 * foreign messages become counted `rejected` events; the stream goes on.
 *
 * @example
 * ```ts
 * import { generateIdentity } from '@mhrchain/core';
 * import { createMqttTransport, type LiveStreamDescriptor, subscribeLiveStream } from '@mhrchain/ecg/live';
 *
 * declare const descriptor: LiveStreamDescriptor; // shared by the patient
 * const doctor = generateIdentity();
 * const transport = await createMqttTransport({ url: 'mqtt://127.0.0.1:1883' });
 * const subscription = await subscribeLiveStream({ transport, descriptor, identity: doctor });
 * for await (const event of subscription) {
 *   if (event.type === 'frame') console.log(event.sequence, event.samples.length);
 *   if (event.type === 'gap') console.log(`lost ${event.from}..${event.to}`);
 * }
 * ```
 */
export async function subscribeLiveStream(parameters: SubscribeLiveStreamParameters): Promise<LiveSubscription> {
  const { transport, descriptor, identity } = parameters;
  const { streamId, devicePublicKey } = parseDescriptor(descriptor);
  const keys = new Map<number, Uint8Array>();
  let currentEpoch = -1;
  const tracker = createSequenceTracker();
  const rejected = Object.fromEntries(REASONS.map((r) => [r, 0])) as Record<LiveMessageRejection, number>;
  const stats = { received: 0, frames: 0, missing: 0, dropped: 0, gaps: 0 };
  let controller!: ReadableStreamDefaultController<LiveStreamEvent>;
  let closed = false;
  const events = new ReadableStream<LiveStreamEvent>({
    start(c) {
      controller = c;
    },
  });
  let resolveAccess!: (epoch: number) => void;
  let rejectAccess!: (error: unknown) => void;
  let accessSettled = false;
  const access = new Promise<number>((resolve, reject) => {
    resolveAccess = resolve;
    rejectAccess = reject;
  });
  access.catch(() => undefined);

  const emit = (event: LiveStreamEvent) => {
    if (closed) return;
    parameters.onEvent?.(event);
    if (!parameters.callbackOnly) controller.enqueue(event);
  };
  const reject = (reason: LiveMessageRejection, details?: string, cause?: unknown) => {
    rejected[reason]++;
    emit({ type: 'rejected', error: new LiveMessageRejectedError({ reason, details, cause }) });
  };

  // Frames (and gap notices) that come before the first key announcement: a resumed persistent session delivers
  // what the broker queued for it before the retained announcement. Held, up to EARLY_LIMIT, until access is
  // settled, then handled in order.
  const early: Uint8Array[] = [];
  const holdEarly = (bytes: Uint8Array) => {
    if (accessSettled || early.length >= EARLY_LIMIT) return false;
    early.push(bytes.slice());
    return true;
  };
  const handleEarly = () => {
    for (const bytes of early.splice(0)) handle(bytes);
  };

  const handleFrame = (bytes: Uint8Array, epoch: number, sequence: number) => {
    const key = keys.get(epoch);
    if (!key) return holdEarly(bytes) ? undefined : reject('no-key', `epoch ${epoch}`);
    const plaintext = openFrame(key, bytes);
    if (!plaintext) return reject('bad-frame', `sequence ${sequence}`);
    const verdict = tracker.check(sequence);
    if (verdict === 'replay' || verdict === 'late') return reject(verdict, `sequence ${sequence}`);
    let frame: ReturnType<typeof decodeEcgFrame>;
    try {
      frame = decodeEcgFrame(plaintext);
    } catch (cause) {
      tracker.accept(sequence);
      return reject('undecodable', `sequence ${sequence}`, cause);
    }
    const gap = tracker.accept(sequence);
    if (gap) reportGap(gap.from, gap.to, 'missing');
    stats.frames++;
    emit({
      type: 'frame',
      sequence,
      epoch,
      firstSampleIndex: frame.header.firstSampleIndex,
      timestamp: frame.header.timestamp,
      sampleRate: frame.header.sampleRate,
      channels: frame.header.channels,
      samples: frame.samples,
    });
  };

  const reportGap = (from: number, to: number, reason: LiveGapEvent['reason']) => {
    stats.gaps++;
    stats.missing += to - from + 1;
    if (reason === 'dropped') stats.dropped += to - from + 1;
    emit({ type: 'gap', from, to, reason });
  };

  // The wearable dropped `from`..`to` from its offline queue. Everything sent before the notice has arrived (the
  // transport keeps order), so what is still missing before `from` is reported now as well.
  const handleGapNotice = (bytes: Uint8Array, epoch: number, from: number) => {
    const key = keys.get(epoch);
    if (!key) return holdEarly(bytes) ? undefined : reject('no-key', `epoch ${epoch}`);
    const to = openGapNotice(key, bytes);
    if (to === undefined || to < from) return reject('bad-frame', `gap notice from ${from}`);
    const last = tracker.last;
    if (to <= last) return reject('replay', `gap notice ${from}..${to}`);
    if (last >= 0 && from > last + 1) reportGap(last + 1, from - 1, 'missing');
    reportGap(Math.max(from, last + 1), to, 'dropped');
    tracker.skip(to);
  };

  const handleKey = async (bytes: Uint8Array) => {
    const opened = await openKeyAnnouncement(bytes, devicePublicKey, identity);
    if (opened === 'malformed') return reject('malformed', 'key announcement');
    if (opened === 'bad-signature') return reject('bad-signature');
    if (opened.epoch < currentEpoch) return reject('stale-epoch', `epoch ${opened.epoch} < ${currentEpoch}`);
    if (opened.epoch === currentEpoch && keys.has(opened.epoch)) return; // repeated announcement
    if (opened.epoch === currentEpoch && !opened.key) return;
    currentEpoch = opened.epoch;
    if (!opened.key) {
      const error = new LiveAccessDeniedError({ epoch: opened.epoch });
      if (!accessSettled) {
        accessSettled = true;
        rejectAccess(error);
      }
      emit({ type: 'access-denied', epoch: opened.epoch, error });
      handleEarly();
      return;
    }
    keys.set(opened.epoch, opened.key);
    for (const epoch of keys.keys()) if (epoch < opened.epoch - 1) keys.delete(epoch);
    if (!accessSettled) {
      accessSettled = true;
      resolveAccess(opened.epoch);
    }
    emit({ type: 'key', epoch: opened.epoch, firstSequence: opened.sequence });
    handleEarly();
  };

  // Messages are handled strictly in arrival order; only key announcements are asynchronous.
  const queue: Uint8Array[] = [];
  let draining = false;
  const drain = async () => {
    draining = true;
    while (queue.length > 0 && !closed) {
      const bytes = queue.shift()!;
      await handle(bytes);
    }
    draining = false;
  };
  const handle = (bytes: Uint8Array): Promise<void> | undefined => {
    const prefix = readPrefix(bytes);
    if (!prefix) return void reject('malformed', `${bytes.length} bytes`);
    if (!equalBytes(prefix.streamId, streamId)) return void reject('foreign-stream');
    if (prefix.type === TYPE_KEY) return handleKey(bytes);
    if (prefix.type === TYPE_FRAME) handleFrame(bytes, prefix.epoch, prefix.sequence);
    else if (prefix.type === TYPE_GAP) handleGapNotice(bytes, prefix.epoch, prefix.sequence);
    return undefined;
  };
  const onMessage = (payload: Uint8Array) => {
    if (closed) return;
    stats.received++;
    // The transport may reuse its buffer: keep a copy while queued.
    if (draining) {
      queue.push(payload.slice());
      return;
    }
    const pending = handle(payload);
    if (pending) {
      draining = true;
      void pending.then(drain);
    }
  };

  const offOffline = transport.on('offline', () => emit({ type: 'connection', state: 'offline' }));
  const offConnect = transport.on('connect', () => emit({ type: 'connection', state: 'connect' }));
  const unsubscribe = await transport.subscribe(descriptor.topic, onMessage);

  return {
    events,
    access,
    async *[Symbol.asyncIterator]() {
      const reader = events.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          yield value;
        }
      } finally {
        reader.releaseLock();
      }
    },
    get stats() {
      return { ...stats, rejected: { ...rejected }, lastSequence: tracker.last };
    },
    async close() {
      if (closed) return;
      closed = true;
      offOffline();
      offConnect();
      await unsubscribe();
      controller.close();
    },
  };
}
