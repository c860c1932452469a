import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadRecord } from '../test/data.js';
import { lcg } from '../test/random.js';
import { decodeEcg, encodeEcg } from './codec.js';
import { InvalidEcgFrameError, InvalidEcgParametersError } from './errors.js';
import { decodeEcgFrame, ECG_MAX_FRAME_SAMPLES, encodeEcgFrame, parseFrameAt } from './frame.js';
import { crc16 } from './internal/crc16.js';
import { wasmFrameBodyReady } from './internal/frameBodyWasm.js';

// The one-shot codec codes frames two at a time (both frames' predictions in the two lanes of the WebAssembly
// module's instructions). It must give exactly what one frame at a time gives: the same bytes, the same samples,
// and the same error for the same frame.

/** One frame at a time, as the streams and the frame API do. */
function encodeOneByOne(samples: Int32Array, channels: number, frameSamples: number, bitDepth: number) {
  const parts: Uint8Array[] = [];
  const total = samples.length / channels;
  for (let start = 0; start < total; start += frameSamples) {
    const n = Math.min(frameSamples, total - start);
    parts.push(
      encodeEcgFrame(samples.subarray(start * channels, (start + n) * channels), {
        sampleRate: frameSamples,
        channels,
        bitDepth,
        firstSampleIndex: start,
      }),
    );
  }
  return Buffer.concat(parts);
}

/** Decodes frame by frame; the samples, or the first error's message. */
function decodeOneByOne(bytes: Uint8Array): Int32Array | string {
  const out: number[] = [];
  try {
    for (let pos = 0; pos < bytes.length; ) {
      const { frameLength } = parseFrameAt(bytes, pos, bytes.length);
      out.push(...decodeEcgFrame(bytes.subarray(pos, pos + frameLength)).samples);
      pos += frameLength;
    }
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidEcgFrameError);
    return (error as Error).message;
  }
  return Int32Array.from(out);
}

function decodeAll(bytes: Uint8Array): Int32Array | string {
  try {
    return decodeEcg(bytes).samples;
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidEcgFrameError);
    return (error as Error).message;
  }
}

describe('frames coded two at a time', () => {
  it('run on WebAssembly here', () => {
    encodeEcg(new Int32Array(8), { sampleRate: 2, channels: 2 });
    expect(wasmFrameBodyReady()).toBe(true);
  });

  it('give the same bytes and samples as one frame at a time on MIT-BIH (2 leads, 1 s frames)', async () => {
    const { samples } = await loadRecord('mitdb/208');
    // 61 s and a bit: 30 pairs and a short last frame.
    const x = samples.subarray(0, 2 * (61 * 360 + 100));
    const bytes = encodeEcg(x, { sampleRate: 360, channels: 2, bitDepth: 12 });
    expect(Buffer.from(bytes).equals(encodeOneByOne(x, 2, 360, 12))).toBe(true);
    expect(decodeEcg(bytes).samples).toEqual(x);
  });

  it('give the same bytes and samples for any channel count, bit depth and frame count (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 8, max: 24 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 7 * 40 }),
        fc.integer(),
        (channels, bitDepth, frameSamples, length, seed) => {
          const rand = lcg(seed);
          const amplitude = 2 ** (bitDepth - 1) * rand();
          const x = Int32Array.from({ length: length * channels }, (_, i) => {
            const v = Math.round(amplitude * Math.sin(i / 7) + (rand() - 0.5) * amplitude * 0.2);
            return Math.max(-(2 ** (bitDepth - 1)), Math.min(2 ** (bitDepth - 1) - 1, v));
          });
          const bytes = encodeEcg(x, { sampleRate: frameSamples, channels, bitDepth, frameSamples });
          expect(Buffer.from(bytes).equals(encodeOneByOne(x, channels, frameSamples, bitDepth))).toBe(true);
          expect(decodeEcg(bytes).samples).toEqual(x);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('give the same bytes for Int16Array input, timestamps and a first sample index as one frame at a time', async () => {
    const { samples } = await loadRecord('mitdb/101');
    const x = samples.subarray(0, 2 * (9 * 250 + 17));
    const parameters = { sampleRate: 250, channels: 2, bitDepth: 12, firstSampleIndex: 1234, timestamp: 1.7e12 + 3 };
    const parts: Uint8Array[] = [];
    for (let start = 0; start < x.length / 2; start += 250) {
      const n = Math.min(250, x.length / 2 - start);
      parts.push(
        encodeEcgFrame(x.subarray(2 * start, 2 * (start + n)), {
          ...parameters,
          firstSampleIndex: 1234 + start,
          timestamp: 1.7e12 + 3 + start * 4,
        }),
      );
    }
    const expected = Buffer.concat(parts);
    expect(Buffer.from(encodeEcg(x, parameters)).equals(expected)).toBe(true);
    expect(Buffer.from(encodeEcg(Int16Array.from(x), parameters)).equals(expected)).toBe(true);
  });

  it('refuse frames over the size limit with a typed error, before any work', () => {
    const x = new Int32Array(ECG_MAX_FRAME_SAMPLES + 2);
    expect(() => encodeEcg(x, { sampleRate: 1000, channels: 2, frameSamples: x.length / 2 })).toThrow(
      InvalidEcgParametersError,
    );
    // The same samples in frames under the limit are fine.
    expect(decodeEcg(encodeEcg(x, { sampleRate: 1000, channels: 2 })).samples.length).toBe(x.length);
  });

  it('give the same error for the same frame when one frame of a pair is corrupt (checksums recomputed or not)', async () => {
    const { samples } = await loadRecord('mitdb/119');
    const x = samples.subarray(0, 2 * 360 * 6);
    const clean = encodeEcg(x, { sampleRate: 360, channels: 2, bitDepth: 12 });
    const starts: number[] = [];
    for (let pos = 0; pos < clean.length; pos += parseFrameAt(clean, pos, clean.length).frameLength) starts.push(pos);
    const rand = lcg(5);
    let corrupt = 0;
    for (let trial = 0; trial < 200; trial++) {
      const bytes = clean.slice();
      // Corrupt the body of one or two of the six frames (first or second of a pair), with or without fixing the
      // checksum.
      for (let k = 1 + Math.floor(rand() * 2); k > 0; k--) {
        const f = Math.floor(rand() * starts.length);
        const { bodyStart, bodyLength, frameLength } = parseFrameAt(bytes, starts[f]!, bytes.length);
        const at = bodyStart + Math.floor(rand() * bodyLength);
        bytes[at] = bytes[at]! ^ (1 + Math.floor(rand() * 255));
        if (rand() < 0.7) {
          const crcAt = starts[f]! + frameLength - 2;
          const crc = crc16(bytes, starts[f]!, crcAt);
          bytes[crcAt] = crc >>> 8;
          bytes[crcAt + 1] = crc & 0xff;
        }
      }
      const together = decodeAll(bytes);
      expect(together).toEqual(decodeOneByOne(bytes));
      if (typeof together === 'string') corrupt++;
    }
    expect(corrupt).toBeGreaterThan(100); // most corruptions are caught, the rest decode as one at a time does
  });

  it('report an out-of-range sample in the second frame of a pair as one frame at a time does', () => {
    const x = new Int32Array(2 * 20);
    x[2 * 15 + 1] = 5000; // frame 1 (samples 10..19), outside 12 bits
    const oneByOne = () => encodeOneByOne(x, 2, 10, 12);
    const together = () => encodeEcg(x, { sampleRate: 10, channels: 2, bitDepth: 12, frameSamples: 10 });
    expect(oneByOne).toThrow();
    expect(together).toThrow(
      (() => {
        try {
          oneByOne();
        } catch (error) {
          return (error as Error).message;
        }
        return 'no error';
      })(),
    );
  });
});
