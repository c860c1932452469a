/**
 * The entropy-coded body of an ECG frame (see docs/spec/ecg-codec.md): per channel a fixed polynomial predictor
 * (order 0..3), then a normalised LMS stage over the channel's own and a neighbour channel's fixed residuals, then
 * an adaptive binary range coder over zigzag residuals split Rice-style with a context-selected parameter.
 *
 * Encoder and decoder run the same arithmetic in the same order (IEEE-754 double, left-to-right sums), so the
 * LMS predictions agree bit for bit.
 */
import { PROB_INIT, type RangeDecoder, type RangeEncoder } from './rangeCoder.js';

/** LMS taps on the channel's own past fixed residuals. */
export const OWN_TAPS = 16;
/** LMS taps on the neighbour channel (channel 0: channel 1's 4 past values; channel c>0: channel c-1, t..t-4). */
const MAX_TAPS = OWN_TAPS + 5;
/** Leading zeros before each residual history, so taps never index before the frame. */
const PAD = OWN_TAPS + 1;
const MU = 0.125;
const SHIFT = 5;
const DECAY = 3;
const MAX_K = 24;
const MAX_UNARY = 24;
const UNARY_STRIDE = 32;

export interface BodyState {
  /** Fixed residuals per channel with PAD leading zeros: `fixed[c * (PAD + n) + PAD + t]`. */
  fixed: Float64Array;
  weights: Float64Array;
  unary: Uint16Array;
  remainder: Uint16Array;
  meanAbs: Uint32Array;
  capacity: number;
}

export function createBodyState(): BodyState {
  return {
    fixed: new Float64Array(0),
    weights: new Float64Array(0),
    unary: new Uint16Array(0),
    remainder: new Uint16Array(0),
    meanAbs: new Uint32Array(0),
    capacity: -1,
  };
}

function prepare(state: BodyState, channels: number, n: number): void {
  const need = channels * (PAD + n);
  if (state.fixed.length < need) state.fixed = new Float64Array(need);
  else state.fixed.fill(0, 0, need);
  if (state.weights.length < channels * MAX_TAPS) {
    state.weights = new Float64Array(channels * MAX_TAPS);
    state.unary = new Uint16Array(channels * (MAX_K + 1) * UNARY_STRIDE);
    state.remainder = new Uint16Array(channels * (MAX_K + 1) * 2);
    state.meanAbs = new Uint32Array(channels);
  }
  state.weights.fill(0, 0, channels * MAX_TAPS);
  state.unary.fill(PROB_INIT, 0, channels * (MAX_K + 1) * UNARY_STRIDE);
  state.remainder.fill(PROB_INIT, 0, channels * (MAX_K + 1) * 2);
  state.meanAbs.fill(8 << DECAY, 0, channels);
}

/** The LMS prediction for channel c at time t; also returns the input power through `out[0]`. */
function lmsPredict(
  fixed: Float64Array,
  weights: Float64Array,
  c: number,
  channels: number,
  stride: number,
  t: number,
  out: Float64Array,
): number {
  const w0 = c * MAX_TAPS;
  const own = c * stride + PAD + t;
  let p = 0;
  let power = 1;
  for (let j = 0; j < OWN_TAPS; j++) {
    const h = fixed[own - 1 - j]!;
    p += weights[w0 + j]! * h;
    power += h * h;
  }
  if (channels > 1) {
    if (c === 0) {
      const other = stride + PAD + t;
      for (let j = 0; j < 4; j++) {
        const h = fixed[other - 1 - j]!;
        p += weights[w0 + OWN_TAPS + j]! * h;
        power += h * h;
      }
    } else {
      const other = (c - 1) * stride + PAD + t;
      for (let j = 0; j < 5; j++) {
        const h = fixed[other - j]!;
        p += weights[w0 + OWN_TAPS + j]! * h;
        power += h * h;
      }
    }
  }
  out[0] = power;
  return p;
}

function lmsUpdate(
  fixed: Float64Array,
  weights: Float64Array,
  c: number,
  channels: number,
  stride: number,
  t: number,
  g: number,
): void {
  const w0 = c * MAX_TAPS;
  const own = c * stride + PAD + t;
  for (let j = 0; j < OWN_TAPS; j++) weights[w0 + j]! += g * fixed[own - 1 - j]!;
  if (channels > 1) {
    if (c === 0) {
      const other = stride + PAD + t;
      for (let j = 0; j < 4; j++) weights[w0 + OWN_TAPS + j]! += g * fixed[other - 1 - j]!;
    } else {
      const other = (c - 1) * stride + PAD + t;
      for (let j = 0; j < 5; j++) weights[w0 + OWN_TAPS + j]! += g * fixed[other - j]!;
    }
  }
}

function fixedPrediction(x: Int32Array, base: number, channels: number, order: number): number {
  // x[base] is the sample at time t; previous samples are at base - channels, base - 2 * channels...
  switch (order) {
    case 0:
      return 0;
    case 1:
      return x[base - channels]!;
    case 2:
      return 2 * x[base - channels]! - x[base - 2 * channels]!;
    default:
      return 3 * x[base - channels]! - 3 * x[base - 2 * channels]! + x[base - 3 * channels]!;
  }
}

/** Smallest k <= MAX_K with 2^(k + DECAY) >= mean. */
function parameterK(mean: number): number {
  if (mean <= 1 << DECAY) return 0;
  const k = 32 - Math.clz32(mean - 1) - DECAY;
  return Math.min(k, MAX_K);
}

/** Chooses per channel the fixed order (0..3) with the smallest sum of absolute residuals. */
export function chooseOrders(x: Int32Array | Int16Array, channels: number, n: number): Uint8Array {
  const orders = new Uint8Array(channels);
  for (let c = 0; c < channels; c++) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let t = 3; t < n; t++) {
      const i = t * channels + c;
      const a = x[i]!;
      const b = x[i - channels]!;
      const d = x[i - 2 * channels]!;
      const e = x[i - 3 * channels]!;
      const r1 = a - b;
      const r2 = r1 - (b - d);
      const r3 = r2 - (b - d - (d - e));
      s0 += a < 0 ? -a : a;
      s1 += r1 < 0 ? -r1 : r1;
      s2 += r2 < 0 ? -r2 : r2;
      s3 += r3 < 0 ? -r3 : r3;
    }
    let best = 0;
    let bestSum = s0;
    if (s1 < bestSum) {
      best = 1;
      bestSum = s1;
    }
    if (s2 < bestSum) {
      best = 2;
      bestSum = s2;
    }
    if (s3 < bestSum) best = 3;
    orders[c] = best;
  }
  return orders;
}

const scratch = new Float64Array(1);

/** Encodes n interleaved sample sets (already range-checked to bitDepth) into the range coder. */
export function encodeBody(
  rc: RangeEncoder,
  state: BodyState,
  x: Int32Array,
  channels: number,
  n: number,
  bitDepth: number,
  orders: Uint8Array,
): void {
  prepare(state, channels, n);
  const { fixed, weights, unary, remainder, meanAbs } = state;
  const stride = PAD + n;
  const limit = 2 ** (bitDepth + 3);
  const escapeBits = bitDepth + 5;
  const mask = (1 << bitDepth) - 1;
  for (let c = 0; c < channels; c++) rc.direct(orders[c]!, 2);
  if (n === 0) return;
  for (let c = 0; c < channels; c++) rc.direct(x[c]! & mask, bitDepth);
  for (let t = 1; t < n; t++) {
    for (let c = 0; c < channels; c++) {
      const i = t * channels + c;
      const order = Math.min(orders[c]!, t);
      const e = x[i]! - fixedPrediction(x, i, channels, order);
      fixed[c * stride + PAD + t] = e;
      const p = lmsPredict(fixed, weights, c, channels, stride, t, scratch);
      let pr = Math.floor(p + 0.5);
      if (pr > limit) pr = limit;
      else if (pr < -limit) pr = -limit;
      const v = e - pr;
      lmsUpdate(fixed, weights, c, channels, stride, t, (MU * (e - p)) / scratch[0]!);
      // Residual coding.
      const u = v >= 0 ? 2 * v : -2 * v - 1;
      const mean = meanAbs[c]!;
      const k = parameterK(mean);
      const q = u >>> k;
      const base = (c * (MAX_K + 1) + k) * UNARY_STRIDE;
      const stop = Math.min(q, MAX_UNARY);
      for (let j = 0; j < stop; j++) rc.bit(unary, base + j, 1, SHIFT);
      if (q >= MAX_UNARY) {
        rc.direct(u, escapeBits);
      } else {
        rc.bit(unary, base + q, 0, SHIFT);
        if (k > 0) {
          rc.bit(remainder, (c * (MAX_K + 1) + k) * 2 + (q > 0 ? 1 : 0), (u >>> (k - 1)) & 1, SHIFT);
          if (k > 1) rc.direct(u, k - 1);
        }
      }
      const a = v < 0 ? -v : v;
      meanAbs[c] = mean + Math.min(a, 0x8000000) - (mean >>> DECAY);
    }
  }
}

/** Decodes a body; returns false when a decoded sample falls outside the bit depth. */
export function decodeBody(
  rc: RangeDecoder,
  state: BodyState,
  out: Int32Array,
  channels: number,
  n: number,
  bitDepth: number,
): boolean {
  prepare(state, channels, n);
  const { fixed, weights, unary, remainder, meanAbs } = state;
  const stride = PAD + n;
  const limit = 2 ** (bitDepth + 3);
  const escapeBits = bitDepth + 5;
  const lo = -(2 ** (bitDepth - 1));
  const hi = 2 ** (bitDepth - 1) - 1;
  const shift = 32 - bitDepth;
  const orders = new Uint8Array(channels);
  for (let c = 0; c < channels; c++) orders[c] = rc.direct(2);
  if (n === 0) return true;
  for (let c = 0; c < channels; c++) out[c] = (rc.direct(bitDepth) << shift) >> shift;
  for (let t = 1; t < n; t++) {
    for (let c = 0; c < channels; c++) {
      const i = t * channels + c;
      const order = Math.min(orders[c]!, t);
      const p = lmsPredict(fixed, weights, c, channels, stride, t, scratch);
      let pr = Math.floor(p + 0.5);
      if (pr > limit) pr = limit;
      else if (pr < -limit) pr = -limit;
      const mean = meanAbs[c]!;
      const k = parameterK(mean);
      const base = (c * (MAX_K + 1) + k) * UNARY_STRIDE;
      let q = 0;
      while (q < MAX_UNARY && rc.bit(unary, base + q, SHIFT) === 1) q++;
      let u: number;
      if (q >= MAX_UNARY) {
        u = rc.direct(escapeBits);
      } else {
        u = q << k;
        if (k > 0) {
          u += rc.bit(remainder, (c * (MAX_K + 1) + k) * 2 + (q > 0 ? 1 : 0), SHIFT) << (k - 1);
          if (k > 1) u += rc.direct(k - 1);
        }
      }
      const v = (u & 1) === 0 ? u >>> 1 : -((u + 1) >>> 1);
      const e = v + pr;
      fixed[c * stride + PAD + t] = e;
      lmsUpdate(fixed, weights, c, channels, stride, t, (MU * (e - p)) / scratch[0]!);
      const s = e + fixedPrediction(out, i, channels, order);
      if (s < lo || s > hi) return false;
      out[i] = s;
      const a = v < 0 ? -v : v;
      meanAbs[c] = mean + Math.min(a, 0x8000000) - (mean >>> DECAY);
    }
  }
  return true;
}
