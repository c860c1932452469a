/**
 * The entropy-coded body of an ECG frame (see docs/spec/ecg-codec.md): per channel a fixed polynomial predictor
 * (order 0..3), then a normalised LMS stage over the channel's own and a neighbour channel's fixed residuals, a
 * second small LMS stage over the first stage's past errors, then an adaptive binary range coder over zigzag
 * residuals split Rice-style with a context-selected parameter.
 *
 * Encoder and decoder run the same arithmetic in the same order (IEEE-754 double, left-to-right sums), so the
 * LMS predictions agree bit for bit.
 */
import { PROB_INIT, type RangeDecoder, type RangeEncoder } from './rangeCoder.js';
import {
  contextOf,
  ESCAPE,
  INITIAL_WEIGHTS_1024,
  MAGNITUDE_INIT,
  RANS_LOW,
  RAW_GROUP,
  RansDecoder,
  RansEncoder,
  STATE_BITS,
} from './rans.js';

/** LMS taps on the channel's own past fixed residuals. */
export const OWN_TAPS = 8;
/** LMS taps on the neighbour channel: channel 0 uses channel 1 at t-1..t-CROSS_PAST; channel c>0 uses c-1 at t..t-CROSS_PAST. */
const CROSS_PAST = 4;
const MAX_TAPS = OWN_TAPS + CROSS_PAST + 1;
/** Leading zeros before each residual history, so taps never index before the frame. */
const PAD = OWN_TAPS + 1;
const MU = 0.1;
/** Second (cascade) NLMS stage: taps on the channel's past stage-1 residuals, and its step size. */
const CASCADE_TAPS = 2;
const CASCADE_MU = 0.05;
/** Stage-1 residual history per channel: r(t-1) .. r(t-CASCADE_TAPS-1). */
const CASCADE_STRIDE = CASCADE_TAPS + 1;
const SHIFT = 5;
const DECAY = 2;
const MAX_K = 24;
const MAX_UNARY = 24;
const UNARY_STRIDE = 32;

export interface BodyState {
  /** Fixed residuals per channel with PAD leading zeros: `fixed[c * (PAD + n) + PAD + t]`. */
  fixed: Float64Array;
  weights: Float64Array;
  /** Per channel, the LMS step of the previous sample, applied lazily before the next prediction. */
  step: Float64Array;
  /** Cascade stage: per channel its stage-1 residual history, weights and pending step. */
  cascadeHistory: Float64Array;
  cascadeWeights: Float64Array;
  cascadeStep: Float64Array;
  unary: Uint16Array;
  remainder: Uint16Array;
  meanAbs: Uint32Array;
}

export function createBodyState(): BodyState {
  return {
    fixed: new Float64Array(0),
    weights: new Float64Array(0),
    step: new Float64Array(0),
    cascadeHistory: new Float64Array(0),
    cascadeWeights: new Float64Array(0),
    cascadeStep: new Float64Array(0),
    unary: new Uint16Array(0),
    remainder: new Uint16Array(0),
    meanAbs: new Uint32Array(0),
  };
}

function prepare(state: BodyState, channels: number, n: number, orders?: Uint8Array): void {
  const need = channels * (PAD + n);
  if (state.fixed.length < need) state.fixed = new Float64Array(need);
  else state.fixed.fill(0, 0, need);
  if (state.weights.length < channels * MAX_TAPS) {
    state.weights = new Float64Array(channels * MAX_TAPS);
    state.step = new Float64Array(channels);
    state.cascadeHistory = new Float64Array(channels * CASCADE_STRIDE);
    state.cascadeWeights = new Float64Array(channels * CASCADE_TAPS);
    state.cascadeStep = new Float64Array(channels);
    state.unary = new Uint16Array(channels * (MAX_K + 1) * UNARY_STRIDE);
    state.remainder = new Uint16Array(channels * (MAX_K + 1) * 2);
    state.meanAbs = new Uint32Array(channels);
  }
  state.weights.fill(0, 0, channels * MAX_TAPS);
  if (orders) {
    // Version 3 starts stage 1 from fixed weights, by the channel's order: channel 0's set, or every other's.
    for (let c = 0; c < channels; c++) {
      const weights = INITIAL_WEIGHTS_1024[orders[c]!]!;
      const set = c === 0 ? 0 : MAX_TAPS;
      for (let j = 0; j < MAX_TAPS; j++) state.weights[c * MAX_TAPS + j] = weights[set + j]! / 1024;
    }
  }
  state.step.fill(0, 0, channels);
  state.cascadeHistory.fill(0, 0, channels * CASCADE_STRIDE);
  state.cascadeWeights.fill(0, 0, channels * CASCADE_TAPS);
  state.cascadeStep.fill(0, 0, channels);
  state.unary.fill(PROB_INIT, 0, channels * (MAX_K + 1) * UNARY_STRIDE);
  state.remainder.fill(PROB_INIT, 0, channels * (MAX_K + 1) * 2);
  state.meanAbs.fill(8 << DECAY, 0, channels);
}

/**
 * Applies channel c's pending LMS step (from time t - 1) and returns the prediction at time t; the input power
 * (1 + sum of squared taps) goes to `out[0]`. Per weight: w += step * h(t-1), then p += w * h(t), in tap order.
 */
function lms(
  fixed: Float64Array,
  weights: Float64Array,
  g: number,
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
    const w = weights[w0 + j]! + g * fixed[own - 2 - j]!;
    weights[w0 + j] = w;
    p += w * h;
    power += h * h;
  }
  if (channels > 1) {
    if (c === 0) {
      const other = stride + PAD + t;
      for (let j = 0; j < CROSS_PAST; j++) {
        const h = fixed[other - 1 - j]!;
        const w = weights[w0 + OWN_TAPS + j]! + g * fixed[other - 2 - j]!;
        weights[w0 + OWN_TAPS + j] = w;
        p += w * h;
        power += h * h;
      }
    } else {
      const other = (c - 1) * stride + PAD + t;
      for (let j = 0; j <= CROSS_PAST; j++) {
        const h = fixed[other - j]!;
        const w = weights[w0 + OWN_TAPS + j]! + g * fixed[other - 1 - j]!;
        weights[w0 + OWN_TAPS + j] = w;
        p += w * h;
        power += h * h;
      }
    }
  }
  out[0] = power;
  return p;
}

/**
 * The cascade stage of channel c: applies its pending step (from time t - 1) and returns its prediction of the
 * stage-1 residual at time t; the input power (1 + sum of squared taps) goes to `out[1]`. Taps are the stage-1
 * residuals r(t-1), r(t-2); per weight: w += step * h(t-1), then p += w * h(t), in tap order.
 */
function cascade(history: Float64Array, weights: Float64Array, g: number, c: number, out: Float64Array): number {
  const h0 = c * CASCADE_STRIDE;
  const w0 = c * CASCADE_TAPS;
  let p = 0;
  let power = 1;
  for (let j = 0; j < CASCADE_TAPS; j++) {
    const h = history[h0 + j]!;
    const w = weights[w0 + j]! + g * history[h0 + j + 1]!;
    weights[w0 + j] = w;
    p += w * h;
    power += h * h;
  }
  out[1] = power;
  return p;
}

/** Records channel c's stage-1 residual r(t) = e(t) - p1(t) and updates both steps (stage 1 on its own error, the cascade on the final one). */
function adapt(state: BodyState, c: number, e: number, p1: number, p: number, power: Float64Array): void {
  state.step[c] = (MU * (e - p1)) / power[0]!;
  state.cascadeStep[c] = (CASCADE_MU * (e - p)) / power[1]!;
  const history = state.cascadeHistory;
  const h0 = c * CASCADE_STRIDE;
  for (let j = CASCADE_TAPS; j > 0; j--) history[h0 + j] = history[h0 + j - 1]!;
  history[h0] = e - p1;
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
export function chooseOrders(x: Int32Array, channels: number, n: number): Uint8Array {
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

const scratch = new Float64Array(2);
const TOP = 0x1000000;

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
  const { fixed, weights, step, cascadeHistory, cascadeWeights, cascadeStep, unary, remainder, meanAbs } = state;
  const stride = PAD + n;
  const limit = 2 ** (bitDepth + 3);
  const escapeBits = bitDepth + 5;
  const mask = (1 << bitDepth) - 1;
  for (let c = 0; c < channels; c++) rc.direct(orders[c]!, 2);
  if (n === 0) return;
  for (let c = 0; c < channels; c++) rc.direct(x[c]! & mask, bitDepth);
  // Coder registers in locals for the hot loop (the inlined equivalent of rc.bit and rc.direct).
  let low = rc.r[0]!;
  let range = rc.r[1]!;
  for (let t = 1; t < n; t++) {
    for (let c = 0; c < channels; c++) {
      const i = t * channels + c;
      const order = Math.min(orders[c]!, t);
      const e = x[i]! - fixedPrediction(x, i, channels, order);
      fixed[c * stride + PAD + t] = e;
      const p1 = lms(fixed, weights, step[c]!, c, channels, stride, t, scratch);
      const p = p1 + cascade(cascadeHistory, cascadeWeights, cascadeStep[c]!, c, scratch);
      let pr = Math.floor(p + 0.5);
      if (pr > limit) pr = limit;
      else if (pr < -limit) pr = -limit;
      const v = e - pr;
      adapt(state, c, e, p1, p, scratch);
      const u = v >= 0 ? 2 * v : -2 * v - 1;
      const mean = meanAbs[c]!;
      const k = parameterK(mean);
      const q = u >>> k;
      const base = k * UNARY_STRIDE;
      const last = q < MAX_UNARY ? q : MAX_UNARY - 1;
      for (let j = 0; j <= last; j++) {
        const idx = base + j;
        const prob = unary[idx]!;
        const bound = (range >>> 12) * prob;
        if (j === q) {
          range = bound;
          unary[idx] = prob + ((4096 - prob) >>> SHIFT);
        } else {
          low += bound;
          range -= bound;
          unary[idx] = prob - (prob >>> SHIFT);
        }
        while (range < TOP) {
          range = (range * 256) >>> 0;
          low = rc.shiftLow(low);
        }
      }
      let rawBits = 0;
      let raw = 0;
      if (q >= MAX_UNARY) {
        rawBits = escapeBits;
        raw = u;
      } else if (k > 0) {
        const idx = k * 2 + (q > 0 ? 1 : 0);
        const prob = remainder[idx]!;
        const bound = (range >>> 12) * prob;
        if (((u >>> (k - 1)) & 1) === 0) {
          range = bound;
          remainder[idx] = prob + ((4096 - prob) >>> SHIFT);
        } else {
          low += bound;
          range -= bound;
          remainder[idx] = prob - (prob >>> SHIFT);
        }
        while (range < TOP) {
          range = (range * 256) >>> 0;
          low = rc.shiftLow(low);
        }
        rawBits = k - 1;
        raw = u & ((1 << rawBits) - 1);
      }
      while (rawBits > 0) {
        const take = Math.min(rawBits, 16);
        rawBits -= take;
        range = range >>> take;
        low += ((raw >>> rawBits) & ((1 << take) - 1)) * range;
        while (range < TOP) {
          range = (range * 256) >>> 0;
          low = rc.shiftLow(low);
        }
      }
      const a = v < 0 ? -v : v;
      meanAbs[c] = mean + Math.min(a, 0x8000000) - (mean >>> DECAY);
    }
  }
  rc.r[0] = low;
  rc.r[1] = range;
}

/**
 * Decodes a body; returns false when the body is corrupt: a decoded sample falls outside the bit depth, or the
 * coder's state is one no encoder produces.
 */
export function decodeBody(
  rc: RangeDecoder,
  state: BodyState,
  out: Int32Array,
  channels: number,
  n: number,
  bitDepth: number,
): boolean {
  prepare(state, channels, n);
  const { fixed, weights, step, cascadeHistory, cascadeWeights, cascadeStep, unary, remainder, meanAbs } = state;
  const stride = PAD + n;
  const limit = 2 ** (bitDepth + 3);
  const escapeBits = bitDepth + 5;
  const lo = -(2 ** (bitDepth - 1));
  const hi = 2 ** (bitDepth - 1) - 1;
  const shift = 32 - bitDepth;
  const orders = new Uint8Array(channels);
  for (let c = 0; c < channels; c++) orders[c] = rc.direct(2);
  if (rc.corrupt) return false;
  if (n === 0) return true;
  for (let c = 0; c < channels; c++) out[c] = (rc.direct(bitDepth) << shift) >> shift;
  if (rc.corrupt) return false;
  const buf = rc.buf;
  const end = rc.end;
  let pos = rc.pos;
  let range = rc.r[0]!;
  let code = rc.r[1]!;
  for (let t = 1; t < n; t++) {
    for (let c = 0; c < channels; c++) {
      const i = t * channels + c;
      const order = Math.min(orders[c]!, t);
      const p1 = lms(fixed, weights, step[c]!, c, channels, stride, t, scratch);
      const p = p1 + cascade(cascadeHistory, cascadeWeights, cascadeStep[c]!, c, scratch);
      let pr = Math.floor(p + 0.5);
      if (pr > limit) pr = limit;
      else if (pr < -limit) pr = -limit;
      const mean = meanAbs[c]!;
      const k = parameterK(mean);
      const base = k * UNARY_STRIDE;
      let q = 0;
      for (;;) {
        const idx = base + q;
        const prob = unary[idx]!;
        const bound = (range >>> 12) * prob;
        let bit: number;
        if (code < bound) {
          range = bound;
          unary[idx] = prob + ((4096 - prob) >>> SHIFT);
          bit = 0;
        } else {
          code -= bound;
          range -= bound;
          unary[idx] = prob - (prob >>> SHIFT);
          bit = 1;
        }
        while (range < TOP) {
          range = (range * 256) >>> 0;
          code = code * 256 + (pos < end ? buf[pos]! : 0);
          pos++;
        }
        if (bit === 0) break;
        if (++q === MAX_UNARY) break;
      }
      let rawBits = 0;
      let u = 0;
      if (q >= MAX_UNARY) {
        rawBits = escapeBits;
      } else {
        u = q << k;
        if (k > 0) {
          const idx = k * 2 + (q > 0 ? 1 : 0);
          const prob = remainder[idx]!;
          const bound = (range >>> 12) * prob;
          if (code < bound) {
            range = bound;
            remainder[idx] = prob + ((4096 - prob) >>> SHIFT);
          } else {
            code -= bound;
            range -= bound;
            remainder[idx] = prob - (prob >>> SHIFT);
            u += 1 << (k - 1);
          }
          while (range < TOP) {
            range = (range * 256) >>> 0;
            code = code * 256 + (pos < end ? buf[pos]! : 0);
            pos++;
          }
          rawBits = k - 1;
        }
      }
      let raw = 0;
      while (rawBits > 0) {
        const take = Math.min(rawBits, 16);
        rawBits -= take;
        range = range >>> take;
        const chunk = Math.floor(code / range);
        if (chunk > (1 << take) - 1) return false; // only in corrupted input (code ≥ range)
        code -= chunk * range;
        raw = raw * (1 << take) + chunk;
        while (range < TOP) {
          range = (range * 256) >>> 0;
          code = code * 256 + (pos < end ? buf[pos]! : 0);
          pos++;
        }
      }
      u += raw;
      const v = (u & 1) === 0 ? u >>> 1 : -((u + 1) >>> 1);
      const e = v + pr;
      fixed[c * stride + PAD + t] = e;
      adapt(state, c, e, p1, p, scratch);
      const s = e + fixedPrediction(out, i, channels, order);
      if (s < lo || s > hi) return false;
      out[i] = s;
      const a = v < 0 ? -v : v;
      meanAbs[c] = mean + Math.min(a, 0x8000000) - (mean >>> DECAY);
    }
  }
  return true;
}

// ------------------------------------------------------------------------------------------------ version 3

/**
 * Stage 1 of version 3: the weights are updated as in {@link lms}, but the products are summed as a tree (own taps
 * ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)), neighbour taps ((b0 + b1) + (b2 + b3)) + b4, then own +
 * neighbour), which shortens the chain from one sample to the next; the squares likewise, and `out[0]` gets the
 * step's factor MU / (1 + their sum).
 */
function lms3(
  fixed: Float64Array,
  weights: Float64Array,
  g: number,
  c: number,
  channels: number,
  stride: number,
  t: number,
  out: Float64Array,
): number {
  const w0 = c * MAX_TAPS;
  const own = c * stride + PAD + t;
  const a = scratchProducts;
  const q = scratchSquares;
  for (let j = 0; j < OWN_TAPS; j++) {
    const h = fixed[own - 1 - j]!;
    const w = weights[w0 + j]! + g * fixed[own - 2 - j]!;
    weights[w0 + j] = w;
    a[j] = w * h;
    q[j] = h * h;
  }
  let p = a[0]! + a[1]! + (a[2]! + a[3]!) + (a[4]! + a[5]! + (a[6]! + a[7]!));
  let power = q[0]! + q[1]! + (q[2]! + q[3]!) + (q[4]! + q[5]! + (q[6]! + q[7]!));
  if (channels > 1) {
    // Channel 0: channel 1 at t-1..t-4; channel c > 0: channel c-1 at t..t-4.
    const other = c === 0 ? stride + PAD + t - 1 : (c - 1) * stride + PAD + t;
    const taps = c === 0 ? CROSS_PAST : CROSS_PAST + 1;
    for (let j = 0; j < taps; j++) {
      const h = fixed[other - j]!;
      const w = weights[w0 + OWN_TAPS + j]! + g * fixed[other - 1 - j]!;
      weights[w0 + OWN_TAPS + j] = w;
      a[j] = w * h;
      q[j] = h * h;
    }
    let pb = a[0]! + a[1]! + (a[2]! + a[3]!);
    let qb = q[0]! + q[1]! + (q[2]! + q[3]!);
    if (taps > CROSS_PAST) {
      pb += a[4]!;
      qb += q[4]!;
    }
    p += pb;
    power += qb;
  }
  out[0] = MU / (1 + power);
  return p;
}
const scratchProducts = new Float64Array(OWN_TAPS);
const scratchSquares = new Float64Array(OWN_TAPS);

/** {@link adapt} of version 3: each step is the error times a factor computed before it (`out[0]`, and 0.05 / power₂). */
function adapt3(state: BodyState, c: number, e: number, p1: number, p: number, power: Float64Array): void {
  state.step[c] = (e - p1) * power[0]!;
  state.cascadeStep[c] = (e - p) * (CASCADE_MU / power[1]!);
  const history = state.cascadeHistory;
  const h0 = c * CASCADE_STRIDE;
  for (let j = CASCADE_TAPS; j > 0; j--) history[h0 + j] = history[h0 + j - 1]!;
  history[h0] = e - p1;
}

/** A scratch array of residuals (grown as needed). */
let residualScratch = new Int32Array(0);
let contextScratch = new Uint16Array(0);

/**
 * The frame's header data of version 3 as bits, most significant first: every channel's order (2 bits), then, when
 * the frame has samples, every channel's first sample (low `bitDepth` bits).
 */
function headerBits(orders: Uint8Array, x: Int32Array, channels: number, n: number, bitDepth: number): Uint8Array {
  const bits = new Uint8Array(channels * (2 + (n > 0 ? bitDepth : 0)));
  let k = 0;
  for (let c = 0; c < channels; c++) {
    bits[k++] = orders[c]! >>> 1;
    bits[k++] = orders[c]! & 1;
  }
  if (n > 0) for (let c = 0; c < channels; c++) for (let b = bitDepth - 1; b >= 0; b--) bits[k++] = (x[c]! >>> b) & 1;
  return bits;
}

/** Stage 1 and the cascade over a frame (version 3): the coded value of every sample after the first. */
function predictResiduals(
  state: BodyState,
  x: Int32Array,
  channels: number,
  n: number,
  bitDepth: number,
  orders: Uint8Array,
  v: Int32Array,
): void {
  prepare(state, channels, n, orders);
  const { fixed, weights, step, cascadeHistory, cascadeWeights, cascadeStep } = state;
  const stride = PAD + n;
  const limit = 2 ** (bitDepth + 3);
  for (let t = 1; t < n; t++) {
    for (let c = 0; c < channels; c++) {
      const i = t * channels + c;
      const e = x[i]! - fixedPrediction(x, i, channels, Math.min(orders[c]!, t));
      fixed[c * stride + PAD + t] = e;
      const p1 = lms3(fixed, weights, step[c]!, c, channels, stride, t, scratch);
      const p = p1 + cascade(cascadeHistory, cascadeWeights, cascadeStep[c]!, c, scratch);
      let pr = Math.floor(p + 0.5);
      if (pr > limit) pr = limit;
      else if (pr < -limit) pr = -limit;
      v[i] = e - pr;
      adapt3(state, c, e, p1, p, scratch);
    }
  }
}

/**
 * The version-3 residuals of a frame (index `t * channels + c`, the first `channels` unused); `state.weights` holds
 * the stage-1 weights at the frame's end afterwards. For fitting the format's constants (scripts/fit-frame-tables.ts).
 */
export function residualsV3(
  state: BodyState,
  x: Int32Array,
  channels: number,
  n: number,
  bitDepth: number,
  orders: Uint8Array,
): Int32Array {
  const v = new Int32Array(channels * n);
  predictResiduals(state, x, channels, n, bitDepth, orders, v);
  return v;
}

/** Encodes a version-3 body (samples already range-checked to bitDepth). */
export function encodeBodyV3(
  state: BodyState,
  x: Int32Array,
  channels: number,
  n: number,
  bitDepth: number,
  orders: Uint8Array,
): Uint8Array {
  const count = channels * n;
  if (residualScratch.length < count) {
    residualScratch = new Int32Array(count);
    contextScratch = new Uint16Array(count);
  }
  const v = residualScratch;
  const contexts = contextScratch;
  predictResiduals(state, x, channels, n, bitDepth, orders, v);
  // Contexts in coding order (each depends on the channel's earlier values), then the values last to first.
  const magnitude = new Uint32Array(channels).fill(MAGNITUDE_INIT);
  for (let i = channels; i < count; i++) {
    const c = i % channels;
    const a = magnitude[c]!;
    contexts[i] = contextOf(channels > 1 ? (3 * a + magnitude[c === 0 ? 1 : c - 1]!) >>> 2 : a);
    const value = v[i]!;
    const abs = value < 0 ? -value : value;
    magnitude[c] = a + Math.min(abs, 0x8000000) - (a >>> 2);
  }
  const bits = headerBits(orders, x, channels, n, bitDepth);
  const lead = Math.max(0, bits.length - STATE_BITS);
  let carried = 0;
  for (let k = lead; k < bits.length; k++) carried = carried * 2 + bits[k]!;
  const rc = new RansEncoder(64 + Math.ceil(count * 1.5), RANS_LOW + carried);
  // The leading header bits in groups of 15 (the last shorter), read after every value: coded first, last group first.
  for (let g = Math.floor((lead - 1) / RAW_GROUP) * RAW_GROUP; g >= 0 && lead > 0; g -= RAW_GROUP) {
    const size = Math.min(RAW_GROUP, lead - g);
    let value = 0;
    for (let k = g; k < g + size; k++) value = value * 2 + bits[k]!;
    rc.raw(value, size);
  }
  for (let i = count - 1; i >= channels; i--) {
    const value = v[i]!;
    const u = value >= 0 ? 2 * value : -2 * value - 1;
    const context = contexts[i]!;
    const shift = context >>> 4;
    const symbol = u >>> shift;
    if (symbol >= ESCAPE) {
      rc.raw(u, bitDepth + 5);
      rc.symbol(context & 15, ESCAPE);
    } else {
      rc.raw(u & ((1 << shift) - 1), shift);
      rc.symbol(context & 15, symbol);
    }
  }
  return rc.finish();
}

/** Decodes a version-3 body `buf[start, end)`; false when it is corrupt. */
export function decodeBodyV3(
  buf: Uint8Array,
  start: number,
  end: number,
  state: BodyState,
  out: Int32Array,
  channels: number,
  n: number,
  bitDepth: number,
): boolean {
  const count = channels * n;
  if (residualScratch.length < count) {
    residualScratch = new Int32Array(count);
    contextScratch = new Uint16Array(count);
  }
  const v = residualScratch;
  const rc = new RansDecoder(buf, start, end);
  const magnitude = new Uint32Array(channels).fill(MAGNITUDE_INIT);
  for (let i = channels; i < count; i++) {
    const c = i % channels;
    const a = magnitude[c]!;
    const context = contextOf(channels > 1 ? (3 * a + magnitude[c === 0 ? 1 : c - 1]!) >>> 2 : a);
    const shift = context >>> 4;
    const symbol = rc.symbol(context & 15);
    const u = symbol === ESCAPE ? rc.raw(bitDepth + 5) : symbol * (1 << shift) + rc.raw(shift);
    const value = u % 2 === 0 ? u / 2 : -(u + 1) / 2;
    v[i] = value;
    const abs = value < 0 ? -value : value;
    magnitude[c] = a + Math.min(abs, 0x8000000) - (a >>> 2);
  }
  const w = channels * (2 + (n > 0 ? bitDepth : 0));
  const lead = Math.max(0, w - STATE_BITS);
  const bits = new Uint8Array(w);
  for (let g = 0; g < lead; g += RAW_GROUP) {
    const size = Math.min(RAW_GROUP, lead - g);
    const value = rc.raw(size);
    for (let k = 0; k < size; k++) bits[g + k] = (value >>> (size - 1 - k)) & 1;
  }
  const carried = rc.final();
  if (carried < 0) return false;
  for (let k = lead; k < w; k++) bits[k] = (carried >>> (w - 1 - k)) & 1;
  if (w - lead < STATE_BITS && carried >>> (w - lead) !== 0) return false;
  const orders = new Uint8Array(channels);
  for (let c = 0; c < channels; c++) orders[c] = bits[2 * c]! * 2 + bits[2 * c + 1]!;
  if (n === 0) return true;
  const shift = 32 - bitDepth;
  for (let c = 0; c < channels; c++) {
    let value = 0;
    for (let b = 0; b < bitDepth; b++) value = (value << 1) | bits[2 * channels + c * bitDepth + b]!;
    out[c] = (value << shift) >> shift;
  }
  prepare(state, channels, n, orders);
  const { fixed, weights, step, cascadeHistory, cascadeWeights, cascadeStep } = state;
  const stride = PAD + n;
  const limit = 2 ** (bitDepth + 3);
  const lo = -(2 ** (bitDepth - 1));
  const hi = 2 ** (bitDepth - 1) - 1;
  for (let t = 1; t < n; t++) {
    for (let c = 0; c < channels; c++) {
      const i = t * channels + c;
      const p1 = lms3(fixed, weights, step[c]!, c, channels, stride, t, scratch);
      const p = p1 + cascade(cascadeHistory, cascadeWeights, cascadeStep[c]!, c, scratch);
      let pr = Math.floor(p + 0.5);
      if (pr > limit) pr = limit;
      else if (pr < -limit) pr = -limit;
      const e = v[i]! + pr;
      fixed[c * stride + PAD + t] = e;
      adapt3(state, c, e, p1, p, scratch);
      const s = e + fixedPrediction(out, i, channels, Math.min(orders[c]!, t));
      if (s < lo || s > hi) return false;
      out[i] = s;
    }
  }
  return true;
}
