/**
 * The entropy stage of ECG frame version 3 (docs/spec/ecg-codec.md §4): a byte-wise rANS coder (32-bit state,
 * 15-bit probabilities) with fixed symbol tables, one per coding context, chosen by the channel's recent residual
 * magnitude. Decoding a residual is one table look-up and one multiply (plus its low bits, if any), without the
 * per-bit decisions of version 2's adaptive binary coder; the tables were fitted once on the MIT-BIH DS1 records
 * (see scripts/fit-frame-tables.ts) and are part of the format.
 */

/** Lower bound of the coder's state between symbols; the state stays in [RANS_LOW, 2^31). */
export const RANS_LOW = 1 << 23;
/** Probabilities are integers out of 2^PROB_BITS. */
export const PROB_BITS = 15;
/** Symbols per context; the last, {@link ESCAPE}, says the value follows as raw bits. */
export const SYMBOLS = 64;
export const ESCAPE = SYMBOLS - 1;
/** Coding contexts (see {@link contextOf}). */
export const CONTEXTS = 16;
/** Raw bits per rANS step at most. */
export const RAW_GROUP = 15;
/** Bits of the frame's header data (orders and first samples) the encoder's initial state carries. */
export const STATE_BITS = 23;
/** Each context's decoding table maps the top BUCKET_BITS of a slot to the first symbol it may be. */
export const BUCKET_BITS = 10;

/** Stage-1 LMS weights at the start of every version-3 frame, in 1/1024: for channel 0 (8 own taps, 4 neighbour taps, one
 * unused), then for every other channel (8 own, 5 neighbour taps). Fitted on the MIT-BIH DS1 records. */
export const INITIAL_WEIGHTS_1024: readonly number[] = [
  -268, -50, -88, -121, -69, -21, -31, -62, 85, 21, -51, -53, 0, -249, -41, -115, -152, -62, 11, -8, -65, 65, 40, -25,
  -64, -47,
];

/** Symbol frequencies (out of 2^15) of the 16 coding contexts, 64 symbols each (the last is the escape). */
export const SYMBOL_FREQUENCIES: readonly (readonly number[])[] = [
  [512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512],
  [512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512],
  [7673, 6039, 6310, 3668, 3840, 1661, 1760, 603, 631, 190, 200, 45, 61, 16, 16, 3, 4, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  [512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512],
  [7095, 6005, 6116, 3769, 3916, 1804, 1893, 707, 726, 235, 245, 75, 79, 21, 21, 5, 6, 3, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  [6740, 5775, 5882, 3816, 3931, 1947, 2047, 817, 863, 296, 312, 101, 101, 30, 33, 11, 11, 4, 4, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  [6359, 5609, 5650, 3832, 3896, 2101, 2142, 956, 977, 381, 387, 136, 142, 48, 51, 18, 19, 7, 7, 3, 3, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  [6103, 5442, 5481, 3827, 3875, 2181, 2217, 1057, 1072, 444, 455, 173, 180, 66, 68, 25, 27, 10, 11, 4, 5, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  [5607, 5090, 5105, 3763, 3796, 2332, 2359, 1245, 1263, 594, 608, 268, 278, 114, 121, 49, 53, 21, 24, 10, 12, 5, 6, 2, 3, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  [4974, 4616, 4607, 3627, 3626, 2468, 2468, 1489, 1499, 818, 831, 421, 429, 209, 217, 103, 107, 50, 55, 27, 30, 13, 16, 8, 9, 4, 5, 3, 3, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  [4371, 4134, 4109, 3426, 3388, 2525, 2501, 1682, 1677, 1036, 1044, 610, 619, 340, 354, 191, 200, 108, 111, 60, 66, 36, 39, 21, 24, 12, 15, 8, 9, 5, 6, 3, 4, 2, 2, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  [3833, 3676, 3661, 3164, 3146, 2490, 2476, 1805, 1795, 1211, 1228, 789, 799, 496, 501, 299, 315, 188, 194, 115, 125, 73, 78, 46, 52, 31, 36, 21, 22, 14, 15, 8, 11, 6, 7, 4, 5, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  [3303, 3165, 3102, 2782, 2697, 2289, 2238, 1821, 1781, 1384, 1346, 1013, 997, 738, 719, 524, 509, 367, 354, 251, 245, 176, 167, 121, 114, 81, 80, 57, 56, 37, 40, 28, 29, 20, 20, 14, 15, 10, 11, 7, 8, 5, 6, 4, 4, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 7],
  [2551, 2479, 2475, 2301, 2285, 2047, 2044, 1735, 1735, 1440, 1447, 1171, 1172, 934, 935, 737, 726, 562, 557, 442, 431, 326, 329, 253, 242, 185, 182, 136, 135, 97, 101, 74, 77, 55, 59, 39, 41, 30, 32, 21, 23, 15, 17, 12, 11, 9, 8, 7, 6, 6, 4, 4, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1, 1, 7],
  [2225, 2174, 2166, 2016, 2021, 1812, 1808, 1598, 1588, 1364, 1375, 1165, 1172, 967, 990, 818, 829, 679, 681, 562, 559, 443, 452, 361, 357, 293, 290, 228, 224, 175, 180, 137, 139, 106, 111, 78, 86, 62, 65, 49, 48, 35, 38, 29, 28, 22, 21, 16, 14, 13, 9, 11, 8, 8, 7, 6, 5, 5, 3, 4, 2, 3, 1, 27],
  [1751, 1715, 1726, 1676, 1660, 1552, 1562, 1437, 1459, 1294, 1328, 1153, 1186, 1033, 1050, 905, 931, 778, 806, 666, 696, 570, 600, 481, 494, 407, 408, 327, 351, 269, 285, 219, 234, 184, 193, 139, 156, 113, 124, 90, 94, 72, 70, 56, 55, 44, 40, 33, 30, 27, 21, 21, 18, 17, 11, 14, 10, 10, 7, 9, 5, 8, 4, 84],
]; // biome-ignore format: table

/** Per context, the cumulative frequencies: `CUMULATIVE[ctx * (SYMBOLS + 1) + s]` = sum of frequencies below s. */
export const CUMULATIVE: Int32Array = new Int32Array(CONTEXTS * (SYMBOLS + 1));
/** Per context, the first symbol whose interval may hold a slot with these top {@link BUCKET_BITS} bits. */
export const BUCKETS: Uint8Array = new Uint8Array(CONTEXTS << BUCKET_BITS);
for (let ctx = 0; ctx < CONTEXTS; ctx++) {
  const row = SYMBOL_FREQUENCIES[ctx]!;
  let sum = 0;
  for (let s = 0; s < SYMBOLS; s++) {
    CUMULATIVE[ctx * (SYMBOLS + 1) + s] = sum;
    sum += row[s]!;
  }
  CUMULATIVE[ctx * (SYMBOLS + 1) + SYMBOLS] = sum;
  let s = 0;
  for (let b = 0; b < 1 << BUCKET_BITS; b++) {
    const slot = b << (PROB_BITS - BUCKET_BITS);
    while (CUMULATIVE[ctx * (SYMBOLS + 1) + s + 1]! <= slot) s++;
    BUCKETS[(ctx << BUCKET_BITS) + b] = s;
  }
}

/**
 * The coding context of a channel whose magnitude estimate is `a` (≥ 1): `table | shift << 4`. With `l` the bit
 * length of `a` less one and `f` the two bits after its leading one, the table is `4·min(l, 4) + f − 4` and the
 * value's low `shift = max(l − 4, 0)` bits are raw.
 */
export function contextOf(a: number): number {
  const l = 31 - Math.clz32(a);
  const f = l >= 2 ? (a >>> (l - 2)) & 3 : (a << (2 - l)) & 3;
  return l >= 4 ? ((l - 4) << 4) | (12 + f) : 4 * l + f - 4;
}

/** Initial magnitude estimate and its update: `a ← a + min(|v|, 2^27) − (a >> 2)` (as version 2). */
export const MAGNITUDE_INIT = 32;

/** The rANS encoder: bytes are produced last first, into `stack`; {@link finish} lays out the body. */
export class RansEncoder {
  stack: Uint8Array;
  top = 0;
  x: number;

  constructor(capacity: number, initial: number) {
    this.stack = new Uint8Array(capacity);
    this.x = initial;
  }

  private emit(): void {
    if (this.top === this.stack.length) {
      const bigger = new Uint8Array(this.stack.length * 2 + 64);
      bigger.set(this.stack);
      this.stack = bigger;
    }
    this.stack[this.top++] = this.x & 0xff;
    this.x = Math.floor(this.x / 256);
  }

  /** Codes symbol `s` of context `ctx` (the decoder reads it before what was coded earlier). */
  symbol(ctx: number, s: number): void {
    const start = CUMULATIVE[ctx * (SYMBOLS + 1) + s]!;
    const freq = CUMULATIVE[ctx * (SYMBOLS + 1) + s + 1]! - start;
    const max = freq * 2 ** (31 - PROB_BITS);
    while (this.x >= max) this.emit();
    const q = Math.floor(this.x / freq);
    this.x = q * (1 << PROB_BITS) + (this.x - q * freq) + start;
  }

  /** Codes the `bits` (0..30) low bits of `value` as raw bits: groups of at most 15, the high group read first. */
  raw(value: number, bits: number): void {
    if (bits > RAW_GROUP) {
      this.group(value & ((1 << RAW_GROUP) - 1), RAW_GROUP);
      this.group(value >>> RAW_GROUP, bits - RAW_GROUP);
    } else if (bits > 0) this.group(value, bits);
  }

  private group(value: number, bits: number): void {
    const max = 2 ** (31 - bits);
    while (this.x >= max) this.emit();
    this.x = this.x * (1 << bits) + value;
  }

  /** The body: the final state (4 bytes, little-endian), then the bytes in the order the decoder reads them. */
  finish(): Uint8Array {
    const body = new Uint8Array(4 + this.top);
    const x = this.x;
    body[0] = x & 0xff;
    body[1] = (x >>> 8) & 0xff;
    body[2] = (x >>> 16) & 0xff;
    body[3] = x >>> 24;
    for (let i = 0; i < this.top; i++) body[4 + i] = this.stack[this.top - 1 - i]!;
    return body;
  }
}

/** The rANS decoder over `buf[pos, end)`. */
export class RansDecoder {
  readonly buf: Uint8Array;
  pos: number;
  readonly end: number;
  x: number;
  /** Set when the body is too short to hold a state or the state is one no encoder leaves. */
  corrupt: boolean;

  constructor(buf: Uint8Array, start: number, end: number) {
    this.buf = buf;
    this.end = end;
    this.pos = start + 4;
    this.corrupt = end - start < 4;
    this.x = this.corrupt
      ? RANS_LOW
      : buf[start]! + buf[start + 1]! * 256 + buf[start + 2]! * 65536 + buf[start + 3]! * 16777216;
    if (this.x < RANS_LOW || this.x >= 2 ** 31) this.corrupt = true;
  }

  private normalize(): void {
    while (this.x < RANS_LOW && this.pos < this.end) this.x = this.x * 256 + this.buf[this.pos++]!;
  }

  symbol(ctx: number): number {
    const slot = this.x & ((1 << PROB_BITS) - 1);
    const row = ctx * (SYMBOLS + 1);
    let s = BUCKETS[(ctx << BUCKET_BITS) + (slot >>> (PROB_BITS - BUCKET_BITS))]!;
    while (CUMULATIVE[row + s + 1]! <= slot) s++;
    const start = CUMULATIVE[row + s]!;
    this.x = (CUMULATIVE[row + s + 1]! - start) * (this.x >>> PROB_BITS) + slot - start;
    this.normalize();
    return s;
  }

  raw(bits: number): number {
    if (bits > RAW_GROUP) {
      const high = this.group(bits - RAW_GROUP);
      return high * (1 << RAW_GROUP) + this.group(RAW_GROUP);
    }
    return bits > 0 ? this.group(bits) : 0;
  }

  private group(bits: number): number {
    const value = this.x & ((1 << bits) - 1);
    this.x = this.x >>> bits;
    this.normalize();
    return value;
  }

  /** The header bits the final state carries, or -1 when the body did not end where the state says it should. */
  final(): number {
    if (this.corrupt || this.pos !== this.end || this.x < RANS_LOW || this.x >= 2 * RANS_LOW) return -1;
    return this.x - RANS_LOW;
  }
}
