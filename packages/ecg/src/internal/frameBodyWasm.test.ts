import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadRecord } from '../../test/data.js';
import { lcg } from '../../test/random.js';
import { InvalidEcgFrameError, InvalidEcgParametersError } from '../errors.js';
import { decodeEcgFrame, encodeEcgFrame } from '../frame.js';
import { crc16 } from './crc16.js';
import { setWasmFrameBody, wasmFrameBodyReady } from './frameBodyWasm.js';

// The WebAssembly frame body (assembly/frameBody.ts) must be the JavaScript one, byte for byte and sample for
// sample: frames written by either are read by both, and a corrupted frame gives the same outcome in both.
afterEach(() => {
  setWasmFrameBody(true);
});

type Parameters = { sampleRate: number; channels: number; bitDepth: number; version?: 2 | 3 };

function encodeWith(wasm: boolean, samples: Int32Array, parameters: Parameters): Uint8Array | Error {
  setWasmFrameBody(wasm);
  try {
    return encodeEcgFrame(samples, parameters);
  } catch (error) {
    return error as Error;
  } finally {
    setWasmFrameBody(true);
  }
}

function decodeWith(wasm: boolean, bytes: Uint8Array): Int32Array | string {
  setWasmFrameBody(wasm);
  try {
    return decodeEcgFrame(bytes).samples;
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidEcgFrameError);
    return (error as Error).message;
  } finally {
    setWasmFrameBody(true);
  }
}

const hex = (bytes: Uint8Array | Error) =>
  bytes instanceof Error ? bytes.message : Buffer.from(bytes).toString('hex');

describe('the WebAssembly frame body', () => {
  it('is in use by default (and can be turned off)', () => {
    const samples = Int32Array.from({ length: 720 }, (_, i) => Math.round(500 * Math.sin(i / 9)));
    const parameters = { sampleRate: 360, channels: 2, bitDepth: 12 };
    expect(encodeWith(true, samples, parameters)).toBeInstanceOf(Uint8Array);
    expect(wasmFrameBodyReady()).toBe(true); // Node compiles it synchronously on first use
    expect(setWasmFrameBody(false)).toBe(true);
    expect(wasmFrameBodyReady()).toBe(false);
    expect(setWasmFrameBody(true)).toBe(false);
  });

  it('writes the same frames as the JavaScript codec on MIT-BIH recordings, and both read them', async () => {
    for (const name of ['101', '203', '208']) {
      const { samples } = await loadRecord(`mitdb/${name}`);
      // One 1 s frame every 29 s of the 5- or 10-minute excerpts.
      for (let start = 0; start + 720 <= samples.length; start += 720 * 29) {
        const frame = samples.subarray(start, start + 720);
        const parameters = { sampleRate: 360, channels: 2, bitDepth: 12 };
        const wasm = encodeWith(true, frame, parameters);
        expect(hex(wasm)).toBe(hex(encodeWith(false, frame, parameters)));
        const bytes = wasm as Uint8Array;
        expect(decodeWith(true, bytes)).toEqual(frame);
        expect(decodeWith(false, bytes)).toEqual(frame);
      }
    }
  });

  it('writes the same frames for any version, channel count, bit depth and length (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(2 as const, 3 as const),
        fc.integer({ min: 8, max: 24 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 300 }),
        fc.constantFrom('noise', 'walk', 'sine', 'extremes'),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (version, bitDepth, channels, n, kind, seed) => {
          const rand = lcg(seed);
          const lo = -(2 ** (bitDepth - 1));
          const hi = 2 ** (bitDepth - 1) - 1;
          let level = 0;
          const samples = Int32Array.from({ length: n * channels }, (_, i) => {
            let v: number;
            if (kind === 'noise') v = lo + Math.floor(rand() * (hi - lo + 1));
            else if (kind === 'extremes') v = rand() < 0.5 ? lo : hi;
            else if (kind === 'sine') v = Math.round(hi * 0.9 * Math.sin(i / (3 + (seed % 40))));
            else v = level += Math.round((rand() - 0.5) * 2 ** (bitDepth / 2));
            return Math.min(hi, Math.max(lo, v));
          });
          const parameters = { sampleRate: 250, channels, bitDepth, version };
          const wasm = encodeWith(true, samples, parameters);
          expect(hex(wasm)).toBe(hex(encodeWith(false, samples, parameters)));
          const bytes = wasm as Uint8Array;
          expect(decodeWith(true, bytes)).toEqual(samples);
          expect(decodeWith(false, bytes)).toEqual(samples);
        },
      ),
      { numRuns: 200, seed: 20261202 },
    );
  });

  it('falls back to the JavaScript encoder for bodies over 2 bytes per sample (24-bit white noise)', () => {
    const rand = lcg(9);
    const samples = Int32Array.from({ length: 1000 }, () => Math.floor(rand() * 2 ** 24) - 2 ** 23);
    const parameters = { sampleRate: 500, channels: 2, bitDepth: 24 };
    const bytes = encodeWith(true, samples, parameters);
    expect((bytes as Uint8Array).length).toBeGreaterThan(2 * samples.length);
    expect(hex(bytes)).toBe(hex(encodeWith(false, samples, parameters)));
    expect(decodeWith(true, bytes as Uint8Array)).toEqual(samples);
  });

  it('round-trips bodies whose output buffer grows while the coder finishes (24-bit extremes, both codecs)', () => {
    // The JavaScript encoder's buffer starts at 1.5 bytes per sample and grows; these frames need about 3.1, so
    // for some lengths the growth happens inside finish(). Every length from 300 to 420 sample sets is tried.
    const rand = lcg(20261202);
    for (let n = 300; n <= 420; n++) {
      const samples = Int32Array.from({ length: 4 * n }, () => (rand() < 0.5 ? -(2 ** 23) : 2 ** 23 - 1));
      const parameters = { sampleRate: 1, channels: 4, bitDepth: 24 };
      const bytes = encodeWith(true, samples, parameters);
      expect(hex(bytes)).toBe(hex(encodeWith(false, samples, parameters)));
      expect(decodeWith(true, bytes as Uint8Array)).toEqual(samples);
      expect(decodeWith(false, bytes as Uint8Array)).toEqual(samples);
    }
  });

  it('refuses a sample outside the bit depth with the same typed error', () => {
    const samples = Int32Array.from([0, 1, 2, 2048, 3, 4]);
    const parameters = { sampleRate: 360, channels: 2, bitDepth: 12 };
    const wasm = encodeWith(true, samples, parameters);
    const js = encodeWith(false, samples, parameters);
    expect(wasm).toBeInstanceOf(InvalidEcgParametersError);
    expect((wasm as InvalidEcgParametersError).details).toBe('samples[3] = 2048');
    expect(hex(wasm)).toBe(hex(js));
  });

  it('reads corrupted bodies (with a recomputed checksum) exactly as the JavaScript decoder does', async () => {
    const { samples } = await loadRecord('mitdb/106');
    const rand = lcg(77);
    let garbled = 0;
    for (let trial = 0; trial < 300; trial++) {
      const start = 720 * Math.floor(rand() * (samples.length / 720 - 1)); // any whole second of the excerpt
      const frame = encodeEcgFrame(samples.subarray(start, start + 720), {
        sampleRate: 360,
        channels: 2,
        bitDepth: 12,
      });
      const bytes = frame.slice();
      // The body starts after the 2 fixed bytes and 4 one- or two-byte varints; corrupt 1 to 4 bytes after byte 8.
      for (let k = 1 + Math.floor(rand() * 4); k > 0; k--) {
        const at = 8 + Math.floor(rand() * (bytes.length - 10));
        bytes[at] = (bytes[at] as number) ^ (1 + Math.floor(rand() * 255));
      }
      const crc = crc16(bytes, 0, bytes.length - 2);
      bytes[bytes.length - 2] = crc >>> 8;
      bytes[bytes.length - 1] = crc & 0xff;
      const wasm = decodeWith(true, bytes);
      expect(wasm).toEqual(decodeWith(false, bytes));
      if (typeof wasm === 'string' || wasm.some((v, i) => v !== samples[start + i])) garbled++;
    }
    expect(garbled).toBeGreaterThan(250); // the corruptions did reach the body
  });
});

describe('where WebAssembly is restricted', () => {
  const realWebAssembly = globalThis.WebAssembly;
  afterEach(() => {
    globalThis.WebAssembly = realWebAssembly;
    vi.resetModules();
  });

  const freshCodec = async () => {
    vi.resetModules();
    const frame = await import('../frame.js');
    const wasm = await import('./frameBodyWasm.js');
    return { ...frame, ...wasm };
  };
  const samples = Int32Array.from({ length: 720 }, (_, i) => Math.round(700 * Math.sin(i / 7)));
  const parameters = { sampleRate: 360, channels: 2, bitDepth: 12 };

  it('without WebAssembly, the JavaScript codec does the work (same bytes)', async () => {
    const expected = encodeEcgFrame(samples, parameters);
    (globalThis as { WebAssembly?: unknown }).WebAssembly = undefined;
    const codec = await freshCodec();
    const frame = codec.encodeEcgFrame(samples, parameters);
    expect(Buffer.from(frame).equals(Buffer.from(expected))).toBe(true);
    expect(codec.decodeEcgFrame(frame).samples).toEqual(samples);
    expect(codec.wasmFrameBodyReady()).toBe(false);
  });

  it('where synchronous compilation is refused (browser main thread), it compiles in the background', async () => {
    const expected = encodeEcgFrame(samples, parameters);
    globalThis.WebAssembly = {
      ...realWebAssembly,
      Module: function Module() {
        throw new RangeError('WebAssembly.Module(): Buffer size is larger than 4 KB on the main thread');
      },
      Instance: realWebAssembly.Instance,
      instantiate: realWebAssembly.instantiate,
    } as unknown as typeof WebAssembly;
    const codec = await freshCodec();
    // The first frame is coded by the JavaScript codec while the module compiles...
    expect(Buffer.from(codec.encodeEcgFrame(samples, parameters)).equals(Buffer.from(expected))).toBe(true);
    expect(codec.wasmFrameBodyReady()).toBe(false);
    // ...and later frames by WebAssembly, with the same bytes.
    await vi.waitFor(() => expect(codec.wasmFrameBodyReady()).toBe(true));
    expect(Buffer.from(codec.encodeEcgFrame(samples, parameters)).equals(Buffer.from(expected))).toBe(true);
  });

  it('where a content security policy forbids WebAssembly, it stays on the JavaScript codec', async () => {
    const refused = () => {
      throw new WebAssembly.CompileError('Refused to compile: wasm-unsafe-eval is not allowed');
    };
    globalThis.WebAssembly = {
      ...realWebAssembly,
      Module: refused,
      instantiate: () => Promise.reject(new realWebAssembly.CompileError('wasm-unsafe-eval is not allowed')),
    } as unknown as typeof WebAssembly;
    const codec = await freshCodec();
    const frame = codec.encodeEcgFrame(samples, parameters);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(codec.wasmFrameBodyReady()).toBe(false);
    expect(codec.decodeEcgFrame(codec.encodeEcgFrame(samples, parameters)).samples).toEqual(samples);
    expect(Buffer.from(frame).equals(Buffer.from(encodeEcgFrame(samples, parameters)))).toBe(true);
  });
});
