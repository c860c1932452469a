/**
 * The detector as released in 0.1.0 (both leads' squared slopes summed into one integrated signal, one set of
 * thresholds), kept unchanged as the benchmark's baseline for accuracy and speed measured in the same run.
 */
import { designButterworth } from './biquad.js';
import { InvalidEcgParametersError } from './errors.js';
import type { QrsBeat, QrsDetector, QrsDetectorParameters } from './qrsDetector.js';

/** A peak within 360 ms of the last QRS whose slope is below this fraction of that QRS's slope is a T wave. */
const T_SLOPE = 0.3;

/** The 0.1.0 streaming detector (see the file's comment). */
export function createPreviousQrsDetector(parameters: QrsDetectorParameters): QrsDetector {
  const fs = parameters.sampleRate;
  if (!Number.isFinite(fs) || fs < 100)
    throw new InvalidEcgParametersError('QRS detection needs a sample rate of at least 100 Hz.', {
      details: String(fs),
    });
  const channels = parameters.channels ?? 1;
  if (!Number.isInteger(channels) || channels < 1)
    throw new InvalidEcgParametersError('Invalid channel count.', { details: String(channels) });
  const leads = parameters.leads ?? [0];
  if (leads.length === 0 || leads.some((l) => !Number.isInteger(l) || l < 0 || l >= channels)) {
    throw new InvalidEcgParametersError('Leads must be channel indices.', { details: leads.join(',') });
  }
  const refractory = Math.round((parameters.refractory ?? 0.2) * fs);
  const tWindow = Math.round(0.36 * fs);
  const window = Math.round(0.15 * fs);
  const learning = Math.round(2 * fs);
  const band = [
    ...designButterworth({ type: 'highpass', order: 2, cutoff: 5, sampleRate: fs }),
    ...designButterworth({ type: 'lowpass', order: 2, cutoff: 15, sampleRate: fs }),
  ];
  // Group delay of the band-pass around 10 Hz, in samples (numerical phase derivative).
  const bandDelay = Math.round(groupDelay(band, 10, fs));
  const coef = new Float64Array(band.flatMap((b) => [b.b0, b.b1, b.b2, b.a1, b.a2]));
  const sections = band.length;
  const state = new Float64Array(leads.length * sections * 2);
  const RING = 1 << Math.ceil(Math.log2(window * 4 + 16));
  const ringMask = RING - 1;
  const bandRing = new Float64Array(RING * leads.length); // band-passed values per lead
  const slopeRing = new Float64Array(RING); // summed squared derivative
  const mwiRing = new Float64Array(RING);
  let mwiSum = 0;
  let n = -1; // index of the current sample
  let pending = new Float64Array(channels);
  let filled = 0;
  // The first sample of each lead is taken as its offset, so the band-pass does not ring on the DC step at start.
  const offsets = new Float64Array(leads.length);

  // Peak tracking on the integrated signal.
  let candValue = 0;
  let candIndex = -1;
  let rising = true;
  let previous = 0;
  // Thresholds and history.
  let spki = 0;
  let npki = 0;
  let learned = false;
  let learnMax = 0;
  let learnSum = 0;
  const learnPeaks: { index: number; value: number; slope: number; r: number }[] = [];
  let lastQrs = Number.NEGATIVE_INFINITY;
  let lastDecay = 0;
  let lastR = -1;
  let lastSlope = 0;
  const rrs: number[] = [];
  let best: { index: number; value: number; slope: number; r: number } | undefined;
  let out: QrsBeat[] = [];

  const rrAverage = () => (rrs.length === 0 ? fs : rrs.reduce((a, b) => a + b, 0) / rrs.length);

  const emit = (r: number, searchBack: boolean) => {
    let rr: number | undefined;
    if (lastR >= 0) {
      rr = r - lastR;
      rrs.push(rr);
      if (rrs.length > 8) rrs.shift();
    }
    lastR = r;
    const avg = rrs.length > 0 ? rrAverage() : undefined;
    out.push({
      sample: r,
      time: r / fs,
      rr: rr === undefined ? undefined : rr / fs,
      heartRate: rr === undefined ? undefined : (60 * fs) / rr,
      averageHeartRate: avg === undefined ? undefined : (60 * fs) / avg,
      searchBack,
      emittedAt: n,
    });
  };

  const accept = (peak: { index: number; value: number; slope: number; r: number }, searchBack: boolean) => {
    spki = searchBack ? 0.25 * peak.value + 0.75 * spki : 0.125 * peak.value + 0.875 * spki;
    lastQrs = peak.index;
    lastSlope = peak.slope;
    best = undefined;
    if (peak.r > lastR) emit(peak.r, searchBack);
  };

  const classify = (peak: { index: number; value: number; slope: number; r: number }) => {
    if (peak.index - lastQrs < refractory) return;
    const thr1 = npki + 0.25 * (spki - npki);
    if (peak.value > thr1) {
      if (peak.index - lastQrs < tWindow && peak.slope < T_SLOPE * lastSlope) {
        npki = 0.125 * peak.value + 0.875 * npki;
        return;
      }
      accept(peak, false);
      return;
    }
    npki = 0.125 * peak.value + 0.875 * npki;
    if (peak.value > 0.5 * thr1 && (!best || peak.value > best.value)) best = peak;
  };

  const confirmPeak = (index: number, value: number) => {
    // Slope: largest squared derivative in the integration window ending at the peak.
    let slope = 0;
    let r = index;
    let rValue = -1;
    for (let k = 0; k < window && k <= index; k++) {
      const i = (index - k) & ringMask;
      if (slopeRing[i]! > slope) slope = slopeRing[i]!;
      let a = 0;
      for (let l = 0; l < leads.length; l++) a += Math.abs(bandRing[l * RING + i]!);
      if (a > rValue) {
        rValue = a;
        r = index - k;
      }
    }
    const peak = { index, value, slope, r: Math.max(0, r - bandDelay - 2) };
    if (!learned) learnPeaks.push(peak);
    else classify(peak);
  };

  const step = (frame: Float64Array) => {
    n++;
    const i = n & ringMask;
    let slope = 0;
    for (let l = 0; l < leads.length; l++) {
      if (n === 0) offsets[l] = frame[leads[l]!]!;
      // Band-pass (direct form II transposed biquads).
      let b = frame[leads[l]!]! - offsets[l]!;
      for (let k = 0, ci = 0, si = l * sections * 2; k < sections; k++, ci += 5, si += 2) {
        const y = coef[ci]! * b + state[si]!;
        state[si] = coef[ci + 1]! * b - coef[ci + 3]! * y + state[si + 1]!;
        state[si + 1] = coef[ci + 2]! * b - coef[ci + 4]! * y;
        b = y;
      }
      const base = l * RING;
      bandRing[base + i] = b;
      const d =
        (2 * b +
          bandRing[base + ((n - 1) & ringMask)]! -
          bandRing[base + ((n - 3) & ringMask)]! -
          2 * bandRing[base + ((n - 4) & ringMask)]!) /
        8;
      slope += d * d;
    }
    slopeRing[i] = slope;
    mwiSum += slope - (n >= window ? slopeRing[(n - window) & ringMask]! : 0);
    const v = mwiSum / window;
    mwiRing[i] = v;
    if (!learned) {
      learnMax = Math.max(learnMax, v);
      learnSum += v;
    }
    // Peak tracking.
    if (rising) {
      if (v > candValue) {
        candValue = v;
        candIndex = n;
      } else if (v < candValue / 2 || n - candIndex >= refractory) {
        confirmPeak(candIndex, candValue);
        rising = false;
        candValue = 0;
      }
    } else if (v > previous) {
      rising = true;
      candValue = v;
      candIndex = n;
    }
    previous = v;
    if (!learned && n + 1 >= learning) {
      learned = true;
      spki = 0.25 * learnMax;
      npki = 0.5 * (learnSum / (n + 1));
      for (const peak of learnPeaks) classify(peak);
      learnPeaks.length = 0;
    }
    // Search-back after a long gap; when there is nothing to search back to, the signal level estimate decays.
    if (learned && lastQrs > Number.NEGATIVE_INFINITY && n - lastQrs > 1.66 * rrAverage()) {
      if (best) accept(best, true);
      else if (n - lastDecay > rrAverage()) {
        spki *= 0.5;
        lastDecay = n;
      }
    }
  };

  return {
    push(chunk) {
      out = [];
      for (let k = 0; k < chunk.length; k++) {
        pending[filled++] = chunk[k]!;
        if (filled === channels) {
          step(pending);
          filled = 0;
        }
      }
      pending = pending.length === channels ? pending : new Float64Array(channels);
      return out;
    },
    get position() {
      return n + 1;
    },
    latency: (bandDelay + 2 + window + refractory) / fs,
  };
}

/** Group delay (samples) of a biquad cascade at a frequency, from the phase slope. */
function groupDelay(sections: ReturnType<typeof designButterworth>, frequency: number, fs: number): number {
  const phase = (f: number) => {
    const w = (2 * Math.PI * f) / fs;
    let total = 0;
    for (const s of sections) {
      const nr = s.b0 + s.b1 * Math.cos(w) + s.b2 * Math.cos(2 * w);
      const ni = -(s.b1 * Math.sin(w) + s.b2 * Math.sin(2 * w));
      const dr = 1 + s.a1 * Math.cos(w) + s.a2 * Math.cos(2 * w);
      const di = -(s.a1 * Math.sin(w) + s.a2 * Math.sin(2 * w));
      total += Math.atan2(ni, nr) - Math.atan2(di, dr);
    }
    return total;
  };
  const h = 0.01;
  let d = phase(frequency + h) - phase(frequency - h);
  while (d > Math.PI) d -= 2 * Math.PI;
  while (d < -Math.PI) d += 2 * Math.PI;
  return (-d / (2 * Math.PI * 2 * h)) * fs;
}

/** One-shot use of {@link createPreviousQrsDetector}. */
export function detectQrsPrevious(samples: ArrayLike<number>, parameters: QrsDetectorParameters): QrsBeat[] {
  return createPreviousQrsDetector(parameters).push(samples);
}
