import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadRecord } from '../test/data.js';
import { decodeEcg, encodeEcg } from './codec.js';
import { createEcgDecoderStream, createEcgEncoderStream } from './codecStreams.js';
import { InvalidEcgFrameError, InvalidEcgParametersError } from './errors.js';
import { decodeEcgFrame, ECG_FRAME_VERSION, type EcgFrame, encodeEcgFrame, readEcgFrameHeader } from './frame.js';
import { crc16 } from './internal/crc16.js';

const same = (a: Int32Array, b: Int32Array) =>
  a.length === b.length &&
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

const signal = (bitDepth: number, channels: number, maxLength: number) =>
  fc
    .tuple(
      fc.integer({ min: 0, max: maxLength }),
      fc.constantFrom('random', 'walk', 'extremes', 'sine'),
      fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    )
    .map(([n, kind, seed]) => {
      const lo = -(2 ** (bitDepth - 1));
      const hi = 2 ** (bitDepth - 1) - 1;
      const x = new Int32Array(n * channels);
      let s = seed;
      const rand = () => {
        s = (Math.imul(s, 1103515245) + 12345) >>> 0;
        return s / 2 ** 32;
      };
      let level = 0;
      for (let i = 0; i < x.length; i++) {
        let v: number;
        if (kind === 'random') v = lo + Math.floor(rand() * (hi - lo + 1));
        else if (kind === 'extremes') v = rand() < 0.5 ? lo : hi;
        else if (kind === 'sine') v = Math.round(hi * 0.9 * Math.sin(i / (3 + (seed % 40))));
        else {
          level += Math.round((rand() - 0.5) * 2 ** (bitDepth / 2));
          v = level;
        }
        x[i] = Math.min(hi, Math.max(lo, v));
      }
      return x;
    });

describe('ECG frame codec', () => {
  it('round-trips random signals at every bit depth and channel count (property)', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 8, max: 24 })
          .chain((bitDepth) =>
            fc
              .integer({ min: 1, max: 5 })
              .chain((channels) =>
                fc.tuple(
                  fc.constant(bitDepth),
                  fc.constant(channels),
                  signal(bitDepth, channels, 400),
                  fc.integer({ min: 1, max: 100000 }),
                  fc.option(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })),
                  fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
                ),
              ),
          ),
        ([bitDepth, channels, x, sampleRate, timestamp, firstSampleIndex]) => {
          const frame = encodeEcgFrame(x, {
            sampleRate,
            channels,
            bitDepth,
            firstSampleIndex,
            ...(timestamp !== null ? { timestamp } : {}),
          });
          const decoded = decodeEcgFrame(frame);
          expect(decoded.samples).toEqual(x);
          expect(decoded.header).toEqual({
            version: ECG_FRAME_VERSION,
            sampleRate,
            channels,
            bitDepth,
            sampleCount: x.length / channels,
            firstSampleIndex,
            timestamp: timestamp ?? undefined,
          });
          expect(readEcgFrameHeader(frame)).toEqual(decoded.header);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('round-trips Int16Array input', () => {
    const x = Int16Array.from({ length: 1000 }, (_, i) => (i % 2 ? -32768 : 32767));
    expect(decodeEcgFrame(encodeEcgFrame(x, { sampleRate: 500, channels: 2 })).samples).toEqual(Int32Array.from(x));
  });

  it('round-trips real MIT-BIH, SVDB and 12-lead PTB signals frame by frame', async () => {
    const cases = [
      { path: 'mitdb/208', bitDepth: 12, signals: undefined, seconds: 120 },
      { path: 'mitdb/232'.replace('232', '203'), bitDepth: 12, signals: undefined, seconds: 120 },
      { path: 'svdb/800', bitDepth: 12, signals: undefined, seconds: 120 },
      { path: 'ptbdb/s0010_re', bitDepth: 16, signals: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], seconds: 10 },
    ];
    for (const c of cases) {
      const record = await loadRecord(c.path, c.signals);
      const rate = record.header.sampleRate;
      const x = record.samples.subarray(0, rate * c.seconds * record.channels);
      const bytes = encodeEcg(x, {
        sampleRate: rate,
        channels: record.channels,
        bitDepth: c.bitDepth,
        timestamp: 1.7e12,
      });
      const decoded = decodeEcg(bytes);
      expect(same(decoded.samples, x), c.path).toBe(true);
      expect(decoded.frames).toHaveLength(c.seconds);
      expect(decoded.frames[1]!.timestamp).toBe(1.7e12 + 1000);
      // Lossless and well under the 12 bits per sample of format 212.
      expect((bytes.length * 8) / x.length, c.path).toBeLessThan(
        c.path.startsWith('mitdb') ? 5 : c.path.startsWith('svdb') ? 6.5 : 8,
      );
    }
  }, 60_000);

  it('rejects invalid parameters and out-of-range samples with InvalidEcgParametersError', () => {
    const bad: [Int32Array, Parameters<typeof encodeEcgFrame>[1]][] = [
      [new Int32Array(2), { sampleRate: 0, channels: 1 }],
      [new Int32Array(2), { sampleRate: 1.5, channels: 1 }],
      [new Int32Array(2), { sampleRate: 360, channels: 0 }],
      [new Int32Array(3), { sampleRate: 360, channels: 2 }],
      [new Int32Array(2), { sampleRate: 360, channels: 1, bitDepth: 7 }],
      [new Int32Array(2), { sampleRate: 360, channels: 1, bitDepth: 25 }],
      [new Int32Array([128]), { sampleRate: 360, channels: 1, bitDepth: 8 }],
      [new Int32Array([-129]), { sampleRate: 360, channels: 1, bitDepth: 8 }],
      [new Int32Array(2), { sampleRate: 360, channels: 1, timestamp: -1 }],
      [new Int32Array(2), { sampleRate: 360, channels: 1, firstSampleIndex: 2 ** 53 }],
    ];
    for (const [x, p] of bad) expect(() => encodeEcgFrame(x, p)).toThrow(InvalidEcgParametersError);
    expect(() => encodeEcg(new Int32Array(4), { sampleRate: 4, channels: 1, frameSamples: 0 })).toThrow(
      InvalidEcgParametersError,
    );
  });

  it('encodes an empty frame', () => {
    const frame = encodeEcgFrame(new Int32Array(0), { sampleRate: 360, channels: 2 });
    expect(decodeEcgFrame(frame).samples.length).toBe(0);
  });
});

describe('malformed frames (fuzz)', () => {
  const x = new Int32Array(720).map((_, i) => Math.round(300 * Math.sin(i / 9) + ((i * 37) % 23)));
  const frame = encodeEcgFrame(x, { sampleRate: 360, channels: 2, bitDepth: 12, firstSampleIndex: 7, timestamp: 1 });

  it('every truncation gives InvalidEcgFrameError', () => {
    for (let n = 0; n < frame.length; n++)
      expect(() => decodeEcgFrame(frame.subarray(0, n))).toThrow(InvalidEcgFrameError);
    expect(() => decodeEcgFrame(new Uint8Array([...frame, 0]))).toThrow(InvalidEcgFrameError);
  });

  it('every single-bit flip gives InvalidEcgFrameError', () => {
    for (let i = 0; i < frame.length; i++) {
      for (let b = 0; b < 8; b++) {
        const bad = frame.slice();
        bad[i]! ^= 1 << b;
        expect(() => decodeEcgFrame(bad)).toThrow(InvalidEcgFrameError);
      }
    }
  });

  it('random bytes and random splices give InvalidEcgFrameError or a valid frame, never another error', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 64 }),
          fc.tuple(fc.nat(frame.length), fc.uint8Array({ minLength: 1, maxLength: 8 })).map(([at, junk]) => {
            const bad = frame.slice();
            bad.set(junk.subarray(0, Math.max(0, bad.length - at)), at);
            return bad;
          }),
          fc
            .uint8Array({ minLength: 4, maxLength: 64 })
            .map((junk) => new Uint8Array([0xe2, junk[0]! & 0x1f, ...junk.subarray(1)])),
        ),
        (bytes) => {
          try {
            decodeEcgFrame(bytes);
          } catch (error) {
            expect(error).toBeInstanceOf(InvalidEcgFrameError);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('forged bodies with valid checksums decode to in-range samples or give InvalidEcgFrameError (property)', () => {
    let rejected = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 16 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 50 }),
        fc.uint8Array({ maxLength: 40 }),
        (depthCode, channels, count, body) => {
          const head = [0xe2, depthCode, channels, 100, count, 0, body.length];
          const bytes = new Uint8Array([...head, ...body, 0, 0]);
          const crc = crc16(bytes, 0, bytes.length - 2);
          bytes[bytes.length - 2] = crc >> 8;
          bytes[bytes.length - 1] = crc & 0xff;
          try {
            const { samples, header } = decodeEcgFrame(bytes);
            const lim = 2 ** (header.bitDepth - 1);
            expect(samples.length).toBe(count * channels);
            for (const v of samples) expect(v >= -lim && v < lim).toBe(true);
          } catch (error) {
            expect(error).toBeInstanceOf(InvalidEcgFrameError);
            rejected++;
          }
        },
      ),
      { numRuns: 3000 },
    );
    expect(rejected).toBeGreaterThan(0);
  });

  it('rejects a frame of the earlier format version 1 with a typed error instead of misreading it', () => {
    const current = encodeEcgFrame(Int32Array.from([1, 2, 3, 4]), { sampleRate: 250, channels: 1, bitDepth: 12 });
    const v1 = current.slice();
    v1[0] = 0xe1;
    const crc = crc16(v1, 0, v1.length - 2);
    v1[v1.length - 2] = crc >> 8;
    v1[v1.length - 1] = crc & 0xff;
    expect(() => decodeEcgFrame(v1)).toThrow(InvalidEcgFrameError);
    expect(() => decodeEcgFrame(v1)).toThrow(/Unsupported ECG frame version/);
  });

  it('rejects frames declaring too many samples before allocating', () => {
    const bytes = new Uint8Array([0xe2, 0x40, 0x80, 0x02, 0xff, 0xff, 0x03, 0, 1, 0, 0, 0]);
    expect(() => decodeEcgFrame(bytes)).toThrow(/too many samples/);
  });
});

function streamOf<T>(chunks: T[]): ReadableStream<T> {
  return new ReadableStream<T>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

async function collect<T>(stream: ReadableStream<T>): Promise<T[]> {
  const out: T[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out;
    out.push(value);
  }
}

describe('codec streams', () => {
  it('chunks of any size give the same frames as one-shot encoding (property)', async () => {
    const record = await loadRecord('mitdb/119');
    const x = record.samples.subarray(0, 360 * 2 * 6 + 2 * 100);
    const oneShot = encodeEcg(x, { sampleRate: 360, channels: 2, bitDepth: 12, timestamp: 5000 });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 2000 }), { minLength: 1, maxLength: 20 }), async (sizes) => {
        const chunks: Int32Array[] = [];
        for (let pos = 0, i = 0; pos < x.length; i++) {
          const size = sizes[i % sizes.length]!;
          chunks.push(x.slice(pos, pos + size));
          pos += size;
        }
        const frames = await collect(
          streamOf(chunks).pipeThrough(
            createEcgEncoderStream({ sampleRate: 360, channels: 2, bitDepth: 12, timestamp: 5000 }),
          ),
        );
        expect(frames).toHaveLength(7);
        expect(Buffer.concat(frames)).toEqual(Buffer.from(oneShot));
        // Decode from byte chunks of arbitrary sizes.
        const byteChunks: Uint8Array[] = [];
        for (let pos = 0, i = 0; pos < oneShot.length; i++) {
          const size = sizes[(i + 1) % sizes.length]!;
          byteChunks.push(oneShot.slice(pos, pos + size));
          pos += size;
        }
        const decoded: EcgFrame[] = await collect(streamOf(byteChunks).pipeThrough(createEcgDecoderStream()));
        expect(decoded.map((f) => f.header.firstSampleIndex)).toEqual([0, 360, 720, 1080, 1440, 1800, 2160]);
        expect(decoded.map((f) => f.header.timestamp)).toEqual([5000, 6000, 7000, 8000, 9000, 10000, 11000]);
        const all = new Int32Array(x.length);
        let o = 0;
        for (const f of decoded) {
          all.set(f.samples, o);
          o += f.samples.length;
        }
        expect(same(all, x)).toBe(true);
      }),
      { numRuns: 15 },
    );
  }, 60_000);

  it('a listener joining mid-stream decodes from the next frame on', async () => {
    const bytes = encodeEcg(
      new Int32Array(1000).map((_, i) => i % 100),
      { sampleRate: 250, channels: 1 },
    );
    const second = readEcgFrameHeader(bytes);
    expect(second.firstSampleIndex).toBe(0);
    const frames = await collect(streamOf([bytes]).pipeThrough(createEcgDecoderStream()));
    const lateJoiner = decodeEcgFrame(
      bytes.subarray(frames[0]!.byteLength, frames[0]!.byteLength + frames[1]!.byteLength),
    );
    expect(lateJoiner.header.firstSampleIndex).toBe(250);
    expect(Array.from(lateJoiner.samples.subarray(0, 3))).toEqual([50, 51, 52]);
  });

  it('errors the stream on a truncated tail or a partial sample set', async () => {
    const bytes = encodeEcg(new Int32Array(500), { sampleRate: 250, channels: 1 });
    await expect(
      collect(streamOf([bytes.subarray(0, bytes.length - 1)]).pipeThrough(createEcgDecoderStream())),
    ).rejects.toThrow(InvalidEcgFrameError);
    await expect(
      collect(streamOf([new Int32Array(3)]).pipeThrough(createEcgEncoderStream({ sampleRate: 250, channels: 2 }))),
    ).rejects.toThrow(InvalidEcgParametersError);
  });

  it('rejects non-contiguous or inconsistent frame sequences in one-shot decoding', () => {
    const a = encodeEcgFrame(new Int32Array(4), { sampleRate: 4, channels: 1, firstSampleIndex: 0 });
    const b = encodeEcgFrame(new Int32Array(4), { sampleRate: 4, channels: 1, firstSampleIndex: 8 });
    const c = encodeEcgFrame(new Int32Array(4), { sampleRate: 4, channels: 2, firstSampleIndex: 4 });
    expect(() => decodeEcg(new Uint8Array([...a, ...b]))).toThrow(InvalidEcgFrameError);
    expect(() => decodeEcg(new Uint8Array([...a, ...c]))).toThrow(InvalidEcgFrameError);
  });
});
