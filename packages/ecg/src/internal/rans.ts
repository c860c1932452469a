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
export const STATE_BITS = 30;
/** Each context's decoding table maps the top BUCKET_BITS of a slot to the first symbol it may be. */
export const BUCKET_BITS = 10;

/**
 * Stage-1 LMS weights at the start of every version-3 frame, in 1/1024, by the channel's fixed order (0..3): for
 * channel 0 (8 own taps, 4 neighbour taps, one unused), then for every other channel (8 own, 5 neighbour taps).
 * Fitted on the MIT-BIH DS1 records (order 0, never chosen there, has the weights fitted over all orders).
 */
export const INITIAL_WEIGHTS_1024: readonly (readonly number[])[] = [
  [
    -268, -50, -88, -121, -69, -21, -31, -62, 85, 21, -51, -53, 0,
    -249, -41, -115, -152, -62, 11, -8, -65, 65, 40, -25, -64, -47,
  ],
  [
    99, 18, -113, -48, 106, 173, 53, -75, 123, 125, 29, -44, 0,
    23, 101, -51, -111, -38, 6, -27, -88, 90, 85, 17, -48, -54,
  ],
  [
    -293, -62, -95, -131, -85, -38, -42, -65, 84, 16, -55, -54, 0,
    -418, -152, -182, -204, -100, -4, -10, -62, 55, 21, -45, -75, -45,
  ],
  [
    -408, -159, -240, -302, -279, -240, -196, -154, 96, 85, 15, 0, 0,
    -173, -271, -542, -422, -262, -212, -159, -124, -49, 1, 2, 27, 46,
  ],
]; // biome-ignore format: table

/** Symbol frequencies (out of 2^15) of the 16 coding contexts, 64 symbols each (the last is the escape). */
export const SYMBOL_FREQUENCIES: readonly (readonly number[])[] = [
  [512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512],
  [512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512],
  [7987, 6357, 6673, 3578, 3902, 1453, 1440, 489, 523, 110, 131, 22, 44, 7, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  [512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512],
  [7448, 6144, 6346, 3716, 3875, 1670, 1807, 585, 627, 178, 197, 45, 53, 10, 14, 2, 3, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  [6933, 5934, 6041, 3795, 3948, 1881, 1970, 735, 777, 241, 260, 73, 76, 20, 22, 6, 7, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  [6550, 5722, 5795, 3836, 3938, 2025, 2099, 874, 912, 323, 339, 103, 111, 32, 35, 10, 11, 3, 4, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  [6186, 5496, 5542, 3837, 3910, 2159, 2214, 1018, 1049, 410, 424, 152, 161, 53, 56, 18, 21, 6, 7, 2, 3, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  [5583, 5075, 5096, 3781, 3806, 2349, 2375, 1260, 1277, 597, 614, 261, 272, 107, 116, 43, 49, 18, 21, 8, 10, 3, 4, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  [4844, 4518, 4495, 3602, 3580, 2515, 2498, 1552, 1553, 868, 880, 456, 467, 222, 236, 107, 117, 51, 59, 26, 30, 12, 16, 6, 9, 3, 5, 2, 3, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  [4165, 3975, 3935, 3357, 3315, 2555, 2518, 1764, 1737, 1123, 1124, 675, 682, 387, 397, 215, 228, 119, 129, 66, 75, 36, 44, 21, 27, 11, 17, 7, 10, 4, 8, 3, 5, 1, 3, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  [3647, 3505, 3473, 3074, 3040, 2499, 2447, 1863, 1826, 1300, 1295, 870, 866, 562, 568, 345, 358, 216, 226, 128, 145, 81, 92, 50, 58, 31, 42, 22, 27, 13, 18, 8, 13, 6, 9, 4, 6, 2, 4, 2, 3, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  [3101, 2992, 2944, 2690, 2607, 2262, 2186, 1831, 1777, 1429, 1378, 1085, 1040, 797, 773, 583, 558, 414, 396, 293, 281, 202, 196, 141, 137, 95, 94, 66, 67, 46, 48, 32, 35, 23, 27, 17, 19, 12, 14, 8, 10, 6, 8, 4, 6, 4, 4, 2, 3, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 8],
  [2464, 2416, 2387, 2232, 2210, 1989, 1982, 1720, 1685, 1420, 1419, 1170, 1170, 957, 943, 763, 753, 601, 585, 485, 461, 367, 357, 286, 267, 214, 203, 163, 154, 118, 117, 89, 86, 66, 66, 48, 51, 38, 37, 27, 28, 19, 22, 14, 16, 12, 12, 8, 8, 6, 6, 5, 4, 4, 4, 3, 3, 2, 2, 2, 2, 1, 1, 18],
  [2148, 2065, 2103, 1923, 1974, 1726, 1773, 1515, 1578, 1319, 1360, 1129, 1157, 976, 988, 840, 839, 710, 697, 587, 581, 484, 482, 397, 386, 326, 319, 255, 253, 198, 203, 162, 157, 122, 129, 100, 102, 80, 75, 62, 59, 47, 44, 35, 33, 29, 26, 22, 20, 17, 14, 13, 11, 10, 8, 8, 6, 6, 5, 5, 4, 4, 3, 59],
  [1858, 1793, 1828, 1673, 1757, 1528, 1597, 1360, 1449, 1209, 1293, 1074, 1161, 961, 1019, 830, 896, 728, 770, 642, 675, 545, 577, 473, 498, 400, 425, 332, 357, 274, 297, 233, 246, 188, 199, 148, 167, 127, 131, 103, 106, 88, 79, 69, 66, 54, 47, 45, 35, 39, 26, 31, 20, 23, 17, 19, 12, 14, 9, 13, 8, 9, 7, 111],
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
    if (this.corrupt || this.pos !== this.end || this.x < RANS_LOW || this.x - RANS_LOW >= 2 ** STATE_BITS) return -1;
    return this.x - RANS_LOW;
  }
}
