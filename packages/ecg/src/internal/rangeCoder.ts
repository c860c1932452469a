/**
 * Binary adaptive range coder (the LZMA construction: 32-bit range, 12-bit probabilities, carry propagation through
 * a cached byte). Probabilities are the chance of a 0 bit, in 1/4096 units, stored in a Uint16Array.
 * Coder registers live in a Float64Array so that updates never allocate.
 */

export const PROB_BITS = 12;
export const PROB_ONE = 1 << PROB_BITS;
export const PROB_INIT = PROB_ONE >>> 1;
const TOP = 0x1000000;
const LOW = 0;
const RANGE = 1;

/** Encoder into a growable byte buffer. */
export class RangeEncoder {
  /** [low, range] */
  readonly r = new Float64Array([0, 0xffffffff]);
  cache = 0;
  cacheSize = 1;
  buf: Uint8Array;
  pos: number;
  private readonly start: number;
  private skipFirst = true;

  constructor(buf: Uint8Array, pos: number) {
    this.buf = buf;
    this.pos = pos;
    this.start = pos;
  }

  private put(byte: number): void {
    if (this.skipFirst) {
      // The first byte of this construction is always zero: it is implied, not written.
      this.skipFirst = false;
      return;
    }
    if (this.pos >= this.buf.length) {
      const bigger = new Uint8Array(this.buf.length * 2 + 64);
      bigger.set(this.buf);
      this.buf = bigger;
    }
    this.buf[this.pos++] = byte;
  }

  /** Emits the top byte of `low`; returns the new low. */
  shiftLow(low: number): number {
    if (low < 0xff000000 || low >= 0x100000000) {
      const carry = low >= 0x100000000 ? 1 : 0;
      let temp = this.cache;
      do {
        this.put((temp + carry) & 0xff);
        temp = 0xff;
      } while (--this.cacheSize !== 0);
      this.cache = (low >>> 24) & 0xff;
    }
    this.cacheSize++;
    return (low % 0x1000000) * 256;
  }

  /** Encodes `bit` with adaptive probability `probs[i]`, adapting at rate `shift`. */
  bit(probs: Uint16Array, i: number, bit: number, shift: number): void {
    const r = this.r;
    let low = r[LOW]!;
    let range = r[RANGE]!;
    const p = probs[i]!;
    const bound = (range >>> PROB_BITS) * p;
    if (bit === 0) {
      range = bound;
      probs[i] = p + ((PROB_ONE - p) >>> shift);
    } else {
      low += bound;
      range -= bound;
      probs[i] = p - (p >>> shift);
    }
    while (range < TOP) {
      range = (range * 256) >>> 0;
      low = this.shiftLow(low);
    }
    r[LOW] = low;
    r[RANGE] = range;
  }

  /** Encodes the low `count` bits of `value` (count <= 31) with probability 1/2 each, at most 16 at a time. */
  direct(value: number, count: number): void {
    const r = this.r;
    let low = r[LOW]!;
    let range = r[RANGE]!;
    while (count > 0) {
      const take = Math.min(count, 16);
      count -= take;
      const chunk = Math.floor(value / 2 ** count) % 2 ** take;
      range = Math.floor(range / 2 ** take);
      low += chunk * range;
      while (range < TOP) {
        range = (range * 256) >>> 0;
        low = this.shiftLow(low);
      }
    }
    r[LOW] = low;
    r[RANGE] = range;
  }

  /**
   * Flushes and returns the end position. The final value is the one in [low, low + range) with the most trailing
   * zero bits, and trailing zero bytes are dropped: the decoder reads missing bytes as zeros.
   */
  finish(): number {
    let low = this.r[LOW]!;
    const high = low + this.r[RANGE]!;
    for (let b = 32; b >= 0; b--) {
      const unit = 2 ** b;
      const v = Math.ceil(low / unit) * unit;
      if (v < high) {
        low = v;
        break;
      }
    }
    for (let i = 0; i < 5; i++) low = this.shiftLow(low);
    while (this.pos > this.start && this.buf[this.pos - 1] === 0) this.pos--;
    return this.pos;
  }
}

const CODE = 1;

/**
 * Decoder over a byte range; reading past the end yields zero bytes. A valid stream keeps code < range at every
 * step; a stream that breaks it (only a corrupted one can) sets `corrupt`.
 */
export class RangeDecoder {
  /** [range, code] */
  readonly r = new Float64Array([0xffffffff, 0]);
  /** Set once the input proved impossible for any encoder (code ≥ range). */
  corrupt = false;
  pos: number;
  readonly end: number;
  readonly buf: Uint8Array;

  constructor(buf: Uint8Array, pos: number, end: number) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
    let code = 0;
    for (let i = 0; i < 4; i++) code = code * 256 + this.next();
    this.r[CODE] = code;
    if (code >= 0xffffffff) this.corrupt = true;
  }

  private next(): number {
    const p = this.pos++;
    return p < this.end ? this.buf[p]! : 0;
  }

  bit(probs: Uint16Array, i: number, shift: number): number {
    const r = this.r;
    let range = r[0]!;
    let code = r[CODE]!;
    const p = probs[i]!;
    const bound = (range >>> PROB_BITS) * p;
    let bit: number;
    if (code < bound) {
      range = bound;
      probs[i] = p + ((PROB_ONE - p) >>> shift);
      bit = 0;
    } else {
      code -= bound;
      range -= bound;
      probs[i] = p - (p >>> shift);
      bit = 1;
    }
    while (range < TOP) {
      range = (range * 256) >>> 0;
      code = code * 256 + this.next();
    }
    r[0] = range;
    r[CODE] = code;
    return bit;
  }

  direct(count: number): number {
    const r = this.r;
    let range = r[0]!;
    let code = r[CODE]!;
    let value = 0;
    while (count > 0) {
      const take = Math.min(count, 16);
      count -= take;
      range = Math.floor(range / 2 ** take);
      let chunk = Math.floor(code / range);
      const max = 2 ** take - 1;
      if (chunk > max) {
        chunk = max; // only in corrupted input
        this.corrupt = true;
      }
      code -= chunk * range;
      value = value * 2 ** take + chunk;
      while (range < TOP) {
        range = (range * 256) >>> 0;
        code = code * 256 + this.next();
      }
    }
    r[0] = range;
    r[CODE] = code;
    return value;
  }
}
