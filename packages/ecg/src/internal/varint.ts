/** Unsigned LEB128 varints up to 2^53 - 1 (at most 8 bytes), minimal encoding only. */

export function varintLength(value: number): number {
  let n = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    n++;
  }
  return n;
}

export function writeVarint(buf: Uint8Array, pos: number, value: number): number {
  while (value >= 0x80) {
    buf[pos++] = (value % 128) | 0x80;
    value = Math.floor(value / 128);
  }
  buf[pos++] = value;
  return pos;
}

/** A read position, which {@link readVarint} advances. */
export interface VarintCursor {
  pos: number;
}

/**
 * Reads the varint at `cursor.pos` and moves the cursor past it. Returns its value, or -1 when the input ends first,
 * or -2 when the varint is invalid.
 */
export function readVarint(buf: Uint8Array, cursor: VarintCursor, end: number): number {
  let pos = cursor.pos;
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 8; i++) {
    if (pos >= end) return -1;
    const byte = buf[pos++]!;
    value += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) {
      cursor.pos = pos;
      if (i > 0 && byte === 0) return -2;
      return value > Number.MAX_SAFE_INTEGER ? -2 : value;
    }
    scale *= 128;
  }
  return -2;
}
