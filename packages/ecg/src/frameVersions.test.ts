import { describe, expect, it } from 'vitest';
import { loadRecord } from '../test/data.js';
import { decodeEcg, encodeEcg } from './codec.js';
import { createEcgDecoderStream, createEcgEncoderStream } from './codecStreams.js';
import { InvalidEcgFrameError, InvalidEcgParametersError } from './errors.js';
import { decodeEcgFrame, ECG_FRAME_VERSION, type EncodeEcgFrameParameters, encodeEcgFrame } from './frame.js';
import { crc16 } from './internal/crc16.js';
import { setWasmFrameBody } from './internal/frameBodyWasm.js';

// Version 3 is written by default; version 2 is still read, and written on request. Both run through the
// WebAssembly frame body (one frame and frame pairs) and the JavaScript one, which must agree byte for byte.

const params = { sampleRate: 360, channels: 2, bitDepth: 12 } as const;

function withWasm<T>(on: boolean, f: () => T): T {
  const previous = setWasmFrameBody(on);
  try {
    return f();
  } finally {
    setWasmFrameBody(previous);
  }
}

describe('frame versions', () => {
  it.each([2, 3] as const)(
    'version %i: encodeEcg/decodeEcg round-trip, WebAssembly and JavaScript agree',
    async (version) => {
      const { samples } = await loadRecord('mitdb/106');
      const x = samples.subarray(0, 720 * 61); // 61 s: 30 frame pairs and a last frame on its own
      const wasm = withWasm(true, () => encodeEcg(x, { ...params, version }));
      const js = withWasm(false, () => encodeEcg(x, { ...params, version }));
      expect(Buffer.from(wasm).equals(Buffer.from(js))).toBe(true);
      for (const on of [true, false]) {
        const decoded = withWasm(on, () => decodeEcg(wasm));
        expect(decoded.samples).toEqual(x);
        expect(decoded.frames.every((h) => h.version === version)).toBe(true);
      }
    },
  );

  it('writes version 3 by default, smaller than version 2 on MIT-BIH', async () => {
    const { samples } = await loadRecord('mitdb/119');
    const v3 = encodeEcg(samples, params);
    const v2 = encodeEcg(samples, { ...params, version: 2 });
    expect(ECG_FRAME_VERSION).toBe(3);
    expect(v3[0]).toBe(0xe3);
    expect(v2[0]).toBe(0xe2);
    expect(v3.length).toBeLessThan(v2.length * 0.99);
  });

  it('streams either version', async () => {
    const x = Int32Array.from({ length: 2000 }, (_, i) => Math.round(200 * Math.sin(i / 9)) + (i % 7));
    for (const version of [2, 3] as const) {
      const frames: Uint8Array[] = [];
      await new ReadableStream({
        start(controller) {
          controller.enqueue(x);
          controller.close();
        },
      })
        .pipeThrough(createEcgEncoderStream({ sampleRate: 250, channels: 2, version }))
        .pipeTo(new WritableStream({ write: (f) => void frames.push(f) }));
      expect(frames.every((f) => f[0] === 0xe0 + version)).toBe(true);
      const out: number[] = [];
      await new ReadableStream({
        start(controller) {
          for (const f of frames) controller.enqueue(f);
          controller.close();
        },
      })
        .pipeThrough(createEcgDecoderStream())
        .pipeTo(new WritableStream({ write: (f) => void out.push(...f.samples) }));
      expect(out).toEqual(Array.from(x));
    }
  });

  it('refuses to write an unknown version', () => {
    const bad = { ...params, version: 4 } as unknown as EncodeEcgFrameParameters;
    expect(() => encodeEcgFrame(new Int32Array(4), bad)).toThrow(InvalidEcgParametersError);
  });

  it('version 3 writes a whole-frame first sample index in frames; version 2 keeps that flag reserved', () => {
    const x = new Int32Array(720);
    const v3 = encodeEcgFrame(x, { ...params, firstSampleIndex: 360 * 2000 });
    expect(v3[1]! & 0x20).toBe(0x20);
    expect(decodeEcgFrame(v3).header.firstSampleIndex).toBe(720000);
    const odd = encodeEcgFrame(x, { ...params, firstSampleIndex: 7 });
    expect(odd[1]! & 0x20).toBe(0);
    expect(decodeEcgFrame(odd).header.firstSampleIndex).toBe(7);
    // The same flag on a version-2 frame is reserved.
    const v2 = encodeEcgFrame(x, { ...params, version: 2 });
    v2[1] = v2[1]! | 0x20;
    const crc = crc16(v2, 0, v2.length - 2);
    v2[v2.length - 2] = crc >>> 8;
    v2[v2.length - 1] = crc & 0xff;
    expect(() => decodeEcgFrame(v2)).toThrow(InvalidEcgFrameError);
  });
});
