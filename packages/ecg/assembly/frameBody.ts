// The ECG frame body (docs/spec/ecg-codec.md) in AssemblyScript, compiled to WebAssembly by scripts/build-wasm.mjs.
// It is the same arithmetic as src/internal/frameBody.ts and src/internal/rangeCoder.ts, in the same order
// (IEEE-754 doubles for the LMS stages, left-to-right sums, no fused multiply-add), so both produce the same bytes
// and the same samples; the tests check that on real recordings, random signals and the golden frames.
// No allocation: the caller lays out every buffer in linear memory. A frame's work area may start `d` bytes after
// the layout's globals (the second frame of a pair); the functions below take that `d`.

const OWN_TAPS: i32 = 8;
const CROSS_PAST: i32 = 4;
const MAX_TAPS: i32 = OWN_TAPS + CROSS_PAST + 1;
const PAD: i32 = OWN_TAPS + 1;
const MU: f64 = 0.1;
const CASCADE_TAPS: i32 = 2;
const CASCADE_MU: f64 = 0.05;
const CASCADE_STRIDE: i32 = CASCADE_TAPS + 1;
const SHIFT: u32 = 5;
const DECAY: u32 = 2;
const MAX_K: i32 = 24;
const MAX_UNARY: u32 = 24;
const UNARY_STRIDE: i32 = 32;
const PROB_INIT: u16 = 2048;
const TOP: u32 = 0x1000000;

/** Where the caller may start laying out buffers. */
export const heapBase: usize = __heap_base;

// Work area layout (byte offsets from `work`), for `channels` channels of `n` samples.
let fixedAt: usize = 0;
let weightsAt: usize = 0;
let stepAt: usize = 0;
let cascadeHistoryAt: usize = 0;
let cascadeWeightsAt: usize = 0;
let cascadeStepAt: usize = 0;
let unaryAt: usize = 0;
let remainderAt: usize = 0;
let meanAbsAt: usize = 0;
let ordersAt: usize = 0;
let residualsAt: usize = 0;

function align8(x: usize): usize {
  return (x + 7) & ~(<usize>7);
}

function layout(work: usize, channels: i32, n: i32): usize {
  const c = <usize>channels;
  fixedAt = work;
  weightsAt = fixedAt + 8 * c * <usize>(PAD + n);
  stepAt = weightsAt + 8 * c * <usize>MAX_TAPS;
  cascadeHistoryAt = stepAt + 8 * c;
  cascadeWeightsAt = cascadeHistoryAt + 8 * c * <usize>CASCADE_STRIDE;
  cascadeStepAt = cascadeWeightsAt + 8 * c * <usize>CASCADE_TAPS;
  unaryAt = cascadeStepAt + 8 * c;
  remainderAt = unaryAt + 2 * <usize>((MAX_K + 1) * UNARY_STRIDE);
  meanAbsAt = align8(remainderAt + 2 * <usize>((MAX_K + 1) * 2));
  ordersAt = meanAbsAt + 4 * c;
  residualsAt = align8(ordersAt + c);
  return residualsAt + 4 * c * <usize>n - work;
}

/** Bytes of work area needed for `channels` channels of `n` samples. */
export function workBytes(channels: i32, n: i32): usize {
  return layout(0, channels, n);
}

function prepare(work: usize, channels: i32, n: i32): void {
  layout(work, channels, n);
  // Zero what is read before it is written: each channel's residual history up to t = 0 (the PAD leading zeros
  // and the first sample's slot), the weights, steps and cascade state. The rest of the history and the residual
  // scratch are written before they are read.
  const stride = <usize>(PAD + n);
  for (let c: i32 = 0; c < channels; c++) memory.fill(fixedAt + 8 * stride * <usize>c, 0, 8 * <usize>(PAD + 1));
  memory.fill(weightsAt, 0, unaryAt - weightsAt);
  // Every probability starts at one half (0x0800): the unary and remainder tables are contiguous.
  const probabilities = (MAX_K + 1) * (UNARY_STRIDE + 2);
  let i: i32 = 0;
  for (; i + 4 <= probabilities; i += 4) store<u64>(unaryAt + 2 * <usize>i, 0x0800080008000800);
  for (; i < probabilities; i++) store<u16>(unaryAt + 2 * <usize>i, PROB_INIT);
  for (let c: i32 = 0; c < channels; c++) store<u32>(meanAbsAt + 4 * <usize>c, 8 << DECAY);
}

/**
 * Stage 1: applies channel c's pending step and predicts time t; leaves the input power in the step slot for
 * {@link adapt}. Written out tap by tap (each past residual loaded once); per weight w += g·h(t-1) then
 * p += w·h(t), in tap order, as in the JavaScript codec.
 */
@inline function lms(g: f64, c: i32, channels: i32, stride: i32, t: i32, d: usize): f64 {
  const w = d + weightsAt + 8 * <usize>(c * MAX_TAPS);
  // hj = the channel's fixed residual at t-1-j (the history starts PAD = 9 places before the frame).
  const own = d + fixedAt + (<usize>(c * stride + t) << 3);
  const h0 = load<f64>(own, 64);
  const h1 = load<f64>(own, 56);
  const h2 = load<f64>(own, 48);
  const h3 = load<f64>(own, 40);
  const h4 = load<f64>(own, 32);
  const h5 = load<f64>(own, 24);
  const h6 = load<f64>(own, 16);
  const h7 = load<f64>(own, 8);
  const h8 = load<f64>(own, 0);
  let p: f64 = 0;
  let power: f64 = 1;
  let v: f64 = load<f64>(w, 0) + g * h1;
  store<f64>(w, v, 0);
  p += v * h0;
  power += h0 * h0;
  v = load<f64>(w, 8) + g * h2;
  store<f64>(w, v, 8);
  p += v * h1;
  power += h1 * h1;
  v = load<f64>(w, 16) + g * h3;
  store<f64>(w, v, 16);
  p += v * h2;
  power += h2 * h2;
  v = load<f64>(w, 24) + g * h4;
  store<f64>(w, v, 24);
  p += v * h3;
  power += h3 * h3;
  v = load<f64>(w, 32) + g * h5;
  store<f64>(w, v, 32);
  p += v * h4;
  power += h4 * h4;
  v = load<f64>(w, 40) + g * h6;
  store<f64>(w, v, 40);
  p += v * h5;
  power += h5 * h5;
  v = load<f64>(w, 48) + g * h7;
  store<f64>(w, v, 48);
  p += v * h6;
  power += h6 * h6;
  v = load<f64>(w, 56) + g * h8;
  store<f64>(w, v, 56);
  p += v * h7;
  power += h7 * h7;
  if (channels > 1) {
    // Channel 0 uses channel 1 at t-1..t-4 (oj at t-1-j); channel c > 0 uses channel c-1 at t..t-4 (oj at t-j).
    const row = c == 0 ? 1 : c - 1;
    const other = d + fixedAt + (<usize>(row * stride + PAD + t - 5) << 3);
    const shift: usize = c == 0 ? 0 : 8;
    const o0 = load<f64>(other + shift, 32);
    const o1 = load<f64>(other + shift, 24);
    const o2 = load<f64>(other + shift, 16);
    const o3 = load<f64>(other + shift, 8);
    const o4 = load<f64>(other + shift, 0);
    v = load<f64>(w, 64) + g * o1;
    store<f64>(w, v, 64);
    p += v * o0;
    power += o0 * o0;
    v = load<f64>(w, 72) + g * o2;
    store<f64>(w, v, 72);
    p += v * o1;
    power += o1 * o1;
    v = load<f64>(w, 80) + g * o3;
    store<f64>(w, v, 80);
    p += v * o2;
    power += o2 * o2;
    v = load<f64>(w, 88) + g * o4;
    store<f64>(w, v, 88);
    p += v * o3;
    power += o3 * o3;
    if (c != 0) {
      const o5 = load<f64>(other, 0);
      v = load<f64>(w, 96) + g * o5;
      store<f64>(w, v, 96);
      p += v * o4;
      power += o4 * o4;
    }
  }
  store<f64>(d + stepAt + 8 * <usize>c, power); // the step slot holds the power until adapt
  return p;
}

/** Stage 2 (cascade) of channel c; leaves its input power in the cascade step slot. */
@inline function cascade(g: f64, c: i32, d: usize): f64 {
  const h0 = d + cascadeHistoryAt + 8 * <usize>(c * CASCADE_STRIDE);
  const w0 = d + cascadeWeightsAt + 8 * <usize>(c * CASCADE_TAPS);
  let p: f64 = 0;
  let power: f64 = 1;
  for (let j: i32 = 0; j < CASCADE_TAPS; j++) {
    const h = load<f64>(h0 + 8 * <usize>j);
    const w = load<f64>(w0 + 8 * <usize>j) + g * load<f64>(h0 + 8 * <usize>(j + 1));
    store<f64>(w0 + 8 * <usize>j, w);
    p += w * h;
    power += h * h;
  }
  store<f64>(d + cascadeStepAt + 8 * <usize>c, power);
  return p;
}

@inline function adapt(c: i32, e: f64, p1: f64, p: f64, d: usize): void {
  const step = d + stepAt + 8 * <usize>c;
  const cascadeStep = d + cascadeStepAt + 8 * <usize>c;
  store<f64>(step, (MU * (e - p1)) / load<f64>(step));
  store<f64>(cascadeStep, (CASCADE_MU * (e - p)) / load<f64>(cascadeStep));
  const h0 = d + cascadeHistoryAt + 8 * <usize>(c * CASCADE_STRIDE);
  for (let j: i32 = CASCADE_TAPS; j > 0; j--) store<f64>(h0 + 8 * <usize>j, load<f64>(h0 + 8 * <usize>(j - 1)));
  store<f64>(h0, e - p1);
}

@inline function sample(x: usize, i: i32): i32 {
  return load<i32>(x + (<usize>i << 2));
}

@inline function fixedPrediction(x: usize, base: i32, channels: i32, order: i32): i32 {
  if (order == 0) return 0;
  if (order == 1) return sample(x, base - channels);
  if (order == 2) return 2 * sample(x, base - channels) - sample(x, base - 2 * channels);
  return 3 * sample(x, base - channels) - 3 * sample(x, base - 2 * channels) + sample(x, base - 3 * channels);
}

@inline function parameterK(mean: u32): u32 {
  if (mean <= (1 << DECAY)) return 0;
  const k: u32 = <u32>32 - clz<u32>(mean - 1) - DECAY;
  return k < <u32>MAX_K ? k : <u32>MAX_K;
}

/** Index of the first of `total` samples at `x` outside [lo, hi], or -1; four at a time. */
function firstOutside(x: usize, total: i32, lo: i32, hi: i32): i32 {
  const low = i32x4.splat(lo);
  const high = i32x4.splat(hi);
  let i: i32 = 0;
  for (; i + 4 <= total; i += 4) {
    const v = v128.load(x + (<usize>i << 2));
    if (v128.any_true(v128.or(i32x4.lt_s(v, low), i32x4.gt_s(v, high)))) break;
  }
  for (; i < total; i++) {
    const v = sample(x, i);
    if (v < lo || v > hi) return i;
  }
  return -1;
}

/** Stores channel c's order: the one with the smallest sum (the first on a tie), as the JavaScript codec does. */
@inline function storeOrder(d: usize, c: i32, s0: i64, s1: i64, s2: i64, s3: i64): void {
  let best: u8 = 0;
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
  store<u8>(d + ordersAt + <usize>c, best);
}

/** The sum of the lanes (0, 1 of `low`, 2, 3 of `high`) that hold channel c of 1, 2 or 4. */
@inline function laneSum(low: v128, high: v128, c: i32, channels: i32): i64 {
  const l0 = i64x2.extract_lane(low, 0);
  const l1 = i64x2.extract_lane(low, 1);
  const l2 = i64x2.extract_lane(high, 0);
  const l3 = i64x2.extract_lane(high, 1);
  if (channels == 1) return l0 + l1 + l2 + l3;
  if (channels == 2) return c == 0 ? l0 + l2 : l1 + l3;
  return c == 0 ? l0 : c == 1 ? l1 : c == 2 ? l2 : l3;
}

/**
 * Chooses each channel's fixed order; returns the index of the first sample outside [lo, hi], or -1. The sums of
 * absolute residuals are integers (exact, as the JavaScript codec's doubles are: below 2^53). With 1, 2 or 4
 * channels, four interleaved samples at a time: lane l of every vector then always holds the same channel.
 */
function chooseOrders(x: usize, channels: i32, n: i32, lo: i32, hi: i32, d: usize): i32 {
  const total = channels * n;
  const outside = firstOutside(x, total, lo, hi);
  if (outside >= 0) return outside;
  if ((channels == 1 || channels == 2 || channels == 4) && n > 3) {
    const back = <usize>(channels << 2);
    let s0l = i64x2.splat(0);
    let s0h = i64x2.splat(0);
    let s1l = i64x2.splat(0);
    let s1h = i64x2.splat(0);
    let s2l = i64x2.splat(0);
    let s2h = i64x2.splat(0);
    let s3l = i64x2.splat(0);
    let s3h = i64x2.splat(0);
    let i: i32 = 3 * channels;
    for (; i + 4 <= total; i += 4) {
      const at = x + (<usize>i << 2);
      const a = v128.load(at);
      const b = v128.load(at - back);
      const c2 = v128.load(at - 2 * back);
      const e = v128.load(at - 3 * back);
      const r1 = i32x4.sub(a, b);
      const bd = i32x4.sub(b, c2);
      const r2 = i32x4.sub(r1, bd);
      const r3 = i32x4.sub(r2, i32x4.sub(bd, i32x4.sub(c2, e)));
      const a0 = i32x4.abs(a);
      const a1 = i32x4.abs(r1);
      const a2 = i32x4.abs(r2);
      const a3 = i32x4.abs(r3);
      s0l = i64x2.add(s0l, i64x2.extend_low_i32x4_u(a0));
      s0h = i64x2.add(s0h, i64x2.extend_high_i32x4_u(a0));
      s1l = i64x2.add(s1l, i64x2.extend_low_i32x4_u(a1));
      s1h = i64x2.add(s1h, i64x2.extend_high_i32x4_u(a1));
      s2l = i64x2.add(s2l, i64x2.extend_low_i32x4_u(a2));
      s2h = i64x2.add(s2h, i64x2.extend_high_i32x4_u(a2));
      s3l = i64x2.add(s3l, i64x2.extend_low_i32x4_u(a3));
      s3h = i64x2.add(s3h, i64x2.extend_high_i32x4_u(a3));
    }
    // Lane l holds channel (3 × channels + l) mod channels = l mod channels.
    for (let c: i32 = 0; c < channels; c++) {
      let t0 = laneSum(s0l, s0h, c, channels);
      let t1 = laneSum(s1l, s1h, c, channels);
      let t2 = laneSum(s2l, s2h, c, channels);
      let t3 = laneSum(s3l, s3h, c, channels);
      // The samples after the last whole vector.
      for (let j = i + c; j < total; j += channels) {
        const a = sample(x, j);
        const b = sample(x, j - channels);
        const c2 = sample(x, j - 2 * channels);
        const e = sample(x, j - 3 * channels);
        const r1 = a - b;
        const r2 = r1 - (b - c2);
        const r3 = r2 - (b - c2 - (c2 - e));
        t0 += <i64>abs<i32>(a);
        t1 += <i64>abs<i32>(r1);
        t2 += <i64>abs<i32>(r2);
        t3 += <i64>abs<i32>(r3);
      }
      storeOrder(d, c, t0, t1, t2, t3);
    }
    return -1;
  }
  for (let c: i32 = 0; c < channels; c++) {
    let s0: i64 = 0;
    let s1: i64 = 0;
    let s2: i64 = 0;
    let s3: i64 = 0;
    for (let t: i32 = 3; t < n; t++) {
      const i = t * channels + c;
      const a = sample(x, i);
      const b = sample(x, i - channels);
      const c2 = sample(x, i - 2 * channels);
      const e = sample(x, i - 3 * channels);
      const r1 = a - b;
      const r2 = r1 - (b - c2);
      const r3 = r2 - (b - c2 - (c2 - e));
      s0 += <i64>abs<i32>(a);
      s1 += <i64>abs<i32>(r1);
      s2 += <i64>abs<i32>(r2);
      s3 += <i64>abs<i32>(r3);
    }
    storeOrder(d, c, s0, s1, s2, s3);
  }
  return -1;
}

// ------------------------------------------------------------------------------------------------ range encoder
let out: usize = 0;
let outPos: i32 = 0;
/** The coder stops (the body does not fit) once fewer bytes than one sample can need are left. */
let outLimit: i32 = 0;
const SAMPLE_BYTES_MAX: i32 = 32;

/**
 * Renormalisation of the encoder (after `range` fell below 2^24): writes the byte above the coder's 24-bit window
 * and returns the shifted `low`. A carry out of `low` (bit 32) is added to the bytes already written first: the
 * last one, and the 0xFF bytes before it become 0x00 and pass it on. These are the bytes LZMA's cached-byte
 * construction writes (without its first byte, always 0, which no carry can reach).
 */
@inline function shiftLow(low: u64): u64 {
  if (low >= 0x100000000) {
    let p = out + <usize>outPos - 1;
    while (load<u8>(p) == 0xff) {
      store<u8>(p, 0);
      p--;
    }
    store<u8>(p, load<u8>(p) + 1);
  }
  store<u8>(out + <usize>outPos, <u8>(low >> 24));
  outPos++;
  return (low & 0xffffff) << 8;
}

/** Adds a carry to the written byte at `p` and, while it overflows a 0xFF byte, to the ones before it. */
function rippleCarry(p: usize): void {
  while (load<u8>(p) == 0xff) {
    store<u8>(p, 0);
    p--;
  }
  store<u8>(p, load<u8>(p) + 1);
}

/**
 * {@link shiftLow} without branches, for the hot loop: the carry out of `low` goes into the last byte written (a
 * carry is added whenever convenient: addition does not mind the order), and, when `need` (the range fell below
 * 2^24 after one decision or at most 8 direct bits, so one step restores it), the top byte of the 32-bit window is
 * written and `low` shifted. The byte is stored either way (a later byte overwrites it when not `need`). With nothing
 * written yet the carry is 0 and the byte before the output is read and written back unchanged.
 */
@inline function renormalize(low: u64, need: bool): u64 {
  const p = out + <usize>outPos;
  const carried = <u32>load<u8>(p - 1) + <u32>(low >> 32);
  store<u8>(p - 1, <u8>carried);
  if (carried > 0xff) rippleCarry(p - 2);
  const window = low & 0xffffffff;
  store<u8>(p, <u8>(window >> 24));
  outPos += <i32>need;
  return select<u64>((window & 0xffffff) << 8, window, need);
}

/** One prediction step of the encoder: channel c at time t of the frame at `x` whose work area is `d` bytes on. */
@inline function predictStep(x: usize, t: i32, c: i32, channels: i32, stride: i32, limit: f64, d: usize): void {
  const i = t * channels + c;
  const declared = <i32>load<u8>(d + ordersAt + <usize>c);
  const order = declared < t ? declared : t;
  const e = sample(x, i) - fixedPrediction(x, i, channels, order);
  const ef = <f64>e;
  store<f64>(d + fixedAt + (<usize>(c * stride + PAD + t) << 3), ef);
  const p1 = lms(load<f64>(d + stepAt + 8 * <usize>c), c, channels, stride, t, d);
  const p = p1 + cascade(load<f64>(d + cascadeStepAt + 8 * <usize>c), c, d);
  let prf = Math.floor(p + 0.5);
  if (prf > limit) prf = limit;
  else if (prf < -limit) prf = -limit;
  store<i32>(d + residualsAt + (<usize>i << 2), e - <i32>prf);
  adapt(c, ef, p1, p, d);
}

/** Codes the orders, first samples and residuals of the frame at `x` (work area `d` bytes on) into `output`. */
function codeFrame(x: usize, channels: i32, n: i32, bitDepth: i32, output: usize, capacity: i32, d: usize): i32 {
  out = output;
  outPos = 0;
  outLimit = capacity - SAMPLE_BYTES_MAX;
  if (outLimit < 0) return -1;
  let low: u64 = 0;
  let range: u32 = 0xffffffff;
  // Orders (2 bits each) and, when there are samples, the first sample of each channel, as direct bits.
  for (let c: i32 = 0; c < channels + (n > 0 ? channels : 0); c++) {
    const isOrder = c < channels;
    const count: u32 = isOrder ? 2 : <u32>bitDepth;
    const value: u32 = isOrder
      ? <u32>load<u8>(d + ordersAt + <usize>c)
      : <u32>sample(x, c - channels) & ((<u32>1 << <u32>bitDepth) - 1);
    let left = count;
    while (left > 0) {
      const take: u32 = left < 16 ? left : 16;
      left -= take;
      const chunk = (value >>> left) & ((<u32>1 << take) - 1);
      range = range >>> take;
      low += <u64>chunk * <u64>range;
      while (range < TOP) {
        range = range << 8;
        low = shiftLow(low);
      }
    }
    if (outPos > outLimit) return -1;
  }
  const escapeBits: u32 = <u32>bitDepth + 5;
  for (let t: i32 = 1; t < n; t++) {
    for (let c: i32 = 0; c < channels; c++) {
      const v = load<i32>(d + residualsAt + (<usize>(t * channels + c) << 2));
      const u: u32 = v >= 0 ? <u32>(2 * v) : <u32>(-2 * v - 1);
      const meanAt = d + meanAbsAt + 4 * <usize>c;
      const mean = load<u32>(meanAt);
      const k = parameterK(mean);
      const q = u >>> k;
      const base = d + unaryAt + 2 * <usize>(k * <u32>UNARY_STRIDE);
      const last = q < MAX_UNARY ? q : MAX_UNARY - 1;
      // Decisions without branches (select): a 0 keeps [low, low + bound), a 1 the rest; the first two unary
      // decisions are always computed, the second one only taking effect when q > 0.
      let prob = <u32>load<u16>(base);
      let bound = (range >>> 12) * prob;
      let zero = q == 0;
      low += select<u64>(0, <u64>bound, zero);
      range = select<u32>(bound, range - bound, zero);
      store<u16>(base, <u16>select<u32>(prob + ((4096 - prob) >>> SHIFT), prob - (prob >>> SHIFT), zero));
      low = renormalize(low, range < TOP);
      range = select<u32>(range << 8, range, range < TOP);
      const second = q > 0;
      prob = <u32>load<u16>(base, 2);
      bound = (range >>> 12) * prob;
      zero = q == 1;
      low += select<u64>(<u64>bound, 0, second && !zero);
      range = select<u32>(select<u32>(bound, range - bound, zero), range, second);
      store<u16>(
        base,
        <u16>select<u32>(select<u32>(prob + ((4096 - prob) >>> SHIFT), prob - (prob >>> SHIFT), zero), prob, second),
        2,
      );
      low = renormalize(low, range < TOP);
      range = select<u32>(range << 8, range, range < TOP);
      // Further unary decisions (q ≥ 2, rarer), one at a time.
      for (let j: u32 = 2; j <= last; j++) {
        const at = base + 2 * <usize>j;
        prob = <u32>load<u16>(at);
        bound = (range >>> 12) * prob;
        zero = j == q;
        low += select<u64>(0, <u64>bound, zero);
        range = select<u32>(bound, range - bound, zero);
        store<u16>(at, <u16>select<u32>(prob + ((4096 - prob) >>> SHIFT), prob - (prob >>> SHIFT), zero));
        low = renormalize(low, range < TOP);
        range = select<u32>(range << 8, range, range < TOP);
      }
      let rawBits: u32 = 0;
      let raw: u32 = 0;
      if (q >= MAX_UNARY) {
        rawBits = escapeBits;
        raw = u;
      } else if (k > 0) {
        const at = d + remainderAt + 2 * <usize>(k * 2 + (q > 0 ? 1 : 0));
        prob = <u32>load<u16>(at);
        bound = (range >>> 12) * prob;
        zero = ((u >>> (k - 1)) & 1) == 0;
        low += select<u64>(0, <u64>bound, zero);
        range = select<u32>(bound, range - bound, zero);
        store<u16>(at, <u16>select<u32>(prob + ((4096 - prob) >>> SHIFT), prob - (prob >>> SHIFT), zero));
        low = renormalize(low, range < TOP);
        range = select<u32>(range << 8, range, range < TOP);
        rawBits = k - 1;
        raw = u & ((<u32>1 << rawBits) - 1);
      }
      if (rawBits <= 8) {
        // Up to 8 direct bits in one group need at most one renormalisation (none for 0 bits).
        range = range >>> rawBits;
        low += <u64>raw * <u64>range;
        low = renormalize(low, range < TOP);
        range = select<u32>(range << 8, range, range < TOP);
      } else {
        while (rawBits > 0) {
          const take: u32 = rawBits < 16 ? rawBits : 16;
          rawBits -= take;
          range = range >>> take;
          low += <u64>((raw >>> rawBits) & ((<u32>1 << take) - 1)) * <u64>range;
          while (range < TOP) {
            range = range << 8;
            low = shiftLow(low);
          }
        }
      }
      const a: u32 = v < 0 ? <u32>-v : <u32>v;
      store<u32>(meanAt, mean + (a < 0x8000000 ? a : 0x8000000) - (mean >>> DECAY));
      if (outPos > outLimit) return -1;
    }
  }
  // Finish: the value in [low, low + range) with the most trailing zero bits, then five bytes out; trailing zero
  // bytes are dropped (the decoder reads missing bytes as zeros).
  const high: u64 = low + <u64>range;
  for (let b: i32 = 32; b >= 0; b--) {
    const unit: u64 = <u64>1 << <u64>b;
    const v = ((low + unit - 1) >> <u64>b) << <u64>b;
    if (v < high) {
      low = v;
      break;
    }
  }
  // The carry, then the four bytes of low (LZMA's five shifts, less its implied first byte).
  for (let i = 0; i < 4; i++) low = shiftLow(low);
  while (outPos > 0 && load<u8>(out + <usize>(outPos - 1)) == 0) outPos--;
  return outPos;
}

/**
 * Encodes the body of `n` interleaved sample sets of `channels` channels from `x` into `output` (at most
 * `capacity` bytes). Returns the body length; -1 when it does not fit; -2 - i when sample i is outside the bit
 * depth (nothing is encoded then).
 */
export function encodeBody(
  x: usize,
  channels: i32,
  n: i32,
  bitDepth: i32,
  output: usize,
  capacity: i32,
  work: usize,
): i32 {
  prepare(work, channels, n);
  const outside = chooseOrders(x, channels, n, -(1 << (bitDepth - 1)), (1 << (bitDepth - 1)) - 1, 0);
  if (outside >= 0) return -2 - outside;
  const stride = PAD + n;
  const limit: f64 = <f64>(<i64>1 << <i64>(bitDepth + 3));
  // Two passes: first every prediction (the encoder knows all fixed residuals in advance, and the predictions do
  // not depend on the coding), then all the coding in the same sample order. The same operations in the same order
  // per channel, so the same bytes; the prediction chains run without the coder's branches in between.
  for (let t: i32 = 1; t < n; t++) for (let c: i32 = 0; c < channels; c++) predictStep(x, t, c, channels, stride, limit, 0);
  return codeFrame(x, channels, n, bitDepth, output, capacity, 0);
}

// ------------------------------------------------------------------------------------------------ frame pairs
// Two frames of the same shape side by side, one in each lane of an f64x2: each lane does exactly the scalar
// arithmetic above (IEEE-754 add, multiply, divide and floor are the same per lane), so each frame's bytes and
// samples are what the one-frame functions give, while one instruction does the work of two.
// Pair state layout (byte offsets), 16 bytes (two lanes) per value.
let pairFixedAt: usize = 0;
let pairWeightsAt: usize = 0;
let pairStepAt: usize = 0;
let pairCascadeHistoryAt: usize = 0;
let pairCascadeWeightsAt: usize = 0;
let pairCascadeStepAt: usize = 0;

function pairLayout(at: usize, channels: i32, n: i32): usize {
  const c = <usize>channels;
  pairFixedAt = at;
  pairWeightsAt = pairFixedAt + 16 * c * <usize>(PAD + n);
  pairStepAt = pairWeightsAt + 16 * c * <usize>MAX_TAPS;
  pairCascadeHistoryAt = pairStepAt + 16 * c;
  pairCascadeWeightsAt = pairCascadeHistoryAt + 16 * c * <usize>CASCADE_STRIDE;
  pairCascadeStepAt = pairCascadeWeightsAt + 16 * c * <usize>CASCADE_TAPS;
  return pairCascadeStepAt + 16 * c - at;
}

/** Bytes of work area for a pair of frames: both frames' own areas, then the pair's prediction state. */
export function pairWorkBytes(channels: i32, n: i32): usize {
  const single = align8(layout(0, channels, n));
  return 2 * single + pairLayout(0, channels, n);
}

/** Lays out both frames' areas and the pair state at `work`, zeroes the state; returns the second frame's offset. */
function preparePair(work: usize, channels: i32, n: i32): usize {
  const d = align8(layout(0, channels, n));
  prepare(work + d, channels, n);
  prepare(work, channels, n);
  pairLayout(work + 2 * d, channels, n);
  const stride = <usize>(PAD + n);
  for (let c: i32 = 0; c < channels; c++) memory.fill(pairFixedAt + 16 * stride * <usize>c, 0, 16 * <usize>(PAD + 1));
  memory.fill(pairWeightsAt, 0, pairCascadeStepAt + 16 * <usize>channels - pairWeightsAt);
  return d;
}

@inline function tap(w: usize, g: v128, hNext: v128, h: v128, p: v128, offset: usize): v128 {
  const v = f64x2.add(v128.load(w + offset), f64x2.mul(g, hNext));
  v128.store(w + offset, v);
  return f64x2.add(p, f64x2.mul(v, h));
}

/** {@link lms} for both lanes; the power goes in the step slot until {@link adaptPair}. */
@inline function lmsPair(c: i32, channels: i32, stride: i32, t: i32): v128 {
  const w = pairWeightsAt + 16 * <usize>(c * MAX_TAPS);
  const stepAt = pairStepAt + 16 * <usize>c;
  const g = v128.load(stepAt);
  const own = pairFixedAt + (<usize>(c * stride + t) << 4);
  const h0 = v128.load(own, 128);
  const h1 = v128.load(own, 112);
  const h2 = v128.load(own, 96);
  const h3 = v128.load(own, 80);
  const h4 = v128.load(own, 64);
  const h5 = v128.load(own, 48);
  const h6 = v128.load(own, 32);
  const h7 = v128.load(own, 16);
  const h8 = v128.load(own, 0);
  let p = tap(w, g, h1, h0, f64x2.splat(0), 0);
  let power = f64x2.add(f64x2.splat(1), f64x2.mul(h0, h0));
  p = tap(w, g, h2, h1, p, 16);
  power = f64x2.add(power, f64x2.mul(h1, h1));
  p = tap(w, g, h3, h2, p, 32);
  power = f64x2.add(power, f64x2.mul(h2, h2));
  p = tap(w, g, h4, h3, p, 48);
  power = f64x2.add(power, f64x2.mul(h3, h3));
  p = tap(w, g, h5, h4, p, 64);
  power = f64x2.add(power, f64x2.mul(h4, h4));
  p = tap(w, g, h6, h5, p, 80);
  power = f64x2.add(power, f64x2.mul(h5, h5));
  p = tap(w, g, h7, h6, p, 96);
  power = f64x2.add(power, f64x2.mul(h6, h6));
  p = tap(w, g, h8, h7, p, 112);
  power = f64x2.add(power, f64x2.mul(h7, h7));
  if (channels > 1) {
    const row = c == 0 ? 1 : c - 1;
    const other = pairFixedAt + (<usize>(row * stride + PAD + t - 5) << 4);
    const shift: usize = c == 0 ? 0 : 16;
    const o0 = v128.load(other + shift, 64);
    const o1 = v128.load(other + shift, 48);
    const o2 = v128.load(other + shift, 32);
    const o3 = v128.load(other + shift, 16);
    const o4 = v128.load(other + shift, 0);
    p = tap(w, g, o1, o0, p, 128);
    power = f64x2.add(power, f64x2.mul(o0, o0));
    p = tap(w, g, o2, o1, p, 144);
    power = f64x2.add(power, f64x2.mul(o1, o1));
    p = tap(w, g, o3, o2, p, 160);
    power = f64x2.add(power, f64x2.mul(o2, o2));
    p = tap(w, g, o4, o3, p, 176);
    power = f64x2.add(power, f64x2.mul(o3, o3));
    if (c != 0) {
      p = tap(w, g, v128.load(other, 0), o4, p, 192);
      power = f64x2.add(power, f64x2.mul(o4, o4));
    }
  }
  v128.store(stepAt, power);
  return p;
}

/** {@link cascade} for both lanes. */
@inline function cascadePair(c: i32): v128 {
  const h0 = pairCascadeHistoryAt + 16 * <usize>(c * CASCADE_STRIDE);
  const w0 = pairCascadeWeightsAt + 16 * <usize>(c * CASCADE_TAPS);
  const stepAt = pairCascadeStepAt + 16 * <usize>c;
  const g = v128.load(stepAt);
  let p = f64x2.splat(0);
  let power = f64x2.splat(1);
  for (let j: i32 = 0; j < CASCADE_TAPS; j++) {
    const h = v128.load(h0 + 16 * <usize>j);
    const w = f64x2.add(v128.load(w0 + 16 * <usize>j), f64x2.mul(g, v128.load(h0 + 16 * <usize>(j + 1))));
    v128.store(w0 + 16 * <usize>j, w);
    p = f64x2.add(p, f64x2.mul(w, h));
    power = f64x2.add(power, f64x2.mul(h, h));
  }
  v128.store(stepAt, power);
  return p;
}

/** {@link adapt} for both lanes. */
@inline function adaptPair(c: i32, e: v128, p1: v128, p: v128): void {
  const stepAt = pairStepAt + 16 * <usize>c;
  const cascadeStepAt = pairCascadeStepAt + 16 * <usize>c;
  const ep1 = f64x2.sub(e, p1);
  v128.store(stepAt, f64x2.div(f64x2.mul(f64x2.splat(MU), ep1), v128.load(stepAt)));
  v128.store(cascadeStepAt, f64x2.div(f64x2.mul(f64x2.splat(CASCADE_MU), f64x2.sub(e, p)), v128.load(cascadeStepAt)));
  const h0 = pairCascadeHistoryAt + 16 * <usize>(c * CASCADE_STRIDE);
  for (let j: i32 = CASCADE_TAPS; j > 0; j--) v128.store(h0 + 16 * <usize>j, v128.load(h0 + 16 * <usize>(j - 1)));
  v128.store(h0, ep1);
}

/** The rounded, clamped prediction of both lanes (Math.floor(p + 0.5) within ±limit). */
@inline function roundPair(p: v128, limit: f64): v128 {
  const prf = f64x2.floor(f64x2.add(p, f64x2.splat(0.5)));
  return f64x2.pmax(f64x2.pmin(prf, f64x2.splat(limit)), f64x2.splat(-limit));
}

let secondLength: i32 = 0;

/** The body length of the second frame of the last {@link encodeBodies}. */
export function secondBodyLength(): i32 {
  return secondLength;
}

/**
 * Encodes two frames of the same shape (`x` and `x2`, into `output` and `output2`, each at most `capacity` bytes,
 * with {@link pairWorkBytes} of work area): each body is what {@link encodeBody} gives for its frame, with both
 * frames' predictions computed in the two lanes of the same instructions. Returns the first body's length (the
 * second's from {@link secondBodyLength}); -1 when a body does not fit; -2 - i when sample i of the two frames
 * (the second's counted after the first's) is outside the bit depth.
 */
export function encodeBodies(
  x: usize,
  x2: usize,
  channels: i32,
  n: i32,
  bitDepth: i32,
  output: usize,
  output2: usize,
  capacity: i32,
  work: usize,
): i32 {
  const d = preparePair(work, channels, n);
  const lo = -(1 << (bitDepth - 1));
  const hi = (1 << (bitDepth - 1)) - 1;
  let outside = chooseOrders(x, channels, n, lo, hi, 0);
  if (outside >= 0) return -2 - outside;
  outside = chooseOrders(x2, channels, n, lo, hi, d);
  if (outside >= 0) return -2 - channels * n - outside;
  const stride = PAD + n;
  const limit: f64 = <f64>(<i64>1 << <i64>(bitDepth + 3));
  for (let t: i32 = 1; t < n; t++) {
    for (let c: i32 = 0; c < channels; c++) {
      const i = t * channels + c;
      const declared = <i32>load<u8>(ordersAt + <usize>c);
      const declared2 = <i32>load<u8>(d + ordersAt + <usize>c);
      const e = sample(x, i) - fixedPrediction(x, i, channels, declared < t ? declared : t);
      const e2 = sample(x2, i) - fixedPrediction(x2, i, channels, declared2 < t ? declared2 : t);
      const ef = f64x2.replace_lane(f64x2.splat(<f64>e), 1, <f64>e2);
      v128.store(pairFixedAt + (<usize>(c * stride + PAD + t) << 4), ef);
      const p1 = lmsPair(c, channels, stride, t);
      const p = f64x2.add(p1, cascadePair(c));
      const prf = roundPair(p, limit);
      store<i32>(residualsAt + (<usize>i << 2), e - <i32>f64x2.extract_lane(prf, 0));
      store<i32>(d + residualsAt + (<usize>i << 2), e2 - <i32>f64x2.extract_lane(prf, 1));
      adaptPair(c, ef, p1, p);
    }
  }
  const first = codeFrame(x, channels, n, bitDepth, output, capacity, 0);
  if (first < 0) return first;
  secondLength = codeFrame(x2, channels, n, bitDepth, output2, capacity, d);
  return secondLength < 0 ? secondLength : first;
}

// ------------------------------------------------------------------------------------------------ range decoder
let input: usize = 0;
let inputPos: i32 = 0;
let inputEnd: i32 = 0;

@inline function nextByte(): u32 {
  const value: u32 = inputPos < inputEnd ? <u32>load<u8>(input + <usize>inputPos) : 0;
  inputPos++;
  return value;
}

/**
 * The code after one renormalisation step following a binary decision, without a branch: after a decision the
 * range is at least 31·2^12, so one byte always brings it back to 2^24 or more. Moves the input on when it reads;
 * the caller shifts the range itself.
 */
@inline function renormalizeCode(code: u32, range: u32): u32 {
  const need = range < TOP;
  const inside = inputPos < inputEnd;
  const byte = select<u32>(<u32>load<u8>(input + <usize>(inside ? inputPos : 0)), 0, inside);
  inputPos += <i32>need;
  return select<u32>((code << 8) | byte, code, need);
}

/**
 * {@link renormalizeCode} with the input position in the caller's local `pos` (the caller moves it on by
 * `range < TOP`); bytes past `end` read as 0.
 */
@inline function shiftCode(code: u32, range: u32, src: usize, pos: i32, end: i32): u32 {
  const inside = pos < end;
  const byte = select<u32>(<u32>load<u8>(src + <usize>select<i32>(pos, 0, inside)), 0, inside);
  return select<u32>((code << 8) | byte, code, range < TOP);
}

/**
 * Decodes a body of `bodyLength` bytes at `body` into `n` interleaved sample sets of `channels` channels at
 * `output`. Returns 1, or 0 when the body is corrupt: a decoded sample falls outside the bit depth, or the coder
 * reaches code ≥ range, which no encoder produces. Since a valid stream keeps code < range ≤ 2^32 - 1 at every
 * step, the code register fits 32 bits.
 */
export function decodeBody(
  body: usize,
  bodyLength: i32,
  output: usize,
  channels: i32,
  n: i32,
  bitDepth: i32,
  work: usize,
): i32 {
  prepare(work, channels, n);
  if (!decodeResiduals(body, bodyLength, output, channels, n, bitDepth, 0)) return 0;
  if (n == 0) return 1;
  const stride = PAD + n;
  const limit: f64 = <f64>(<i64>1 << <i64>(bitDepth + 3));
  const lo: i32 = -(1 << (bitDepth - 1));
  const hi: i32 = (1 << (bitDepth - 1)) - 1;
  for (let t: i32 = 1; t < n; t++) {
    for (let c: i32 = 0; c < channels; c++) {
      const i = t * channels + c;
      const declared = <i32>load<u8>(ordersAt + <usize>c);
      const order = declared < t ? declared : t;
      const p1 = lms(load<f64>(stepAt + 8 * <usize>c), c, channels, stride, t, 0);
      const p = p1 + cascade(load<f64>(cascadeStepAt + 8 * <usize>c), c, 0);
      let prf = Math.floor(p + 0.5);
      if (prf > limit) prf = limit;
      else if (prf < -limit) prf = -limit;
      const e: i32 = load<i32>(residualsAt + (<usize>i << 2)) + <i32>prf;
      const ef = <f64>e;
      store<f64>(fixedAt + (<usize>(c * stride + PAD + t) << 3), ef);
      adapt(c, ef, p1, p, 0);
      const s = e + fixedPrediction(output, i, channels, order);
      if (s < lo || s > hi) return 0;
      store<i32>(output + (<usize>i << 2), s);
    }
  }
  return 1;
}

/**
 * Decodes two bodies of frames of the same shape (at `body` and `body2`, into `output` and `output2`, with
 * {@link pairWorkBytes} of work area): each frame's samples are what {@link decodeBody} gives, with both frames'
 * predictions computed in the two lanes of the same instructions. Returns 1, or 0 when either body is corrupt
 * (decode them one by one to tell which).
 */
export function decodeBodies(
  body: usize,
  bodyLength: i32,
  body2: usize,
  bodyLength2: i32,
  output: usize,
  output2: usize,
  channels: i32,
  n: i32,
  bitDepth: i32,
  work: usize,
): i32 {
  const d = preparePair(work, channels, n);
  if (!decodeResiduals(body, bodyLength, output, channels, n, bitDepth, 0)) return 0;
  if (!decodeResiduals(body2, bodyLength2, output2, channels, n, bitDepth, d)) return 0;
  if (n == 0) return 1;
  const stride = PAD + n;
  const limit: f64 = <f64>(<i64>1 << <i64>(bitDepth + 3));
  const lo: i32 = -(1 << (bitDepth - 1));
  const hi: i32 = (1 << (bitDepth - 1)) - 1;
  for (let t: i32 = 1; t < n; t++) {
    for (let c: i32 = 0; c < channels; c++) {
      const i = t * channels + c;
      const declared = <i32>load<u8>(ordersAt + <usize>c);
      const declared2 = <i32>load<u8>(d + ordersAt + <usize>c);
      const p1 = lmsPair(c, channels, stride, t);
      const p = f64x2.add(p1, cascadePair(c));
      const prf = roundPair(p, limit);
      const e: i32 = load<i32>(residualsAt + (<usize>i << 2)) + <i32>f64x2.extract_lane(prf, 0);
      const e2: i32 = load<i32>(d + residualsAt + (<usize>i << 2)) + <i32>f64x2.extract_lane(prf, 1);
      const ef = f64x2.replace_lane(f64x2.splat(<f64>e), 1, <f64>e2);
      v128.store(pairFixedAt + (<usize>(c * stride + PAD + t) << 4), ef);
      adaptPair(c, ef, p1, p);
      const s = e + fixedPrediction(output, i, channels, declared < t ? declared : t);
      const s2 = e2 + fixedPrediction(output2, i, channels, declared2 < t ? declared2 : t);
      if (s < lo || s > hi || s2 < lo || s2 > hi) return 0;
      store<i32>(output + (<usize>i << 2), s);
      store<i32>(output2 + (<usize>i << 2), s2);
    }
  }
  return 1;
}

/**
 * The coded part of a body: the orders (into the frame's work area `d` bytes on), the first sample of each
 * channel (into `output`) and every residual (into the work area). False when the body is corrupt.
 */
function decodeResiduals(
  body: usize,
  bodyLength: i32,
  output: usize,
  channels: i32,
  n: i32,
  bitDepth: i32,
  d: usize,
): bool {
  input = body;
  inputPos = 0;
  inputEnd = bodyLength;
  let range: u32 = 0xffffffff;
  let wide: u64 = 0;
  for (let i = 0; i < 4; i++) wide = (wide << 8) | <u64>nextByte();
  if (wide >= <u64>range) return false;
  let code: u32 = <u32>wide;
  const shift: i32 = 32 - bitDepth;
  for (let c: i32 = 0; c < channels + (n > 0 ? channels : 0); c++) {
    const isOrder = c < channels;
    let left: u32 = isOrder ? 2 : <u32>bitDepth;
    let value: u32 = 0;
    while (left > 0) {
      const take: u32 = left < 16 ? left : 16;
      left -= take;
      range = range >>> take;
      const chunk = code / range;
      if (chunk > (<u32>1 << take) - 1) return false; // only in corrupted input (code ≥ range)
      code -= chunk * range;
      value = (value << take) + chunk;
      while (range < TOP) {
        range = range << 8;
        code = (code << 8) | nextByte();
      }
    }
    if (isOrder) store<u8>(d + ordersAt + <usize>c, <u8>value);
    else store<i32>(output + 4 * <usize>(c - channels), (<i32>value << shift) >> shift);
  }
  if (n == 0) return true;
  const escapeBits: u32 = <u32>bitDepth + 5;
  // The input position in a local from here (the hot loop).
  const src = input;
  const end = inputEnd;
  let pos = inputPos;
  for (let t: i32 = 1; t < n; t++) {
    for (let c: i32 = 0; c < channels; c++) {
      const meanAt = d + meanAbsAt + 4 * <usize>c;
      const mean = load<u32>(meanAt);
      const k = parameterK(mean);
      const base = d + unaryAt + 2 * <usize>(k * <u32>UNARY_STRIDE);
      // The first two unary decisions without branches: the second is always computed and takes effect only
      // when the first was a 1; the rest (q ≥ 2, rarer) one at a time.
      let prob = <u32>load<u16>(base);
      let bound = (range >>> 12) * prob;
      let zero = code < bound;
      code -= select<u32>(0, bound, zero);
      range = select<u32>(bound, range - bound, zero);
      store<u16>(base, <u16>select<u32>(prob + ((4096 - prob) >>> SHIFT), prob - (prob >>> SHIFT), zero));
      code = shiftCode(code, range, src, pos, end);
      pos += <i32>(range < TOP);
      range = select<u32>(range << 8, range, range < TOP);
      const second = !zero;
      prob = <u32>load<u16>(base, 2);
      bound = (range >>> 12) * prob;
      zero = code < bound;
      code -= select<u32>(bound, 0, second && !zero);
      range = select<u32>(select<u32>(bound, range - bound, zero), range, second);
      store<u16>(
        base,
        <u16>select<u32>(select<u32>(prob + ((4096 - prob) >>> SHIFT), prob - (prob >>> SHIFT), zero), prob, second),
        2,
      );
      code = shiftCode(code, range, src, pos, end);
      pos += <i32>(range < TOP);
      range = select<u32>(range << 8, range, range < TOP);
      let q: u32 = select<u32>(select<u32>(1, 2, zero), 0, second);
      if (q == 2) {
        while (true) {
          const at = base + 2 * <usize>q;
          prob = <u32>load<u16>(at);
          bound = (range >>> 12) * prob;
          zero = code < bound;
          code -= select<u32>(0, bound, zero);
          range = select<u32>(bound, range - bound, zero);
          store<u16>(at, <u16>select<u32>(prob + ((4096 - prob) >>> SHIFT), prob - (prob >>> SHIFT), zero));
          code = shiftCode(code, range, src, pos, end);
          pos += <i32>(range < TOP);
          range = select<u32>(range << 8, range, range < TOP);
          if (zero) break;
          if (++q == MAX_UNARY) break;
        }
      }
      let rawBits: u32 = 0;
      let u: u32 = 0;
      if (q >= MAX_UNARY) {
        rawBits = escapeBits;
      } else {
        u = q << k;
        if (k > 0) {
          const at = d + remainderAt + 2 * <usize>(k * 2 + (q > 0 ? 1 : 0));
          prob = <u32>load<u16>(at);
          bound = (range >>> 12) * prob;
          zero = code < bound;
          code -= select<u32>(0, bound, zero);
          range = select<u32>(bound, range - bound, zero);
          store<u16>(at, <u16>select<u32>(prob + ((4096 - prob) >>> SHIFT), prob - (prob >>> SHIFT), zero));
          u += select<u32>(0, <u32>1 << (k - 1), zero);
          code = shiftCode(code, range, src, pos, end);
          pos += <i32>(range < TOP);
          range = select<u32>(range << 8, range, range < TOP);
          rawBits = k - 1;
        }
      }
      let raw: u32 = 0;
      if (rawBits > 0 && rawBits <= 8) {
        // Up to 8 direct bits in one group need at most one renormalisation.
        range = range >>> rawBits;
        raw = code / range;
        if (raw > (<u32>1 << rawBits) - 1) return false; // only in corrupted input (code ≥ range)
        code -= raw * range;
        code = shiftCode(code, range, src, pos, end);
        pos += <i32>(range < TOP);
        range = select<u32>(range << 8, range, range < TOP);
      } else {
        while (rawBits > 0) {
          const take: u32 = rawBits < 16 ? rawBits : 16;
          rawBits -= take;
          range = range >>> take;
          const chunk = code / range;
          if (chunk > (<u32>1 << take) - 1) return false; // only in corrupted input (code ≥ range)
          code -= chunk * range;
          raw = (raw << take) + chunk;
          while (range < TOP) {
            range = range << 8;
            code = (code << 8) | (pos < end ? <u32>load<u8>(src + <usize>pos) : 0);
            pos++;
          }
        }
      }
      u += raw;
      const v: i32 = (u & 1) == 0 ? <i32>(u >>> 1) : -<i32>((u + 1) >>> 1);
      store<i32>(d + residualsAt + (<usize>(t * channels + c) << 2), v);
      const a: u32 = v < 0 ? <u32>-v : <u32>v;
      store<u32>(meanAt, mean + (a < 0x8000000 ? a : 0x8000000) - (mean >>> DECAY));
    }
  }
  return true;
}

