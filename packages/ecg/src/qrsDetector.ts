import { designButterworth } from './biquad.js';
import { InvalidEcgParametersError } from './errors.js';
import { QRS_TUNING } from './internal/qrsTuning.js';

/** A peak within 360 ms of the last QRS whose slope is below this fraction of that QRS's slope is a T wave. */
const T_SLOPE = 0.3;

/**
 * With several leads, a peak that one lead takes for a beat and the vote rejects moves that lead's signal level as a
 * peak of at most this many times the level would. (Any value from 3 to 8 scored as no limit does on half A of DS1,
 * clean and with the benchmark's noise bursts; the limit matters after one huge artefact, as a test shows.)
 */
const ARTEFACT_LIMIT = 4;

/**
 * With several leads, any peak moves a lead's signal level as a peak of at most this many times the level would: an
 * artefact that one dominant lead carried through the vote cannot leave that lead deaf. (From 16 to 64 the same
 * scores on half A of DS1, clean and with noise bursts, and the fewest errors with bursts on the dominant lead.)
 */
const BEAT_LIMIT = 32;

/**
 * With several leads, a lead whose raw samples stay identical this long (seconds) is off (electrode detached, signal
 * pinned at the converter's limit) and abstains from peaks whose integration window it touches.
 */
const FLAT_RUN = 0.05;

/**
 * With several leads, search-back does not take a disputed candidate (one that a lead sees below `support` of its own
 * threshold) while a peak this large is pending confirmation — in units of the leads' signal levels, weighted by
 * quality, as the combined integrated signal is — and waits (at most one refractory period) for that peak's verdict:
 * an artefact in one lead during a pause must not be taken for the beat whose QRS is arriving. If that peak is a beat
 * at least an average RR after the candidate (a premature beat and its compensatory pause), the candidate is a beat
 * too. (Chosen on synthetic pauses with a spike in one lead; from 0.5 to 1.2 the same scores on half A of DS1.)
 */
const ARRIVING = 0.5;

/** A peak of the integrated signal, with each lead's integrated energy and steepest slope under it. */
interface Peak {
  /** Sample index of the peak of the combined integrated signal. */
  index: number;
  /** Vote: weighted mean of the leads' ratios to their own thresholds (set when classified). */
  score: number;
  /** R-peak sample (band-pass extremum, delay-corrected). */
  r: number;
  /** Each lead's ratio of its energy to its own primary threshold (set when classified). */
  ratio: Float64Array;
  /** Integrated energy per lead at the peak. */
  energy: Float64Array;
  /** Largest squared derivative per lead inside the integration window. */
  slope: Float64Array;
  /** Whether a lead that is heard sees the peak below `support` of its own threshold (set when classified). */
  disputed: boolean;
}

/** A detected heartbeat. */
export interface QrsBeat {
  /** Sample index (per channel, since the detector started) of the R peak. */
  sample: number;
  /** Time of the R peak in seconds since the detector started. */
  time: number;
  /** RR interval to the previous beat in seconds (undefined for the first beat). */
  rr: number | undefined;
  /** Instantaneous heart rate, 60 / rr, in beats per minute (undefined for the first beat). */
  heartRate: number | undefined;
  /** Heart rate averaged over the last (up to) 8 RR intervals, in beats per minute. */
  averageHeartRate: number | undefined;
  /** True when the beat was found by search-back (a lower threshold after a long gap). */
  searchBack: boolean;
  /** Sample index at which the detector emitted the beat (emission latency = `emittedAt - sample`). */
  emittedAt: number;
}

/** Parameters of {@link createQrsDetector}. */
export interface QrsDetectorParameters {
  /** Sample rate in Hz (at least 100). */
  sampleRate: number;
  /** Number of interleaved channels in the input (default 1). */
  channels?: number;
  /**
   * Channels to detect on (default `[0]`). With several, each lead keeps its own thresholds and the beat decision is
   * a vote weighted by each lead's running quality, so a noisy or flat lead loses its say.
   */
  leads?: readonly number[];
  /** Refractory period in seconds (default 0.2). */
  refractory?: number;
}

/** A streaming QRS detector. */
export interface QrsDetector {
  /** Feeds interleaved samples (any chunk size) and returns the beats confirmed so far, in order. */
  push(chunk: ArrayLike<number>): QrsBeat[];
  /** Samples (per channel) consumed so far. */
  readonly position: number;
  /**
   * Worst-case delay, in seconds, between an R peak and its emission for beats found by the primary threshold
   * (search-back beats come at most 1.66 average RR intervals after the previous beat, plus, with several leads, one
   * refractory period).
   */
  readonly latency: number;
}

/**
 * Creates a streaming QRS detector of the Pan–Tompkins family: 5–15 Hz band-pass, five-point derivative, squaring,
 * 150 ms moving-window integration, adaptive signal/noise thresholds with search-back at 1.66 RR, a 200 ms
 * refractory period, T-wave discrimination by slope within 360 ms, and a halving of the signal level estimate
 * for every average RR interval that passes with neither a beat nor a search-back candidate (recovery after an
 * artefact). The R peak is placed at the band-passed extremum inside the integration window, corrected for the
 * filter's group delay. Learning takes the first 2 s.
 *
 * With several leads, peaks are found on the leads' integrated energies, each scaled to its own QRS level and
 * weighted by quality; each lead then compares the peak with its own thresholds (and learns from its own verdict,
 * as a one-lead detector would), and the peak is a beat when the quality-weighted mean of the leads' threshold
 * ratios, each capped at 1.5, exceeds 1 — or exceeds 0.7 with one lead taking it for a beat and every other lead
 * seeing it above 0.3 of its own threshold (a small early beat all leads see, none clearly). A lead's quality is its
 * running hit rate (capped ratio at beats) minus its false-alarm rate (capped ratio at rejected peaks), cubed: a lead
 * that misses beats or fires between them is outvoted, and one lead's artefact cannot outvote a clean lead. Within
 * 360 ms of a beat, every lead's slope judges the T wave (not only the slopes of the leads that take the peak for a
 * beat), so the second hump of a wide beat is not a beat of its own. A lead whose raw samples stay identical for
 * 50 ms (electrode off, signal pinned at the converter's limit) abstains from the peaks whose integration window that
 * touches, step artefacts included, and learns nothing from them. Search-back takes the best-voted candidate, but
 * not one that a lead sees below 0.3 of its threshold while a peak half the leads' signal level is pending: it waits
 * for that peak's verdict (at most 200 ms), and if that peak is a beat, the candidate is one too only when the beat
 * follows it after at least an average RR (a premature beat and its compensatory pause), not when it splits the
 * pause into two short intervals (an artefact in one lead). A peak
 * raises a lead's signal level at most as one 32 times that level would (4 times, if the vote outvoted the lead), so
 * one huge artefact cannot leave a lead deaf to its beats.
 *
 * @example
 * ```ts
 * import { createQrsDetector } from '@mhrchain/ecg';
 *
 * const detector = createQrsDetector({ sampleRate: 360, channels: 2, leads: [0] });
 * for (const beat of detector.push(new Int16Array(7200))) console.log(beat.time, beat.heartRate);
 * ```
 */
export function createQrsDetector(parameters: QrsDetectorParameters): QrsDetector {
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
  const { rate, floor, qualityPower, ratioCap, support, supportVote } = QRS_TUNING;
  const L = leads.length;
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
  const state = new Float64Array(L * sections * 2);
  const RING = 1 << Math.ceil(Math.log2(window * 4 + 16));
  const ringMask = RING - 1;
  const bandRing = new Float64Array(RING * L); // band-passed values per lead
  const energyRing = new Float64Array(RING * L); // squared derivative per lead
  const mwiRing = new Float64Array(RING * L); // integrated energy per lead (window sums)
  const mwiSums = new Float64Array(L);
  let n = -1; // index of the current sample
  let pending = new Float64Array(channels);
  let filled = 0;
  // The first sample of each lead is taken as its offset, so the band-pass does not ring on the DC step at start.
  const offsets = new Float64Array(L);

  // Peak tracking on the combined integrated signal (leads scaled to their QRS level, weighted by quality).
  const mix = new Float64Array(L).fill(1);
  const mixRoot = new Float64Array(L).fill(1);
  let candValue = 0;
  let candIndex = -1;
  let rising = true;
  let previous = 0;
  // Per-lead thresholds and history.
  const spki = new Float64Array(L);
  const npki = new Float64Array(L);
  const quality = new Float64Array(L).fill(1 / L);
  // How well each lead sees the beats (mean capped threshold ratio at beats) and how quiet it is between them.
  const hits = new Float64Array(L).fill(1);
  const falseAlarms = new Float64Array(L);
  let beatsRated = 0;
  let othersRated = 0;
  const lastSlope = new Float64Array(L);
  // Lead-off, per lead: the last sample inside a run of FLAT_RUN identical raw samples; the current run's length.
  const flatRun = Math.max(2, Math.round(FLAT_RUN * fs));
  const lastFlat = new Float64Array(L).fill(Number.NEGATIVE_INFINITY);
  const flatCount = new Float64Array(L);
  const lastRaw = new Float64Array(L);
  // Whether each lead abstains from the peak being classified (flat within its integration window).
  const off = new Uint8Array(L);
  // Whether each lead takes the peak being classified for a beat (above its threshold, not a T wave).
  const seen = new Uint8Array(L);
  // One lead alone learns from every beat as Pan and Tompkins's detector does.
  const beatLimit = L > 1 ? BEAT_LIMIT : Number.POSITIVE_INFINITY;
  const learnMax = new Float64Array(L);
  const learnSum = new Float64Array(L);
  let learned = false;
  const learnPeaks: Peak[] = [];
  let lastQrs = Number.NEGATIVE_INFINITY;
  let lastDecay = 0;
  let lastR = -1;
  const rrs: number[] = [];
  let best: Peak | undefined;
  // Whether search-back is waiting for the verdict on an arriving peak before it takes `best`.
  let waiting = false;
  let out: QrsBeat[] = [];

  const rrAverage = () => (rrs.length === 0 ? fs : rrs.reduce((a, b) => a + b, 0) / rrs.length);

  /** Lead quality from its hit and false-alarm rates; the mix scales each lead to its QRS level. */
  const reweigh = () => {
    if (L === 1) return;
    let total = 0;
    for (let l = 0; l < L; l++) {
      // A lead with no QRS energy at all (flat, disconnected) has no say.
      const q = spki[l]! > 0 ? Math.max(hits[l]! - falseAlarms[l]!, floor) ** qualityPower : 0;
      quality[l] = q;
      total += q;
    }
    for (let l = 0; l < L; l++) {
      quality[l] = total > 0 ? quality[l]! / total : 1 / L;
      mix[l] = spki[l]! > 0 ? quality[l]! / spki[l]! : 0;
      mixRoot[l] = Math.sqrt(mix[l]!);
    }
  };

  /** Updates the leads' hit (beat) or false-alarm (not a beat) rates with a classified peak. */
  const rateLeads = (peak: Peak, beat: boolean) => {
    const rates = beat ? hits : falseAlarms;
    // A running mean until 1 / rate peaks have been seen, an exponential average after.
    const a = Math.max(rate, 1 / (beat ? ++beatsRated : ++othersRated));
    for (let l = 0; l < L; l++) {
      rates[l] = a * (Math.min(peak.ratio[l]!, ratioCap) / ratioCap) + (1 - a) * rates[l]!;
    }
  };

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

  const accept = (peak: Peak, searchBack: boolean) => {
    for (let l = 0; l < L; l++) {
      // A search-back beat raises the levels of the leads that saw it as a candidate (a primary one did already).
      if (searchBack && peak.ratio[l]! > 0.5)
        spki[l] = 0.25 * Math.min(peak.energy[l]!, beatLimit * spki[l]!) + 0.75 * spki[l]!;
      lastSlope[l] = peak.slope[l]!;
    }
    rateLeads(peak, true);
    reweigh();
    lastQrs = peak.index;
    best = undefined;
    waiting = false;
    if (peak.r > lastR) emit(peak.r, searchBack);
  };

  const classify = (peak: Peak) => {
    if (peak.index - lastQrs < refractory) return;
    // Each lead judges the peak against its own thresholds; the beat decision is the vote of the leads' threshold
    // ratios, weighted by lead quality.
    const inTWindow = peak.index - lastQrs < tWindow;
    let score = 0;
    let tWave = 0;
    // A lead that was flat inside the peak's integration window (electrode off, or the signal pinned at the converter's
    // limit) abstains, and the other leads' weights are renormalised.
    let heard = 0;
    for (let l = 0; l < L; l++) {
      off[l] = L > 1 && lastFlat[l]! >= peak.index - window - flatRun ? 1 : 0;
      if (!off[l]) heard += quality[l]!;
    }
    const norm = heard > 0 ? 1 / heard : 0;
    let minRatio = Number.POSITIVE_INFINITY;
    let maxRatio = 0;
    for (let l = 0; l < L; l++) {
      const e = peak.energy[l]!;
      const w = off[l] ? 0 : quality[l]! * norm;
      const thr1 = npki[l]! + 0.25 * (spki[l]! - npki[l]!);
      const ratio = thr1 > 0 ? e / thr1 : 0;
      peak.ratio[l] = ratio;
      score += w * Math.min(ratio, ratioCap);
      // T-wave shaped for this lead: slower than T_SLOPE times the last QRS. One lead judges only what it takes for a
      // beat; with several, every lead's shape counts, so that the second hump of a wide beat that one lead takes
      // for a beat and the other barely sees is not a beat of its own.
      const slow = inTWindow && peak.slope[l]! < T_SLOPE * lastSlope[l]!;
      const isT = slow && ratio > 1;
      if (L > 1 ? slow : isT) tWave += w;
      if (!off[l]) {
        minRatio = Math.min(minRatio, ratio);
        maxRatio = Math.max(maxRatio, ratio);
      }
      seen[l] = ratio > 1 && !isT ? 1 : 0;
    }
    peak.score = score;
    peak.disputed = minRatio <= support;
    // A beat when the vote says so, or when it comes close (above `supportVote`) with one lead taking it for a beat
    // and every other lead seeing it above `support` times its own threshold (a small early beat that all leads see,
    // none clearly); not when the leads holding most of the weight take it for a T wave.
    const supported = L > 1 && score > supportVote && maxRatio > 1 && minRatio > support;
    const beat = (score > 1 || supported) && tWave <= 0.5;
    // Each lead learns from its own verdict, as a one-lead detector would, except that a peak it took for a beat and
    // the vote did not (an artefact in that lead, outvoted) raises its signal level no more than a peak
    // ARTEFACT_LIMIT times that level would, and any other peak no more than one BEAT_LIMIT times it: one huge
    // artefact would otherwise leave the lead deaf to its beats for as long as the other leads carry the vote, and of
    // no use when they fail.
    for (let l = 0; l < L; l++) {
      if (off[l]) continue;
      const e = peak.energy[l]!;
      if (seen[l]) spki[l] = 0.125 * Math.min(e, (beat ? beatLimit : ARTEFACT_LIMIT) * spki[l]!) + 0.875 * spki[l]!;
      else npki[l] = 0.125 * e + 0.875 * npki[l]!;
    }
    if (beat) {
      // The candidate search-back waited for came before this beat: a premature beat when this one follows it after a
      // compensatory pause (at least an average RR), an artefact when it splits the pause into two short intervals.
      if (waiting && best && peak.r - best.r >= rrAverage()) accept(best, true);
      accept(peak, false);
    } else {
      rateLeads(peak, false);
      reweigh();
      if (score > 0.5 && tWave <= 0.5 && (!best || score > best.score)) best = peak;
    }
  };

  const confirmPeak = (index: number) => {
    const energy = new Float64Array(L);
    const slope = new Float64Array(L);
    // Steepest slope per lead in the integration window ending at the peak; R at the largest band-passed value.
    let r = index;
    let rValue = -1;
    for (let k = 0; k < window && k <= index; k++) {
      const i = (index - k) & ringMask;
      let a = 0;
      for (let l = 0; l < L; l++) {
        const e = energyRing[l * RING + i]!;
        if (e > slope[l]!) slope[l] = e;
        a += mixRoot[l]! * Math.abs(bandRing[l * RING + i]!);
      }
      if (a > rValue) {
        rValue = a;
        r = index - k;
      }
    }
    for (let l = 0; l < L; l++) energy[l] = mwiRing[l * RING + (index & ringMask)]! / window;
    const peak: Peak = {
      index,
      score: 0,
      r: Math.max(0, r - bandDelay - 2),
      ratio: new Float64Array(L),
      energy,
      slope,
      disputed: false,
    };
    if (!learned) learnPeaks.push(peak);
    else classify(peak);
  };

  const step = (frame: Float64Array) => {
    n++;
    const i = n & ringMask;
    const i1 = (n - 1) & ringMask;
    const i3 = (n - 3) & ringMask;
    const i4 = (n - 4) & ringMask;
    const old = (n - window) & ringMask; // never written before the window has filled: reads 0
    if (n === 0) for (let l = 0; l < L; l++) offsets[l] = frame[leads[l]!]!;
    // The combined integrated signal only feeds peak tracking, which is blind to scale: window sums, not means.
    let v = 0;
    for (let l = 0, base = 0; l < L; l++, base += RING) {
      // Band-pass (direct form II transposed biquads).
      const raw = frame[leads[l]!]!;
      // Lead-off: a run of identical raw samples.
      if (raw === lastRaw[l]) {
        if (++flatCount[l]! >= flatRun) lastFlat[l] = n;
      } else flatCount[l] = 0;
      lastRaw[l] = raw;
      let b = raw - offsets[l]!;
      for (let k = 0, ci = 0, si = l * sections * 2; k < sections; k++, ci += 5, si += 2) {
        const y = coef[ci]! * b + state[si]!;
        state[si] = coef[ci + 1]! * b - coef[ci + 3]! * y + state[si + 1]!;
        state[si + 1] = coef[ci + 2]! * b - coef[ci + 4]! * y;
        b = y;
      }
      bandRing[base + i] = b;
      const d = (2 * b + bandRing[base + i1]! - bandRing[base + i3]! - 2 * bandRing[base + i4]!) / 8;
      const e = d * d;
      const sum = mwiSums[l]! + e - energyRing[base + old]!;
      mwiSums[l] = sum;
      energyRing[base + i] = e;
      mwiRing[base + i] = sum;
      v += mix[l]! * sum;
    }
    if (!learned) {
      for (let l = 0; l < L; l++) {
        const m = mwiSums[l]! / window;
        if (m > learnMax[l]!) learnMax[l] = m;
        learnSum[l] = learnSum[l]! + m;
      }
    }
    // Peak tracking.
    if (rising) {
      if (v > candValue) {
        candValue = v;
        candIndex = n;
      } else if (v < candValue / 2 || n - candIndex >= refractory) {
        confirmPeak(candIndex);
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
      for (let l = 0; l < L; l++) {
        spki[l] = 0.25 * learnMax[l]!;
        npki[l] = 0.5 * (learnSum[l]! / (n + 1));
      }
      reweigh();
      for (const peak of learnPeaks) classify(peak);
      learnPeaks.length = 0;
    }
    // Search-back after a long gap; when there is nothing to search back to, the signal levels decay.
    // (Before the first beat, the gap runs from the end of learning.)
    const gap = n - (lastQrs > Number.NEGATIVE_INFINITY ? lastQrs : learning);
    if (learned && gap > 1.66 * rrAverage()) {
      // With several leads, a disputed candidate waits for the verdict on a peak that is arriving (`rising`: a peak
      // is pending confirmation), at most one refractory period.
      const arriving = L > 1 && rising && candValue / window > ARRIVING && gap <= 1.66 * rrAverage() + refractory;
      if (best) {
        waiting = best.disputed && arriving;
        if (!waiting) accept(best, true);
      } else if (n - lastDecay > rrAverage()) {
        for (let l = 0; l < L; l++) spki[l] = 0.5 * spki[l]!;
        reweigh();
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

/**
 * Detects beats in a whole recording (one-shot use of {@link createQrsDetector}).
 *
 * @example
 * ```ts
 * import { detectQrs } from '@mhrchain/ecg';
 *
 * const beats = detectQrs(new Int16Array(3600), { sampleRate: 360 }); // [] for a flat line
 * ```
 */
export function detectQrs(samples: ArrayLike<number>, parameters: QrsDetectorParameters): QrsBeat[] {
  return createQrsDetector(parameters).push(samples);
}
