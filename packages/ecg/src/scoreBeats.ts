import { InvalidEcgParametersError } from './errors.js';

/** Parameters of {@link scoreBeats}. */
export interface ScoreBeatsParameters {
  /** Reference beat positions (sample indices), ascending. */
  reference: ArrayLike<number>;
  /** Detected beat positions (sample indices), ascending. */
  detected: ArrayLike<number>;
  /** Sample rate in Hz. */
  sampleRate: number;
  /** Match window in seconds either side (default 0.15, as ANSI/AAMI EC57). */
  window?: number;
  /** Only beats at or after this sample are scored (EC57 may skip a learning period); default 0. */
  start?: number;
  /** Only beats before this sample are scored; default: all. */
  end?: number;
  /**
   * Intervals `[from, to)` (samples) left out of the comparison, for both reference and detected beats; EC57
   * leaves out ventricular flutter and fibrillation episodes (see {@link flutterEpisodes}).
   */
  exclude?: readonly (readonly [number, number])[];
}

/** Beat-by-beat comparison counts and the derived statistics. */
export interface BeatScore {
  /** Reference beats matched by a detection. */
  truePositives: number;
  /** Reference beats with no detection within the window. */
  falseNegatives: number;
  /** Detections with no reference beat within the window. */
  falsePositives: number;
  /** TP / (TP + FN), 0..1 (1 when there is nothing to detect). */
  sensitivity: number;
  /** TP / (TP + FP), 0..1 (1 when nothing was detected). */
  positivePredictivity: number;
}

function stats(truePositives: number, falseNegatives: number, falsePositives: number): BeatScore {
  return {
    truePositives,
    falseNegatives,
    falsePositives,
    sensitivity: truePositives + falseNegatives === 0 ? 1 : truePositives / (truePositives + falseNegatives),
    positivePredictivity: truePositives + falsePositives === 0 ? 1 : truePositives / (truePositives + falsePositives),
  };
}

/**
 * Scores detected beats against reference annotations the way ANSI/AAMI EC57 (WFDB `bxb`) does for QRS detection:
 * each reference beat matches at most one detection within ±150 ms, choosing the closest pairs.
 *
 * @example
 * ```ts
 * import { scoreBeats } from '@mhrchain/ecg';
 *
 * const score = scoreBeats({ reference: [100, 400, 700], detected: [110, 420, 900], sampleRate: 360 });
 * // { truePositives: 2, falseNegatives: 1, falsePositives: 1, sensitivity: 0.667, positivePredictivity: 0.667 }
 * ```
 */
export function scoreBeats(parameters: ScoreBeatsParameters): BeatScore {
  const { sampleRate } = parameters;
  if (!(sampleRate > 0))
    throw new InvalidEcgParametersError('Sample rate must be positive.', { details: String(sampleRate) });
  const w = Math.round((parameters.window ?? 0.15) * sampleRate);
  const start = parameters.start ?? 0;
  const end = parameters.end ?? Number.POSITIVE_INFINITY;
  const exclude = parameters.exclude ?? [];
  const inRange = (xs: ArrayLike<number>) =>
    Array.from(xs).filter((x) => x >= start && x < end && !exclude.some(([from, to]) => x >= from && x < to));
  const ref = inRange(parameters.reference);
  const det = inRange(parameters.detected);
  for (const xs of [ref, det]) {
    for (let i = 1; i < xs.length; i++) {
      if (xs[i]! < xs[i - 1]!) throw new InvalidEcgParametersError('Beat positions must be ascending.');
    }
  }
  let tp = 0;
  let fn = 0;
  let fp = 0;
  let i = 0;
  let j = 0;
  while (i < ref.length && j < det.length) {
    const r = ref[i]!;
    const d = det[j]!;
    if (d < r - w) {
      fp++;
      j++;
    } else if (d > r + w) {
      fn++;
      i++;
    } else {
      const nextDet = det[j + 1];
      const nextRef = ref[i + 1];
      if (
        nextDet !== undefined &&
        Math.abs(nextDet - r) < Math.abs(d - r) &&
        (nextRef === undefined || Math.abs(nextDet - r) <= Math.abs(nextDet - nextRef))
      ) {
        // A later detection fits this reference better: this one is extra.
        fp++;
        j++;
      } else if (nextRef !== undefined && Math.abs(nextRef - d) < Math.abs(d - r)) {
        // The detection belongs to the next reference beat: this one was missed.
        fn++;
        i++;
      } else {
        tp++;
        i++;
        j++;
      }
    }
  }
  fn += ref.length - i;
  fp += det.length - j;
  return stats(tp, fn, fp);
}

/**
 * Gross statistics over several records: counts summed before dividing (as EC57 reports gross Se and +P).
 *
 * @example
 * ```ts
 * import { grossScore, scoreBeats } from '@mhrchain/ecg';
 *
 * const a = scoreBeats({ reference: [100], detected: [100], sampleRate: 360 });
 * const b = scoreBeats({ reference: [100, 500], detected: [100], sampleRate: 360 });
 * grossScore([a, b]).sensitivity; // 2 / 3
 * ```
 */
export function grossScore(scores: readonly BeatScore[]): BeatScore {
  let tp = 0;
  let fn = 0;
  let fp = 0;
  for (const s of scores) {
    tp += s.truePositives;
    fn += s.falseNegatives;
    fp += s.falsePositives;
  }
  return stats(tp, fn, fp);
}
