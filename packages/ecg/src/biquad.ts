import { InvalidFilterParametersError } from './errors.js';

/** One second-order section, normalised so that a0 = 1: `y = b0 x + b1 x[-1] + b2 x[-2] - a1 y[-1] - a2 y[-2]`. */
export interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

/** Parameters of {@link designButterworth}. */
export interface DesignButterworthParameters {
  /** `lowpass` or `highpass`. */
  type: 'lowpass' | 'highpass';
  /** Filter order (1..16), default 2. Odd orders add one first-order section. */
  order?: number;
  /** −3 dB frequency in Hz, strictly between 0 and Nyquist. */
  cutoff: number;
  /** Sample rate in Hz. */
  sampleRate: number;
}

function checkFrequency(frequency: number, sampleRate: number, what: string): void {
  if (!(sampleRate > 0) || !Number.isFinite(sampleRate)) {
    throw new InvalidFilterParametersError('Sample rate must be a positive number.', { details: String(sampleRate) });
  }
  if (!(frequency > 0) || !(frequency < sampleRate / 2)) {
    throw new InvalidFilterParametersError(
      `${what} must lie strictly between 0 Hz and Nyquist (${sampleRate / 2} Hz).`,
      { details: String(frequency) },
    );
  }
}

/**
 * Designs a digital Butterworth low- or high-pass filter (bilinear transform with pre-warping, so the response is
 * exactly −3 dB at the cutoff) as a cascade of biquads.
 *
 * @example
 * ```ts
 * import { designButterworth } from '@mhrchain/ecg';
 *
 * const lowpass = designButterworth({ type: 'lowpass', order: 4, cutoff: 40, sampleRate: 360 }); // 2 sections
 * ```
 */
export function designButterworth(parameters: DesignButterworthParameters): Biquad[] {
  const { type, cutoff, sampleRate } = parameters;
  const order = parameters.order ?? 2;
  if (type !== 'lowpass' && type !== 'highpass')
    throw new InvalidFilterParametersError('Unknown filter type.', { details: String(type) });
  if (!Number.isInteger(order) || order < 1 || order > 16) {
    throw new InvalidFilterParametersError('Butterworth order must be an integer from 1 to 16.', {
      details: String(order),
    });
  }
  checkFrequency(cutoff, sampleRate, 'Cutoff');
  const w0 = (2 * Math.PI * cutoff) / sampleRate;
  const cos = Math.cos(w0);
  const sin = Math.sin(w0);
  const sections: Biquad[] = [];
  for (let k = 0; k < Math.floor(order / 2); k++) {
    const q = 1 / (2 * Math.sin((Math.PI * (2 * k + 1)) / (2 * order)));
    const alpha = sin / (2 * q);
    const a0 = 1 + alpha;
    const g = type === 'lowpass' ? (1 - cos) / 2 : (1 + cos) / 2;
    sections.push({
      b0: g / a0,
      b1: (type === 'lowpass' ? 2 * g : -2 * g) / a0,
      b2: g / a0,
      a1: (-2 * cos) / a0,
      a2: (1 - alpha) / a0,
    });
  }
  if (order % 2 === 1) {
    const k = Math.tan(w0 / 2);
    const b0 = type === 'lowpass' ? k / (1 + k) : 1 / (1 + k);
    sections.push({ b0, b1: type === 'lowpass' ? b0 : -b0, b2: 0, a1: (k - 1) / (k + 1), a2: 0 });
  }
  return sections;
}

/** Parameters of {@link designNotch}. */
export interface DesignNotchParameters {
  /** Centre frequency in Hz (mains: 50 or 60). */
  frequency: number;
  /** Sample rate in Hz. */
  sampleRate: number;
  /** Quality factor: centre frequency over −3 dB bandwidth (default 30). */
  q?: number;
}

/**
 * Designs a second-order IIR notch (zeros on the unit circle at the centre frequency: total rejection there).
 *
 * @example
 * ```ts
 * import { designNotch } from '@mhrchain/ecg';
 *
 * const mains = designNotch({ frequency: 50, sampleRate: 360 });
 * ```
 */
export function designNotch(parameters: DesignNotchParameters): Biquad {
  const { frequency, sampleRate } = parameters;
  const q = parameters.q ?? 30;
  checkFrequency(frequency, sampleRate, 'Notch frequency');
  if (!(q > 0) || !Number.isFinite(q))
    throw new InvalidFilterParametersError('Notch Q must be a positive number.', { details: String(q) });
  const w0 = (2 * Math.PI * frequency) / sampleRate;
  const alpha = Math.sin(w0) / (2 * q);
  const a0 = 1 + alpha;
  const c = (-2 * Math.cos(w0)) / a0;
  return { b0: 1 / a0, b1: c, b2: 1 / a0, a1: c, a2: (1 - alpha) / a0 };
}

/** Parameters of {@link designEcgFilter}. */
export interface DesignEcgFilterParameters {
  /** `monitoring` (0.5–40 Hz) or `diagnostic` (0.05–150 Hz). */
  preset: 'monitoring' | 'diagnostic';
  /** Sample rate in Hz. The diagnostic preset needs more than 300 Hz. */
  sampleRate: number;
  /** Mains frequency to notch out (50 or 60 Hz), or omit for no notch. Skipped when at or above Nyquist. */
  mains?: 50 | 60;
}

/**
 * The standard ECG band-pass presets as one biquad cascade: Butterworth high-pass (order 2) for baseline wander,
 * Butterworth low-pass (order 4), and optionally a mains notch.
 *
 * @example
 * ```ts
 * import { designEcgFilter, filterSignal } from '@mhrchain/ecg';
 *
 * const sections = designEcgFilter({ preset: 'monitoring', sampleRate: 360, mains: 60 });
 * const clean = filterSignal(new Float64Array(3600), sections);
 * ```
 */
export function designEcgFilter(parameters: DesignEcgFilterParameters): Biquad[] {
  const { preset, sampleRate } = parameters;
  const band = preset === 'monitoring' ? [0.5, 40] : preset === 'diagnostic' ? [0.05, 150] : undefined;
  if (!band) throw new InvalidFilterParametersError('Unknown ECG filter preset.', { details: String(preset) });
  const sections = [
    ...designButterworth({ type: 'highpass', order: 2, cutoff: band[0]!, sampleRate }),
    ...designButterworth({ type: 'lowpass', order: 4, cutoff: band[1]!, sampleRate }),
  ];
  if (parameters.mains !== undefined) {
    if (parameters.mains !== 50 && parameters.mains !== 60) {
      throw new InvalidFilterParametersError('Mains frequency must be 50 or 60 Hz.', {
        details: String(parameters.mains),
      });
    }
    if (parameters.mains < sampleRate / 2) sections.push(designNotch({ frequency: parameters.mains, sampleRate }));
  }
  return sections;
}

/**
 * Magnitude response |H(f)| of a biquad cascade at a frequency (1 = unity gain).
 *
 * @example
 * ```ts
 * import { designButterworth, magnitudeResponse } from '@mhrchain/ecg';
 *
 * const lp = designButterworth({ type: 'lowpass', cutoff: 40, sampleRate: 360 });
 * 20 * Math.log10(magnitudeResponse(lp, 40, 360)); // ≈ −3.01 dB
 * ```
 */
export function magnitudeResponse(sections: readonly Biquad[], frequency: number, sampleRate: number): number {
  const w = (2 * Math.PI * frequency) / sampleRate;
  const c1 = Math.cos(w);
  const s1 = Math.sin(w);
  const c2 = Math.cos(2 * w);
  const s2 = Math.sin(2 * w);
  let magnitude = 1;
  for (const { b0, b1, b2, a1, a2 } of sections) {
    const nr = b0 + b1 * c1 + b2 * c2;
    const ni = -(b1 * s1 + b2 * s2);
    const dr = 1 + a1 * c1 + a2 * c2;
    const di = -(a1 * s1 + a2 * s2);
    magnitude *= Math.sqrt((nr * nr + ni * ni) / (dr * dr + di * di));
  }
  return magnitude;
}
