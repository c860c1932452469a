import type { Biquad } from './biquad.js';
import { InvalidEcgParametersError } from './errors.js';

/** Options shared by the filter functions. */
export interface FilterOptions {
  /** Number of interleaved channels (default 1); each channel is filtered independently. */
  channels?: number;
}

/** A streaming biquad-cascade filter whose state carries across chunks. */
export interface StreamingFilter {
  /**
   * Filters the next chunk of interleaved samples (any length, even splitting a sample set) and returns as many
   * output samples. Filtering in chunks gives exactly the output of filtering at once.
   */
  process(chunk: ArrayLike<number>): Float64Array;
  /** Clears the state (as if no sample had been seen). */
  reset(): void;
}

function channelsOf(options: FilterOptions | undefined): number {
  const channels = options?.channels ?? 1;
  if (!Number.isInteger(channels) || channels < 1)
    throw new InvalidEcgParametersError('Invalid channel count.', { details: String(channels) });
  return channels;
}

/**
 * Creates a streaming filter (direct form II transposed, double precision) over interleaved channels.
 *
 * @example
 * ```ts
 * import { createStreamingFilter, designEcgFilter } from '@mhrchain/ecg';
 *
 * const filter = createStreamingFilter(designEcgFilter({ preset: 'monitoring', sampleRate: 360 }), { channels: 2 });
 * const out1 = filter.process(new Int16Array([1000, 1010, 1002])); // chunks may split a sample set
 * const out2 = filter.process(new Int16Array([1012, 1003, 1013]));
 * ```
 */
export function createStreamingFilter(sections: readonly Biquad[], options?: FilterOptions): StreamingFilter {
  const channels = channelsOf(options);
  const count = sections.length;
  const coef = new Float64Array(count * 5);
  sections.forEach((s, i) => {
    coef.set([s.b0, s.b1, s.b2, s.a1, s.a2], i * 5);
  });
  // state[(channel * count + section) * 2 + {0, 1}]
  const state = new Float64Array(channels * count * 2);
  let phase = 0;
  return {
    process(chunk) {
      const n = chunk.length;
      const out = new Float64Array(n);
      let c = phase;
      for (let i = 0; i < n; i++) {
        let x = chunk[i]!;
        let si = c * count * 2;
        for (let k = 0, ci = 0; k < count; k++, ci += 5, si += 2) {
          const y = coef[ci]! * x + state[si]!;
          state[si] = coef[ci + 1]! * x - coef[ci + 3]! * y + state[si + 1]!;
          state[si + 1] = coef[ci + 2]! * x - coef[ci + 4]! * y;
          x = y;
        }
        out[i] = x;
        if (++c === channels) c = 0;
      }
      phase = c;
      return out;
    },
    reset() {
      state.fill(0);
      phase = 0;
    },
  };
}

/**
 * Filters a whole signal at once (causal, zero initial state).
 *
 * @example
 * ```ts
 * import { designNotch, filterSignal } from '@mhrchain/ecg';
 *
 * const y = filterSignal(new Float64Array([0, 1, 0, -1]), [designNotch({ frequency: 50, sampleRate: 360 })]);
 * ```
 */
export function filterSignal(
  samples: ArrayLike<number>,
  sections: readonly Biquad[],
  options?: FilterOptions,
): Float64Array {
  return createStreamingFilter(sections, options).process(samples);
}

/**
 * Creates a `TransformStream` that filters chunks of interleaved samples, carrying state across chunks.
 *
 * @example
 * ```ts
 * import { createFilterStream, designEcgFilter } from '@mhrchain/ecg';
 *
 * const stream = createFilterStream(designEcgFilter({ preset: 'diagnostic', sampleRate: 500, mains: 50 }));
 * ```
 */
export function createFilterStream(
  sections: readonly Biquad[],
  options?: FilterOptions,
): TransformStream<ArrayLike<number>, Float64Array> {
  const filter = createStreamingFilter(sections, options);
  return new TransformStream({
    transform(chunk, controller) {
      controller.enqueue(filter.process(chunk));
    },
  });
}

/** Steady-state DF2T states of each section for a constant input of 1 (so filtering starts without a step). */
function steadyState(sections: readonly Biquad[]): Float64Array {
  const zi = new Float64Array(sections.length * 2);
  let level = 1;
  sections.forEach((s, k) => {
    const gain = (s.b0 + s.b1 + s.b2) / (1 + s.a1 + s.a2);
    const out = gain * level;
    const z2 = s.b2 * level - s.a2 * out;
    zi[k * 2] = s.b1 * level - s.a1 * out + z2;
    zi[k * 2 + 1] = z2;
    level = out;
  });
  return zi;
}

/** Samples for the slowest pole of the cascade to decay by e^-6 (bounded to one million). */
function settlingSamples(sections: readonly Biquad[]): number {
  let radius = 0;
  for (const { a1, a2 } of sections) {
    const disc = a1 * a1 - 4 * a2;
    const r =
      disc < 0 ? Math.sqrt(a2) : Math.max(Math.abs((-a1 + Math.sqrt(disc)) / 2), Math.abs((-a1 - Math.sqrt(disc)) / 2));
    radius = Math.max(radius, r);
  }
  if (radius <= 0) return 0;
  if (radius >= 1) return 1_000_000;
  return Math.min(1_000_000, Math.ceil(6 / -Math.log(radius)));
}

function runOnce(x: Float64Array, sections: readonly Biquad[], zi: Float64Array): void {
  const count = sections.length;
  const z = new Float64Array(count * 2);
  for (let k = 0; k < count * 2; k++) z[k] = zi[k]! * x[0]!;
  for (let i = 0; i < x.length; i++) {
    let v = x[i]!;
    for (let k = 0; k < count; k++) {
      const s = sections[k]!;
      const y = s.b0 * v + z[k * 2]!;
      z[k * 2] = s.b1 * v - s.a1 * y + z[k * 2 + 1]!;
      z[k * 2 + 1] = s.b2 * v - s.a2 * y;
      v = y;
    }
    x[i] = v;
  }
}

/**
 * Zero-phase (forward-backward) filtering of a whole recording: no delay, magnitude response squared. Edges are
 * handled as `filtfilt` does: odd reflection padding (long enough for the slowest pole to settle, at most the
 * signal length) and steady-state initial conditions.
 *
 * @example
 * ```ts
 * import { designEcgFilter, filterZeroPhase } from '@mhrchain/ecg';
 *
 * const y = filterZeroPhase(new Float64Array(3600), designEcgFilter({ preset: 'diagnostic', sampleRate: 360 }));
 * ```
 */
export function filterZeroPhase(
  samples: ArrayLike<number>,
  sections: readonly Biquad[],
  options?: FilterOptions,
): Float64Array {
  const channels = channelsOf(options);
  if (samples.length % channels !== 0) {
    throw new InvalidEcgParametersError('Sample count is not a multiple of the channel count.', {
      details: String(samples.length),
    });
  }
  const n = samples.length / channels;
  const out = new Float64Array(samples.length);
  if (n === 0) return out;
  const pad = Math.min(n - 1, Math.max(6 * sections.length + 3, settlingSamples(sections)));
  const zi = steadyState(sections);
  const work = new Float64Array(n + 2 * pad);
  for (let c = 0; c < channels; c++) {
    const at = (t: number) => samples[t * channels + c]!;
    const first = at(0);
    const last = at(n - 1);
    for (let i = 0; i < pad; i++) work[i] = 2 * first - at(pad - i);
    for (let t = 0; t < n; t++) work[pad + t] = at(t);
    for (let i = 0; i < pad; i++) work[pad + n + i] = 2 * last - at(n - 2 - i);
    runOnce(work, sections, zi);
    work.reverse();
    runOnce(work, sections, zi);
    work.reverse();
    for (let t = 0; t < n; t++) out[t * channels + c] = work[pad + t]!;
  }
  return out;
}
