import { describe, expect, it } from 'vitest';
import { lcg } from '../../test/random.js';
import { crc16 } from './crc16.js';

/** The definition, one bit at a time. */
function crc16Bitwise(bytes: Uint8Array, start: number, end: number): number {
  let crc = 0xffff;
  for (let i = start; i < end; i++) {
    crc ^= bytes[i]! << 8;
    for (let b = 0; b < 8; b++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

describe('crc16 (CRC-16/CCITT-FALSE)', () => {
  it('gives the catalogued check value 0x29B1 for "123456789"', () => {
    const check = new TextEncoder().encode('123456789');
    expect(crc16(check, 0, check.length)).toBe(0x29b1);
    expect(crc16(new Uint8Array(0), 0, 0)).toBe(0xffff);
  });

  it('agrees with the bit-by-bit definition on every range of random bytes (odd and even lengths)', () => {
    const rand = lcg(16);
    const bytes = Uint8Array.from({ length: 300 }, () => Math.floor(rand() * 256));
    for (let start = 0; start < 40; start++)
      for (let end = start; end <= bytes.length; end += 1 + Math.floor(rand() * 9))
        expect(crc16(bytes, start, end)).toBe(crc16Bitwise(bytes, start, end));
  });
});
