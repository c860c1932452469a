/**
 * Binary adaptive range coder (the LZMA construction: 32-bit range, 12-bit probabilities, carry propagation through
 * a cached byte). Probabilities are the chance of a 0 bit, in 1/4096 units, stored in a Uint16Array.
 */

export const PROB_BITS = 12;
export const PROB_ONE = 1 << PROB_BITS;
export const PROB_INIT = PROB_ONE >>> 1;
const TOP = 0x1000000;

/** Growable byte sink for the encoder. */
export class RangeEncoder {
  low = 0;
  range = 0xffffffff;
  cache = 0;
  cacheSize = 1;
  buf: Uint8Array;
  pos = 0;

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

  shiftLow(): void {
    const low = this.low;
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
    this.low = (low & 0x00ffffff) * 256;
  }

  /** Encodes `bit` with adaptive probability `probs[i]`, adapting at rate `shift`. */
  bit(probs: Uint16Array, i: number, bit: number, shift: number): void {
    const p = probs[i]!;
    const bound = (this.range >>> PROB_BITS) * p;
    if (bit === 0) {
      this.range = bound;
      probs[i] = p + ((PROB_ONE - p) >>> shift);
    } else {
      this.low += bound;
      this.range -= bound;
      probs[i] = p - (p >>> shift);
    }
    while (this.range < TOP) {
      this.range = (this.range * 256) >>> 0;
      this.shiftLow();
    }
  }

  /** Encodes the low `count` bits of `value` (count <= 31) with probability 1/2 each, most significant first. */
  direct(value: number, count: number): void {
    for (let b = count - 1; b >= 0; b--) {
      this.range = this.range >>> 1;
      if ((value >>> b) & 1) this.low += this.range;
      while (this.range < TOP) {
        this.range = (this.range * 256) >>> 0;
        this.shiftLow();
      }
    }
  }

  /**
   * Flushes and returns the end position. The final value is the one in [low, low + range) with the most trailing
   * zero bits, and trailing zero bytes are dropped: the decoder reads missing bytes as zeros.
   */
  finish(): number {
    const high = this.low + this.range;
    for (let b = 32; b >= 0; b--) {
      const unit = 2 ** b;
      const v = Math.ceil(this.low / unit) * unit;
      if (v < high) {
        this.low = v;
        break;
      }
    }
    for (let i = 0; i < 5; i++) this.shiftLow();
    while (this.pos > this.start && this.buf[this.pos - 1] === 0) this.pos--;
    return this.pos;
  }
}

/** Decoder over a byte range; reading past the end yields zero bytes and is reported by `overrun`. */
export class RangeDecoder {
  range = 0xffffffff;
  code = 0;
  pos: number;
  readonly end: number;
  readonly buf: Uint8Array;

  constructor(buf: Uint8Array, pos: number, end: number) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
    for (let i = 0; i < 4; i++) this.code = ((this.code << 8) | this.next()) >>> 0;
  }

  private next(): number {
    const p = this.pos++;
    return p < this.end ? this.buf[p]! : 0;
  }

  /** Bytes read beyond the end of the input. */
  get overrun(): number {
    return this.pos > this.end ? this.pos - this.end : 0;
  }

  bit(probs: Uint16Array, i: number, shift: number): number {
    const p = probs[i]!;
    const bound = (this.range >>> PROB_BITS) * p;
    let bit: number;
    if (this.code < bound) {
      this.range = bound;
      probs[i] = p + ((PROB_ONE - p) >>> shift);
      bit = 0;
    } else {
      this.code -= bound;
      this.range -= bound;
      probs[i] = p - (p >>> shift);
      bit = 1;
    }
    while (this.range < TOP) {
      this.range = (this.range * 256) >>> 0;
      this.code = ((this.code * 256) >>> 0) + this.next();
    }
    return bit;
  }

  direct(count: number): number {
    let value = 0;
    for (let b = 0; b < count; b++) {
      this.range = this.range >>> 1;
      let bit = 0;
      if (this.code >= this.range) {
        this.code -= this.range;
        bit = 1;
      }
      value = (value << 1) | bit;
      while (this.range < TOP) {
        this.range = (this.range * 256) >>> 0;
        this.code = ((this.code * 256) >>> 0) + this.next();
      }
    }
    return value;
  }
}
