import { assertPublicKey, generateIdentity } from '@mhrchain/core';
import { randomBytes } from '@noble/hashes/utils.js';
import { encodeEcgFrame } from '../frame.js';
import { type LiveDeviceKey, type LiveStreamDescriptor, liveStreamTopic, parseDescriptor } from './device.js';
import { InvalidLiveParametersError, LiveTransportError } from './errors.js';
import { createKeyAnnouncement } from './internal/keyAnnouncement.js';
import { KEY_LENGTH, sealFrame, sealGapNotice, toHex } from './internal/wire.js';
import type { LiveTransport } from './transport.js';

/** An encoded ECG frame as the publisher produced it (what an archive stores). */
export interface PublishedFrame {
  /** Sequence number of the frame in the stream. */
  readonly sequence: number;
  /** Key epoch the frame was sealed under. */
  readonly epoch: number;
  /** Index (per channel) of the frame's first sample. */
  readonly firstSampleIndex: number;
  /** Samples per channel in the frame. */
  readonly sampleCount: number;
  /** The ECG codec frame (plaintext). */
  readonly encoded: Uint8Array;
}

/** Receives every frame the publisher produces, before it goes to the transport (an archive, a local recorder). */
export interface PublishedFrameSink {
  append(frame: PublishedFrame): void;
}

/**
 * What a {@link LivePublisher} does with the frames it is written.
 *
 * - `live`: frames are sealed under the key of `epoch` and published.
 * - `paused`: no frame is published (the sink still gets every frame). `no-readers`: the current recipients are
 *   empty (the last doctor was revoked, or none was granted yet); `rekey(recipients)` with at least one recipient
 *   resumes under a fresh key. `rekey-failed`: the new epoch's key could not be wrapped; the publisher fails closed
 *   until a later `rekey` succeeds.
 */
export type LivePublisherState =
  | { readonly status: 'live'; readonly epoch: number }
  | { readonly status: 'paused'; readonly reason: 'no-readers' | 'rekey-failed'; readonly epoch: number };

/**
 * Limits of the publisher's offline queue: the sealed frames it keeps while the transport is offline (a broker
 * restart, a lost network), sent in order once it is connected again. When a limit is passed the **oldest** queued
 * frames are dropped (the doctor gets the most recent signal first), and the publisher says so on the stream: a
 * gap notice (sealed under the epoch key, like a frame) naming the exact sequence range dropped, which subscribers
 * report as a `gap` event with reason `dropped`. The frames still reach the `sink` (archive).
 */
export interface LiveOfflineQueueLimits {
  /** Frames. Default: 1,200 (5 minutes of 250 ms frames). */
  readonly maxFrames?: number;
  /** Bytes of sealed frames. Default: 1 MiB. */
  readonly maxBytes?: number;
}

/** A contiguous range of sequence numbers the publisher dropped from its offline queue (inclusive). */
export interface LiveDroppedFrames {
  readonly from: number;
  readonly to: number;
}

/** Default {@link LiveOfflineQueueLimits}. */
export const LIVE_OFFLINE_QUEUE_DEFAULTS: Required<LiveOfflineQueueLimits> = {
  maxFrames: 1_200,
  maxBytes: 1_048_576,
};

/** Parameters of {@link createLivePublisher}. */
export interface CreateLivePublisherParameters {
  /** Where sealed frames go. */
  readonly transport: LiveTransport;
  /** The wearable's key: signs key announcements. */
  readonly device: LiveDeviceKey;
  /**
   * X25519 public keys of the doctors allowed to read the stream now (the patient's own key if wanted). Empty: the
   * publisher starts paused (see {@link LivePublisherState}).
   */
  readonly recipients: readonly Uint8Array[];
  /** Samples per second per channel. */
  readonly sampleRate: number;
  /** Interleaved channels (leads). */
  readonly channels: number;
  /** Bits per sample, 8..24. Default: 16. */
  readonly bitDepth?: number;
  /** Samples per channel in each live frame. Default: a quarter of a second. At most 250 ms of signal. */
  readonly frameSamples?: number;
  /** 16-byte stream id, hex. Default: random. */
  readonly streamId?: string;
  /** Topic. Default: {@link liveStreamTopic}. */
  readonly topic?: string;
  /** Device time of sample 0, ms since the Unix epoch. Default: the clock when the first samples are written. */
  readonly startTime?: number;
  /** Rekey automatically after this many ms (key expiry). Default: never. */
  readonly epochDurationMs?: number;
  /** Receives every encoded frame (for instance a {@link StreamArchive}). */
  readonly sink?: PublishedFrameSink;
  /** Called when a publish fails (the frame is still given to the sink). */
  readonly onError?: (error: LiveTransportError) => void;
  /** Called on every change of {@link LivePublisher.state}: each new epoch, each pause. */
  readonly onStateChange?: (state: LivePublisherState) => void;
  /** Limits of the offline queue. Default: {@link LIVE_OFFLINE_QUEUE_DEFAULTS}. */
  readonly offlineQueue?: LiveOfflineQueueLimits;
  /**
   * Called once per contiguous range of frames dropped from the offline queue, when its gap notice is sent (on
   * reconnection: the range is final then).
   */
  readonly onFramesDropped?: (range: LiveDroppedFrames) => void;
  /** Clock in ms. Default: `Date.now`. */
  readonly clock?: () => number;
}

/** Counters of a {@link LivePublisher}. */
export interface LivePublisherStats {
  /** Frames sealed and handed to the transport. */
  readonly frames: number;
  /** Bytes of sealed frames. */
  readonly bytes: number;
  /** Publishes that failed. */
  readonly failures: number;
  /** Key announcements published. */
  readonly announcements: number;
  /** Frames given to the sink but not published, because the stream was paused. */
  readonly withheld: number;
  /** Frames in the offline queue now (waiting for the transport to connect again). */
  readonly queued: number;
  /** Bytes of the frames in the offline queue now. */
  readonly queuedBytes: number;
  /** Frames dropped from the offline queue because a limit was passed (never published; the sink has them). */
  readonly dropped: number;
  /** Gap notices published (one per contiguous range dropped). */
  readonly gapNotices: number;
}

/** The wearable (patient) side of a live stream. */
export interface LivePublisher {
  /** What a doctor needs to subscribe (no secret in it). */
  readonly descriptor: LiveStreamDescriptor;
  /** The current key epoch (0 at start, +1 on each rekey). */
  readonly epoch: number;
  /** Live or paused, and why. */
  readonly state: LivePublisherState;
  /** The sequence number the next frame will carry. */
  readonly nextSequence: number;
  /** Counters. */
  readonly stats: LivePublisherStats;
  /**
   * Appends interleaved samples; every full frame is encoded, sealed and published at once. Resolves when the
   * frames are handed to the transport (not when the broker has them).
   */
  write(samples: Int32Array | Int16Array): void;
  /** The same as {@link LivePublisher.write}, as a Web Stream sink. */
  readonly writable: WritableStream<Int32Array | Int16Array>;
  /**
   * Starts a new key epoch and wraps its key for `recipients` (default: the current ones); resolves with the epoch
   * once its key announcement is published. Takes effect at the call: every frame written from then on is sealed
   * under the new key (and held back until its announcement is out), so a doctor left out can open none of them.
   *
   * With no recipients the publisher pauses (state `paused`, reason `no-readers`): the old key is dropped at once,
   * frames still go to the sink but none is published, and a signed announcement of the new epoch, whose key nobody
   * holds, replaces the retained one (every subscriber gets `access-denied`). A later `rekey` with recipients resumes
   * under a fresh key. `rekey()` or `rekey([])` while paused changes nothing.
   */
  rekey(recipients?: readonly Uint8Array[]): Promise<number>;
  /**
   * Publishes any partial frame, and waits until every publish is done (while the transport is offline, until it
   * is connected again and the offline queue is sent).
   */
  flush(): Promise<void>;
  /** Flushes, stops timers and listeners. Does not close the transport. */
  close(): Promise<void>;
}

function checkRecipients(recipients: readonly Uint8Array[]): Uint8Array[] {
  if (!Array.isArray(recipients)) throw new InvalidLiveParametersError('recipients must be an array of public keys.');
  for (const key of recipients) assertPublicKey(key);
  return [...recipients];
}

/**
 * Opens a live stream on a wearable: samples are cut into frames of at most 250 ms, encoded with the lossless ECG
 * codec, sealed with XChaCha20-Poly1305 under the epoch key (bound to stream id, epoch and sequence number) and
 * published. The epoch key is wrapped for each authorised doctor in a core envelope and announced on the same
 * topic, signed by the device key (retained, and again after every reconnection). With no recipients (at the
 * start, or after `rekey([])`) it pauses: frames go to the sink only, see {@link LivePublisherState}.
 *
 * @throws {@link InvalidLiveParametersError} for bad parameters.
 * @example
 * ```ts
 * import { generateIdentity } from '@mhrchain/core';
 * import { createLivePublisher, createMqttTransport, generateLiveDeviceKey, startMosquitto } from '@mhrchain/ecg/live';
 *
 * const broker = await startMosquitto();
 * const transport = await createMqttTransport({ url: broker.url });
 * const doctor = generateIdentity();
 * const publisher = await createLivePublisher({
 *   transport,
 *   device: generateLiveDeviceKey(),
 *   recipients: [doctor.publicKey],
 *   sampleRate: 360,
 *   channels: 2,
 * });
 * publisher.write(new Int32Array(2 * 360)); // one second: four frames
 * await publisher.rekey([]); // revoked: nothing is published until a doctor is granted again
 * console.log(publisher.state); // { status: 'paused', reason: 'no-readers', epoch: 1 }
 * await publisher.close();
 * ```
 */
export async function createLivePublisher(parameters: CreateLivePublisherParameters): Promise<LivePublisher> {
  const { transport, device, sampleRate, channels } = parameters;
  const bitDepth = parameters.bitDepth ?? 16;
  const frameSamples = parameters.frameSamples ?? Math.max(1, Math.floor(sampleRate / 4));
  const clock = parameters.clock ?? Date.now;
  if (!Number.isSafeInteger(frameSamples) || frameSamples < 1 || frameSamples / sampleRate > 0.25) {
    throw new InvalidLiveParametersError('frameSamples must be positive and at most 250 ms of signal.', {
      details: String(frameSamples),
    });
  }
  if (!(device?.secretKey instanceof Uint8Array) || !(device.publicKey instanceof Uint8Array)) {
    throw new InvalidLiveParametersError('A device key is required.');
  }
  const streamIdHex = parameters.streamId ?? toHex(randomBytes(16));
  const descriptor: LiveStreamDescriptor = {
    streamId: streamIdHex,
    topic: parameters.topic ?? liveStreamTopic(streamIdHex),
    devicePublicKey: toHex(device.publicKey),
    sampleRate,
    channels,
    bitDepth,
  };
  const { streamId } = parseDescriptor(descriptor);
  const recipients = checkRecipients(parameters.recipients);
  // Checks sample rate, channels and bit depth the way the codec does.
  encodeEcgFrame(new Int32Array(channels), { sampleRate, channels, bitDepth });

  const pausedOrLive = (epoch: number, key: Uint8Array | undefined): LivePublisherState =>
    key ? { status: 'live', epoch } : { status: 'paused', reason: 'no-readers', epoch };
  let sequence = 0;
  // The epoch frames are sealed under now, wrapped for `readers`. `key` is undefined while paused; `held` collects
  // the sealed frames written before the epoch's announcement is published, and is undefined once it is.
  interface Epoch {
    epoch: number;
    readers: Uint8Array[];
    key: Uint8Array | undefined;
    held: { sealed: Uint8Array; sequence: number }[] | undefined;
  }
  const openEpoch = (epoch: number, readers: Uint8Array[]): Epoch => ({
    epoch,
    readers,
    key: readers.length > 0 ? randomBytes(KEY_LENGTH) : undefined,
    held: [],
  });
  let current = openEpoch(0, recipients);
  let state: LivePublisherState = pausedOrLive(0, current.key);
  let announcement: Uint8Array = new Uint8Array(0);
  let startTime = parameters.startTime;
  let sampleIndex = 0; // per channel, of the next frame's first sample
  const frameLength = frameSamples * channels;
  const buffer = new Int32Array(frameLength);
  let buffered = 0;
  // Publishes handed to the transport and not settled yet, and who waits for them to be.
  let inFlight = 0;
  const settled: (() => void)[] = [];
  const stats = { frames: 0, bytes: 0, failures: 0, announcements: 0, withheld: 0, dropped: 0, gapNotices: 0 };
  let closed = false;
  const limits = { ...LIVE_OFFLINE_QUEUE_DEFAULTS, ...parameters.offlineQueue };
  for (const name of ['maxFrames', 'maxBytes'] as const) {
    if (!Number.isSafeInteger(limits[name]) || limits[name] < 1) {
      throw new InvalidLiveParametersError(`offlineQueue.${name} must be a positive integer.`, {
        details: String(limits[name]),
      });
    }
  }

  const setState = (next: LivePublisherState) => {
    state = next;
    parameters.onStateChange?.(next);
  };

  // One reaction per publish, no promise of its own (this runs for every frame).
  const done = () => {
    if (--inFlight === 0) for (const resolve of settled.splice(0)) resolve();
  };
  const failed = (cause: unknown) => {
    stats.failures++;
    try {
      const error = cause instanceof LiveTransportError ? cause : new LiveTransportError('Publish failed.', { cause });
      parameters.onError?.(error);
    } finally {
      done();
    }
  };
  const track = (promise: Promise<void>) => {
    inFlight++;
    promise.then(done, failed);
  };

  // The offline queue: what is published while the transport is offline waits here, in order, and is sent when it
  // connects again (before anything newer). Frames past the limits are dropped oldest first; the ranges dropped
  // travel with the oldest frame still queued and go out as gap notices just before it.
  interface Queued {
    readonly announcement: boolean;
    readonly bytes: Uint8Array;
    readonly epoch: number;
    readonly sequence: number;
    readonly key: Uint8Array | undefined;
    dropped: LiveDroppedFrames[] | undefined;
  }
  let online = transport.connected;
  let outbox: (Queued | undefined)[] = [];
  let outboxHead = 0;
  let queuedFrames = 0;
  let queuedBytes = 0;
  const drained: (() => void)[] = [];

  const dropOldestFrame = () => {
    let i = outboxHead;
    while (outbox[i]!.announcement) i++;
    const oldest = outbox[i]!;
    let next = i;
    if (i === outboxHead) {
      outbox[outboxHead++] = undefined;
      next = outboxHead;
    } else outbox.splice(i, 1); // behind an announcement queued meanwhile: rare
    queuedFrames--;
    queuedBytes -= oldest.bytes.length;
    stats.dropped++;
    const ranges = oldest.dropped ?? [];
    const last = ranges.at(-1);
    if (last && last.to === oldest.sequence - 1) ranges[ranges.length - 1] = { from: last.from, to: oldest.sequence };
    else ranges.push({ from: oldest.sequence, to: oldest.sequence });
    while (outbox[next]!.announcement) next++;
    outbox[next]!.dropped = ranges;
  };

  const enqueue = (entry: Queued) => {
    outbox.push(entry);
    if (entry.announcement) return;
    queuedFrames++;
    queuedBytes += entry.bytes.length;
    while (queuedFrames > 1 && (queuedFrames > limits.maxFrames || queuedBytes > limits.maxBytes)) dropOldestFrame();
    if (outboxHead > 1024 && outboxHead * 2 > outbox.length) {
      outbox = outbox.slice(outboxHead);
      outboxHead = 0;
    }
  };

  const sendAnnouncement = (bytes: Uint8Array) => {
    stats.announcements++;
    track(transport.publish(descriptor.topic, bytes, { retain: true }));
  };

  const sendFrame = (entry: Pick<Queued, 'bytes' | 'epoch' | 'key' | 'dropped'>) => {
    for (const range of entry.dropped ?? []) {
      stats.gapNotices++;
      track(
        transport.publish(descriptor.topic, sealGapNotice(entry.key!, streamId, entry.epoch, range.from, range.to)),
      );
      parameters.onFramesDropped?.(range);
    }
    stats.frames++;
    stats.bytes += entry.bytes.length;
    track(transport.publish(descriptor.topic, entry.bytes));
  };

  const sendQueued = () => {
    for (let i = outboxHead; i < outbox.length; i++) {
      const entry = outbox[i]!;
      if (entry.announcement) sendAnnouncement(entry.bytes);
      else sendFrame(entry);
    }
    outbox = [];
    outboxHead = 0;
    queuedFrames = 0;
    queuedBytes = 0;
    for (const resolve of drained.splice(0)) resolve();
  };

  const announce = () => {
    if (online) sendAnnouncement(announcement);
    else
      enqueue({ announcement: true, bytes: announcement, epoch: 0, sequence: 0, key: undefined, dropped: undefined });
  };

  const publishFrame = (sealed: Uint8Array, epoch: number, sequence: number, key: Uint8Array) => {
    if (online) sendFrame({ bytes: sealed, epoch, key, dropped: undefined });
    else enqueue({ announcement: false, bytes: sealed, epoch, sequence, key, dropped: undefined });
  };

  // Wraps the epoch's key (a throwaway key, for a recipient nobody holds, while paused), publishes the signed
  // announcement, then the frames held back meanwhile. Runs one epoch after the other.
  const announceEpoch = async (epoch: Epoch, firstSequence: number) => {
    try {
      announcement = await createKeyAnnouncement({
        streamId,
        epoch: epoch.epoch,
        firstSequence,
        epochKey: epoch.key ?? randomBytes(KEY_LENGTH),
        recipients: epoch.key ? epoch.readers : [generateIdentity().publicKey],
        deviceSecretKey: device.secretKey,
      });
    } catch (cause) {
      // Fail closed: without an announcement nobody could read the held frames anyway.
      stats.withheld += epoch.held?.length ?? 0;
      epoch.held = undefined;
      epoch.key = undefined;
      if (current === epoch) setState({ status: 'paused', reason: 'rekey-failed', epoch: epoch.epoch });
      throw cause;
    }
    announce();
    const held = epoch.held ?? [];
    epoch.held = undefined;
    for (const { sealed, sequence } of held) publishFrame(sealed, epoch.epoch, sequence, epoch.key!);
    return epoch.epoch;
  };

  const emitFrame = (samples: Int32Array | Int16Array) => {
    if (startTime === undefined) startTime = clock();
    const encoded = encodeEcgFrame(samples, {
      sampleRate,
      channels,
      bitDepth,
      firstSampleIndex: sampleIndex,
      timestamp: Math.round(startTime + (sampleIndex * 1000) / sampleRate),
    });
    const sampleCount = samples.length / channels;
    const { epoch, key, held } = current;
    parameters.sink?.append({ sequence, epoch, firstSampleIndex: sampleIndex, sampleCount, encoded });
    if (!key) stats.withheld++;
    else {
      const sealed = sealFrame(key, streamId, epoch, sequence, encoded);
      if (held) held.push({ sealed, sequence });
      else publishFrame(sealed, epoch, sequence, key);
    }
    sequence++;
    sampleIndex += sampleCount;
  };

  const write = (samples: Int32Array | Int16Array) => {
    if (closed) throw new InvalidLiveParametersError('The publisher is closed.');
    if (startTime === undefined) startTime = clock() - (samples.length / channels / sampleRate) * 1000;
    let offset = 0;
    while (offset < samples.length) {
      // Whole frames in the input are encoded from it (no copy); only a partial frame goes through the buffer.
      if (buffered === 0 && samples.length - offset >= frameLength) {
        emitFrame(samples.subarray(offset, offset + frameLength));
        offset += frameLength;
        continue;
      }
      const take = Math.min(frameLength - buffered, samples.length - offset);
      buffer.set(samples.subarray(offset, offset + take), buffered);
      buffered += take;
      offset += take;
      if (buffered === frameLength) {
        emitFrame(buffer); // encoded at once: the buffer can be reused
        buffered = 0;
      }
    }
  };

  let rekeying: Promise<number> = announceEpoch(current, 0);
  await rekeying;
  const rekey = (next?: readonly Uint8Array[]) => {
    const nextRecipients = next === undefined ? current.readers : checkRecipients(next);
    const after = rekeying.catch(() => current.epoch);
    // Already paused for want of readers: nothing to rotate.
    if (nextRecipients.length === 0 && current.readers.length === 0 && !current.key) {
      return after.then(() => current.epoch);
    }
    // The switch happens now, synchronously: no frame written after this call is sealed under the old key.
    const epoch = openEpoch(current.epoch + 1, nextRecipients);
    const firstSequence = sequence;
    current = epoch;
    if (!epoch.key) setState(pausedOrLive(epoch.epoch, undefined));
    rekeying = after.then(async () => {
      await announceEpoch(epoch, firstSequence);
      if (current === epoch && epoch.key) setState(pausedOrLive(epoch.epoch, epoch.key));
      return epoch.epoch;
    });
    return rekeying;
  };

  const offOffline = transport.on('offline', () => {
    online = false;
  });
  const offConnect = transport.on('connect', () => {
    if (closed) return;
    online = true;
    sendQueued();
    announce();
  });
  const timer =
    parameters.epochDurationMs !== undefined
      ? setInterval(() => void rekey().catch(() => undefined), parameters.epochDurationMs)
      : undefined;

  const flush = async () => {
    if (buffered > 0 && buffered % channels === 0) {
      emitFrame(buffer.slice(0, buffered));
      buffered = 0;
    }
    await rekeying.catch(() => undefined);
    while (outboxHead < outbox.length) await new Promise<void>((resolve) => drained.push(resolve));
    while (inFlight > 0) await new Promise<void>((resolve) => settled.push(resolve));
  };

  return {
    descriptor,
    get epoch() {
      return current.epoch;
    },
    get state() {
      return state;
    },
    get nextSequence() {
      return sequence;
    },
    get stats() {
      return { ...stats, queued: queuedFrames, queuedBytes };
    },
    write,
    writable: new WritableStream<Int32Array | Int16Array>({
      write: (chunk) => write(chunk),
      close: () => flush(),
    }),
    rekey,
    flush,
    async close() {
      if (closed) return;
      await flush();
      closed = true;
      offConnect();
      offOffline();
      if (timer) clearInterval(timer);
    },
  };
}
