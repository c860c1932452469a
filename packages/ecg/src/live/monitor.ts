import { designEcgFilter } from '../biquad.js';
import { createStreamingFilter, type StreamingFilter } from '../filter.js';
import {
  createHeartRateAlerts,
  type HeartRateAlert,
  type HeartRateAlerts,
  type HeartRateAlertsParameters,
} from '../heartRateAlerts.js';
import { createQrsDetector, type QrsDetector } from '../qrsDetector.js';
import type { LiveGapEvent, LiveStreamEvent } from './subscriber.js';

/** Filtered samples of one frame, ready to draw. */
export interface MonitorSamplesEvent {
  readonly type: 'samples';
  readonly sequence: number;
  /** Index (per channel) of the first sample. */
  readonly firstSampleIndex: number;
  readonly sampleRate: number;
  readonly channels: number;
  /** Band-passed (and notched) samples, interleaved, in the signal's units. */
  readonly filtered: Float64Array;
}

/** A detected heartbeat, with the heart rate. */
export interface MonitorBeatEvent {
  readonly type: 'beat';
  /** Sample index (per channel, since the stream started) of the R peak. */
  readonly sample: number;
  /** Seconds since the stream started. */
  readonly time: number;
  /** Instantaneous heart rate (bpm), when there was a previous beat. */
  readonly heartRate: number | undefined;
  /** Heart rate averaged over the last beats (bpm). */
  readonly averageHeartRate: number | undefined;
}

/** A heart-rate alert starting or ending (bradycardia, tachycardia, pause). */
export interface MonitorAlertEvent {
  readonly type: 'alert';
  readonly alert: HeartRateAlert;
}

/** The signal was interrupted (frames lost) and detection restarts after it. */
export interface MonitorSignalLossEvent {
  readonly type: 'signal-loss';
  /** Lost frames, by sequence number. */
  readonly from: number;
  readonly to: number;
  /** Why: see {@link LiveGapEvent} (`dropped` by the wearable's offline queue, or `missing`). */
  readonly reason: LiveGapEvent['reason'];
}

/** Any other stream event, passed through (keys, access, rejections, connection). */
export interface MonitorStreamEvent {
  readonly type: 'stream';
  readonly event: Exclude<LiveStreamEvent, { type: 'frame' }>;
}

/** What a live monitor emits. */
export type MonitorEvent =
  | MonitorSamplesEvent
  | MonitorBeatEvent
  | MonitorAlertEvent
  | MonitorSignalLossEvent
  | MonitorStreamEvent;

/** Parameters of {@link createLiveMonitor}. */
export interface CreateLiveMonitorParameters {
  /** Filter preset for the displayed signal. Default: `monitoring` (0.5–40 Hz). */
  readonly preset?: 'monitoring' | 'diagnostic';
  /** Mains frequency to notch out. */
  readonly mains?: 50 | 60;
  /** Leads the beat detector uses. Default: `[0]`. */
  readonly leads?: readonly number[];
  /** Alert limits (bradycardia, tachycardia, pause; the sample rate comes from the stream). */
  readonly alerts?: Omit<HeartRateAlertsParameters, 'sampleRate'>;
  /** Emit `samples` events (filtered signal for display). Default: true. */
  readonly samples?: boolean;
}

/** A live monitor: push stream events in, get monitor events out (synchronous, for any scheduler). */
export interface LiveMonitor {
  /** Processes one stream event; returns the monitor events it produces, in order. */
  push(event: LiveStreamEvent): MonitorEvent[];
  /** The same, as a Web Stream transform. */
  readonly transform: TransformStream<LiveStreamEvent, MonitorEvent>;
}

/**
 * The doctor's live ECG monitor: filters each decrypted frame for display, detects beats (Pan–Tompkins family
 * detector of this package), and raises heart-rate alerts (bradycardia, tachycardia, pause). A gap in the stream
 * gives a `signal-loss` event and detection starts again after it, so lost frames are never mistaken for a pause.
 *
 * @example
 * ```ts
 * import { createLiveMonitor, type LiveSubscription } from '@mhrchain/ecg/live';
 *
 * declare const subscription: LiveSubscription;
 * const monitor = createLiveMonitor({ alerts: { tachycardiaAbove: 130 } });
 * for await (const event of subscription) {
 *   for (const out of monitor.push(event)) {
 *     if (out.type === 'beat') console.log(`${out.averageHeartRate?.toFixed(0)} bpm`);
 *     if (out.type === 'alert') console.log(out.alert.type, out.alert.phase);
 *   }
 * }
 * ```
 */
export function createLiveMonitor(parameters: CreateLiveMonitorParameters = {}): LiveMonitor {
  let sampleRate = 0;
  let channels = 0;
  let filter: StreamingFilter | undefined;
  let detector: QrsDetector | undefined;
  let alerts: HeartRateAlerts | undefined;
  let base = 0; // sample index at which the detector started
  let expectedSequence = -1;

  const start = (rate: number, count: number, firstSampleIndex: number) => {
    if (rate !== sampleRate || count !== channels || !filter) {
      sampleRate = rate;
      channels = count;
      const preset = parameters.preset === 'diagnostic' && rate > 300 ? 'diagnostic' : 'monitoring';
      filter = createStreamingFilter(
        designEcgFilter({ preset, sampleRate: rate, ...(parameters.mains ? { mains: parameters.mains } : {}) }),
        { channels: count },
      );
    }
    detector = createQrsDetector({ sampleRate: rate, channels: count, leads: parameters.leads ?? [0] });
    alerts = createHeartRateAlerts({ ...parameters.alerts, sampleRate: rate });
    base = firstSampleIndex;
  };

  const push = (event: LiveStreamEvent): MonitorEvent[] => {
    if (event.type === 'gap') {
      return [
        { type: 'stream', event },
        { type: 'signal-loss', from: event.from, to: event.to, reason: event.reason },
      ];
    }
    if (event.type !== 'frame') return [{ type: 'stream', event }];
    const out: MonitorEvent[] = [];
    if (
      !detector ||
      event.sampleRate !== sampleRate ||
      event.channels !== channels ||
      event.sequence !== expectedSequence
    ) {
      start(event.sampleRate, event.channels, event.firstSampleIndex);
    }
    expectedSequence = event.sequence + 1;
    const filtered = filter!.process(event.samples);
    if (parameters.samples !== false) {
      out.push({
        type: 'samples',
        sequence: event.sequence,
        firstSampleIndex: event.firstSampleIndex,
        sampleRate,
        channels,
        filtered,
      });
    }
    for (const beat of detector!.push(event.samples)) {
      const sample = base + beat.sample;
      out.push({
        type: 'beat',
        sample,
        time: sample / sampleRate,
        heartRate: beat.heartRate,
        averageHeartRate: beat.averageHeartRate,
      });
      for (const alert of alerts!.beat(beat)) out.push({ type: 'alert', alert: shift(alert) });
    }
    for (const alert of alerts!.advance(detector!.position)) out.push({ type: 'alert', alert: shift(alert) });
    return out;
  };

  const shift = (alert: HeartRateAlert): HeartRateAlert => ({
    ...alert,
    sample: alert.sample + base,
    time: (alert.sample + base) / sampleRate,
  });

  return {
    push,
    transform: new TransformStream<LiveStreamEvent, MonitorEvent>({
      transform(event, controller) {
        for (const out of push(event)) controller.enqueue(out);
      },
    }),
  };
}
