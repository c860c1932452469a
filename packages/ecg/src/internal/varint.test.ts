import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readVarint, varintLength, writeVarint } from './varint.js';

describe('varints', () => {
  it('read back what was written, and move the cursor exactly past it (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 0, max: 5 }), (value, at) => {
        const buf = new Uint8Array(at + 9).fill(0xff);
        const end = writeVarint(buf, at, value);
        expect(end - at).toBe(varintLength(value));
        const cursor = { pos: at };
        expect(readVarint(buf, cursor, end)).toBe(value);
        expect(cursor.pos).toBe(end);
      }),
    );
  });

  it('ask for more bytes when the input ends inside a varint, leaving the cursor where it was', () => {
    const buf = new Uint8Array(4);
    const end = writeVarint(buf, 0, 300_000);
    const cursor = { pos: 0 };
    expect(readVarint(buf, cursor, end - 1)).toBe(-1);
    expect(cursor.pos).toBe(0);
  });

  it('refuse non-minimal, over-long and unsafe varints', () => {
    const invalid = [
      [0x80, 0x00], // 0 written in two bytes
      [0x81, 0x80, 0x00], // a trailing zero byte
      [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], // nine bytes
      [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f], // 2^56 - 1 > 2^53 - 1
    ];
    for (const bytes of invalid) expect(readVarint(Uint8Array.from(bytes), { pos: 0 }, bytes.length)).toBe(-2);
  });
});
