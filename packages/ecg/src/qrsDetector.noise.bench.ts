/**
 * Synthetic noise bursts for the QRS detector benchmark: what a record looks like when one lead (or both) picks up
 * muscle noise and electrode motion for a few seconds at a time. The MIT-BIH Noise Stress Test Database does the same
 * with recorded noise; this one is generated (seeded, so every run adds the same noise) because only the records
 * themselves are in the corpus. The benchmark reports both halves of DS1 with these bursts; it tunes on neither.
 */

/** A noise condition: the signal-to-noise ratio of each lead's bursts (Infinity: none) and the share of time on. */
export interface NoiseCondition {
  name: string;
  snr: readonly [number, number];
  duty: number;
}

/** One lead with 0 dB bursts, the other with 6 dB bursts, both with 12 dB bursts; bursts 40 % of the time. */
export const NOISE_CONDITIONS: readonly NoiseCondition[] = [
  { name: 'lead 1, 0 dB', snr: [Number.POSITIVE_INFINITY, 0], duty: 0.4 },
  { name: 'lead 0, 6 dB', snr: [6, Number.POSITIVE_INFINITY], duty: 0.4 },
  { name: 'both, 12 dB', snr: [12, 12], duty: 0.4 },
];

/** mulberry32: a small seeded generator, uniform in [0, 1). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A noise track of unit scale: bursts of 1 to 5 s, each on with probability `duty`; inside a burst, white noise
 * (muscle) plus white noise low-passed twice at 6 Hz (electrode motion, QRS-like slopes in the detector's band).
 */
function noiseTrack(length: number, sampleRate: number, seed: number, duty: number): Float64Array {
  const r = random(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
  const out = new Float64Array(length);
  const a = Math.exp((-2 * Math.PI * 6) / sampleRate);
  let on = false;
  let left = 0;
  let y1 = 0;
  let y2 = 0;
  for (let i = 0; i < length; i++) {
    if (left-- <= 0) {
      on = r() < duty;
      left = Math.round((1 + 4 * r()) * sampleRate);
    }
    y1 = a * y1 + (1 - a) * gauss() * 6;
    y2 = a * y2 + (1 - a) * y1;
    out[i] = on ? 0.7 * gauss() + 1.54 * y2 : 0;
  }
  return out;
}

/** Median peak-to-peak amplitude of a lead within ±50 ms of the reference beats (the SNR's signal, as NSTDB's). */
function qrsAmplitude(samples: ArrayLike<number>, channels: number, lead: number, beats: number[], fs: number): number {
  const h = Math.round(0.05 * fs);
  const n = samples.length / channels;
  const amplitudes: number[] = [];
  for (const s of beats) {
    if (s < h || s + h >= n) continue;
    let max = Number.NEGATIVE_INFINITY;
    let min = Number.POSITIVE_INFINITY;
    for (let k = s - h; k <= s + h; k++) {
      const x = samples[k * channels + lead]!;
      if (x > max) max = x;
      if (x < min) min = x;
    }
    amplitudes.push(max - min);
  }
  amplitudes.sort((x, y) => x - y);
  return amplitudes[amplitudes.length >> 1] ?? 0;
}

/**
 * The two-lead record with the condition's noise bursts added (a new array; the seed makes it the same every run).
 * Noise power is set from the QRS peak-to-peak amplitude A as NSTDB does: signal power A²/8.
 */
export function withNoiseBursts(
  samples: ArrayLike<number>,
  reference: number[],
  sampleRate: number,
  condition: NoiseCondition,
  seed: number,
): Float64Array {
  const n = samples.length / 2;
  const out = Float64Array.from(samples);
  for (let lead = 0; lead < 2; lead++) {
    const snr = condition.snr[lead]!;
    if (!Number.isFinite(snr)) continue;
    const amplitude = qrsAmplitude(samples, 2, lead, reference, sampleRate);
    const sigma = Math.sqrt(amplitude ** 2 / 8 / 10 ** (snr / 10));
    const track = noiseTrack(n, sampleRate, seed * 4 + lead, condition.duty);
    for (let i = 0; i < n; i++) out[2 * i + lead] = out[2 * i + lead]! + sigma * track[i]!;
  }
  return out;
}
