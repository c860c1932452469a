/**
 * The entropy stage of ECG frame version 3 (docs/spec/ecg-codec.md §4): a byte-wise rANS coder (32-bit state,
 * 15-bit probabilities) with fixed symbol tables, one per coding context, chosen by the channel's recent residual
 * magnitude. Decoding a residual is one table look-up and one multiply (plus its low bits, if any), without the
 * per-bit decisions of version 2's adaptive binary coder; the tables were fitted once on the MIT-BIH DS1 records
 * and are part of the format (docs/spec/ecg-codec.md, appendix): each table is the count of every symbol in its
 * context over those records, scaled to 2^15 with every symbol at least 1; the starting weights are the mean
 * final weights of the frames of each order (scripts/fit-frame-tables.ts refits both from the current ones).
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
    104, 19, -114, -45, 110, 173, 50, -76, 123, 127, 33, -41, 0,
    31, 105, -52, -110, -35, 7, -28, -89, 90, 84, 16, -49, -55,
  ],
  [
    -293, -62, -95, -132, -86, -39, -42, -66, 84, 16, -55, -54, 0,
    -427, -164, -193, -214, -109, -12, -14, -63, 55, 22, -44, -74, -45,
  ],
  [
    -425, -181, -260, -320, -298, -259, -216, -170, 102, 94, 23, 5, 0,
    -195, -293, -566, -453, -293, -235, -180, -145, -55, -2, -4, 21, 45,
  ],
]; // biome-ignore format: table

/** Symbol frequencies (out of 2^15) of the 16 coding contexts, 64 symbols each (the last is the escape). */
export const SYMBOL_FREQUENCIES: readonly (readonly number[])[] = [
  [512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512],
  [512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512],
  [8034, 6331, 6638, 3583, 3865, 1463, 1453, 501, 525, 112, 138, 24, 42, 6, 3, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  [512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512, 512],
  [7452, 6139, 6330, 3720, 3873, 1672, 1815, 586, 630, 180, 196, 44, 55, 9, 14, 2, 3, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  [6928, 5930, 6039, 3793, 3950, 1881, 1975, 738, 780, 240, 261, 73, 76, 20, 22, 6, 7, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  [6541, 5716, 5790, 3835, 3940, 2029, 2102, 877, 914, 325, 341, 104, 112, 32, 36, 10, 11, 3, 4, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  [6181, 5494, 5537, 3839, 3908, 2159, 2216, 1020, 1052, 411, 426, 152, 162, 53, 57, 18, 21, 6, 7, 2, 3, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  [5572, 5069, 5090, 3781, 3804, 2352, 2377, 1264, 1281, 599, 617, 262, 274, 108, 117, 44, 49, 18, 21, 8, 10, 3, 5, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  [4830, 4507, 4482, 3598, 3575, 2517, 2501, 1555, 1559, 872, 885, 460, 470, 225, 239, 109, 119, 52, 60, 26, 31, 13, 16, 7, 10, 4, 5, 2, 3, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  [4139, 3943, 3905, 3340, 3300, 2550, 2518, 1768, 1744, 1130, 1134, 682, 691, 393, 404, 221, 234, 124, 133, 69, 78, 38, 47, 22, 29, 13, 19, 9, 12, 5, 9, 4, 6, 2, 4, 2, 3, 1, 2, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 16],
  [3577, 3446, 3414, 3040, 3010, 2492, 2439, 1877, 1841, 1325, 1319, 894, 888, 581, 587, 361, 372, 227, 238, 135, 154, 87, 97, 53, 62, 34, 45, 24, 28, 14, 20, 9, 14, 6, 10, 4, 7, 3, 5, 2, 3, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  [2918, 2833, 2814, 2617, 2555, 2259, 2193, 1866, 1805, 1477, 1422, 1133, 1088, 843, 814, 621, 592, 442, 423, 314, 302, 216, 211, 152, 147, 102, 102, 71, 72, 49, 51, 35, 37, 24, 28, 17, 20, 12, 14, 9, 10, 6, 8, 4, 6, 3, 4, 2, 3, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 5],
  [2314, 2278, 2253, 2137, 2122, 1946, 1936, 1721, 1685, 1446, 1446, 1212, 1211, 1000, 988, 808, 795, 638, 621, 520, 491, 396, 383, 309, 287, 230, 220, 177, 167, 127, 127, 96, 94, 73, 72, 53, 56, 41, 40, 30, 32, 21, 24, 15, 17, 13, 13, 9, 9, 6, 6, 5, 5, 4, 4, 4, 3, 3, 2, 2, 2, 1, 1, 21],
  [1897, 1860, 1903, 1778, 1830, 1656, 1701, 1506, 1573, 1347, 1391, 1185, 1213, 1037, 1048, 894, 903, 767, 751, 639, 633, 525, 526, 436, 419, 356, 352, 279, 277, 219, 221, 178, 174, 137, 144, 110, 114, 88, 84, 70, 67, 53, 48, 39, 37, 33, 29, 25, 22, 18, 16, 14, 12, 11, 9, 9, 7, 7, 5, 6, 5, 5, 3, 67],
  [1632, 1589, 1628, 1537, 1609, 1451, 1532, 1338, 1423, 1226, 1320, 1116, 1201, 1011, 1071, 887, 948, 774, 821, 689, 722, 591, 621, 512, 540, 432, 458, 362, 389, 296, 327, 252, 269, 206, 216, 162, 184, 138, 141, 112, 116, 97, 85, 75, 71, 60, 52, 49, 39, 43, 28, 34, 22, 24, 18, 22, 13, 15, 10, 14, 9, 11, 7, 121],
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
export const MAGNITUDE_INIT = 12;

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
