import { describe, expect, it } from 'vitest';
import { lcg } from '../../test/random.js';
import { ByteWriter } from './byteWriter.js';

describe('ByteWriter', () => {
  it('keeps every byte across growth and returns exactly what was written', () => {
    const rand = lcg(11);
    const writer = new ByteWriter(1);
    const expected: number[] = [];
    for (let k = 0; k < 200; k++) {
      const piece = Uint8Array.from({ length: Math.floor(rand() * 300) }, () => Math.floor(rand() * 256));
      if (k % 2) writer.append(piece);
      else {
        // Written in place after a reservation, as frames are.
        const out = writer.reserve(piece.length);
        out.set(piece, writer.length);
        writer.length += piece.length;
      }
      expected.push(...piece);
    }
    const result = writer.result();
    expect(result.length).toBe(expected.length);
    expect(result.buffer.byteLength).toBe(expected.length);
    expect(Array.from(result)).toEqual(expected);
  });

  it('hands back its own buffer when it is exactly full', () => {
    const writer = new ByteWriter(64);
    writer.append(new Uint8Array(64).fill(7));
    expect(writer.reserve(0).length).toBe(64);
    expect(writer.result()).toBe(writer.reserve(0));
  });
});
