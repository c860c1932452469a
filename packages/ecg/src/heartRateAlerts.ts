import { InvalidEcgParametersError } from './errors.js';
import type { QrsBeat } from './qrsDetector.js';

/** Kinds of heart-rate alert. */
export type HeartRateAlertType = 'bradycardia' | 'tachycardia' | 'pause';

/** An alert starting or ending. */
export interface HeartRateAlert {
  /** What the alert is about. */
  type: HeartRateAlertType;
  /** `start` when the condition begins, `end` when it clears. */
  phase: 'start' | 'end';
  /** Sample index at which the condition was established or cleared. */
  sample: number;
  /** Time in seconds (sample / sampleRate). */
  time: number;
  /** Averaged heart rate at that moment (bpm), for brady/tachycardia. */
  heartRate: number | undefined;
  /** For pauses: seconds since the last beat. */
  pauseSeconds: number | undefined;
}

/** Parameters of {@link createHeartRateAlerts}. */
export interface HeartRateAlertsParameters {
  /** Sample rate of the beat positions, in Hz. */
  sampleRate: number;
  /** Bradycardia below this averaged rate, bpm (default 50). */
  bradycardiaBelow?: number;
  /** Tachycardia above this averaged rate, bpm (default 120). */
  tachycardiaAbove?: number;
  /** Pause when no beat comes for this many seconds (default 2.5). */
  pauseAfter?: number;
  /** RR intervals averaged for the rate (default 8). */
  averageBeats?: number;
  /** Consecutive averaged readings beyond a limit needed to start (or clear) a rate alert (default 4). */
  sustainBeats?: number;
}

/** Heart-rate alert state machine fed with beats and with the passing of time. */
export interface HeartRateAlerts {
  /** Feeds a detected beat; returns alerts that start or end with it. */
  beat(beat: Pick<QrsBeat, 'sample'>): HeartRateAlert[];
  /** Tells the monitor how far the signal has been processed (sample index); returns a pause alert when due. */
  advance(sample: number): HeartRateAlert[];
  /** Alerts currently active. */
  readonly active: ReadonlySet<HeartRateAlertType>;
}

/**
 * Creates bradycardia / tachycardia / pause alerting with configurable limits and hysteresis (a rate alert starts
 * after `sustainBeats` averaged readings beyond its limit and ends after as many within it).
 *
 * @example
 * ```ts
 * import { createHeartRateAlerts, createQrsDetector } from '@mhrchain/ecg';
 *
 * const detector = createQrsDetector({ sampleRate: 360 });
 * const alerts = createHeartRateAlerts({ sampleRate: 360, bradycardiaBelow: 40, pauseAfter: 3 });
 * const chunk = new Int16Array(360);
 * for (const beat of detector.push(chunk)) for (const alert of alerts.beat(beat)) console.log(alert);
 * for (const alert of alerts.advance(detector.position)) console.log(alert);
 * ```
 */
export function createHeartRateAlerts(parameters: HeartRateAlertsParameters): HeartRateAlerts {
  const fs = parameters.sampleRate;
  const brady = parameters.bradycardiaBelow ?? 50;
  const tachy = parameters.tachycardiaAbove ?? 120;
  const pauseAfter = parameters.pauseAfter ?? 2.5;
  const averageBeats = parameters.averageBeats ?? 8;
  const sustain = parameters.sustainBeats ?? 4;
  const positive = (x: number) => Number.isFinite(x) && x > 0;
  if (!positive(fs) || !positive(brady) || !positive(tachy) || !positive(pauseAfter)) {
    throw new InvalidEcgParametersError('Heart-rate alert limits and sample rate must be positive numbers.');
  }
  if (brady >= tachy)
    throw new InvalidEcgParametersError('Bradycardia limit must be below the tachycardia limit.', {
      details: `${brady} >= ${tachy}`,
    });
  if (!Number.isInteger(averageBeats) || averageBeats < 1 || !Number.isInteger(sustain) || sustain < 1) {
    throw new InvalidEcgParametersError('averageBeats and sustainBeats must be positive integers.');
  }
  const active = new Set<HeartRateAlertType>();
  const rrs: number[] = [];
  let last: number | undefined;
  let bradyCount = 0;
  let tachyCount = 0;
  let normalBrady = 0;
  let normalTachy = 0;
  const make = (
    type: HeartRateAlertType,
    phase: 'start' | 'end',
    sample: number,
    heartRate?: number,
    pause?: number,
  ): HeartRateAlert => ({
    type,
    phase,
    sample,
    time: sample / fs,
    heartRate,
    pauseSeconds: pause,
  });
  return {
    active,
    beat({ sample }) {
      const out: HeartRateAlert[] = [];
      if (active.has('pause')) {
        active.delete('pause');
        out.push(make('pause', 'end', sample, undefined, last === undefined ? undefined : (sample - last) / fs));
      }
      if (last !== undefined && sample > last) {
        rrs.push(sample - last);
        if (rrs.length > averageBeats) rrs.shift();
        const rate = (60 * fs * rrs.length) / rrs.reduce((a, b) => a + b, 0);
        const rule = (type: 'bradycardia' | 'tachycardia', beyond: boolean) => {
          if (type === 'bradycardia') {
            bradyCount = beyond ? bradyCount + 1 : 0;
            normalBrady = beyond ? 0 : normalBrady + 1;
          } else {
            tachyCount = beyond ? tachyCount + 1 : 0;
            normalTachy = beyond ? 0 : normalTachy + 1;
          }
          const count = type === 'bradycardia' ? bradyCount : tachyCount;
          const normal = type === 'bradycardia' ? normalBrady : normalTachy;
          if (!active.has(type) && count >= sustain) {
            active.add(type);
            out.push(make(type, 'start', sample, rate));
          } else if (active.has(type) && normal >= sustain) {
            active.delete(type);
            out.push(make(type, 'end', sample, rate));
          }
        };
        rule('bradycardia', rate < brady);
        rule('tachycardia', rate > tachy);
      }
      last = sample;
      return out;
    },
    advance(sample) {
      if (last === undefined || active.has('pause')) return [];
      const gap = (sample - last) / fs;
      if (gap < pauseAfter) return [];
      active.add('pause');
      return [make('pause', 'start', last + Math.ceil(pauseAfter * fs), undefined, gap)];
    },
  };
}
