import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidEcgFrameError } from './errors.js';
import { decodeEcgFrame, ECG_FRAME_VERSION, type EncodeEcgFrameParameters, encodeEcgFrame } from './frame.js';
import { setWasmFrameBody } from './internal/frameBodyWasm.js';

interface Vector {
  description: string;
  parameters: EncodeEcgFrameParameters;
  samples: number[];
  frame: string;
}

/** The golden frames of every version this package reads and writes (version 3: scripts/make-frame-vectors.ts). */
const files = [
  ['ecg-frames.json', 2],
  ['ecg-frames-v3.json', 3],
] as const;

it('writes the latest version by default', () => expect(ECG_FRAME_VERSION).toBe(3));

describe.each(
  files.flatMap(([file, version]) => [
    [file, version, 'WebAssembly', true],
    [file, version, 'JavaScript', false],
  ]),
)('golden ECG frames (test/vectors/%s, version %i), %s frame body', (file, version, _, wasm) => {
  const { vectors } = JSON.parse(readFileSync(new URL(`../test/vectors/${file}`, import.meta.url), 'utf8')) as {
    vectors: Vector[];
  };
  beforeEach(() => {
    setWasmFrameBody(wasm);
  });
  afterEach(() => {
    setWasmFrameBody(true);
  });
  it('has vectors', () => expect(vectors.length).toBeGreaterThanOrEqual(5));
  for (const v of vectors) {
    it(`encodes and decodes: ${v.description}`, () => {
      const bytes = Uint8Array.from(Buffer.from(v.frame, 'hex'));
      const parameters = { ...v.parameters, version };
      expect(Buffer.from(encodeEcgFrame(Int32Array.from(v.samples), parameters)).toString('hex')).toBe(v.frame);
      const decoded = decodeEcgFrame(bytes);
      expect(Array.from(decoded.samples)).toEqual(v.samples);
      expect(decoded.header).toEqual({
        version,
        sampleRate: v.parameters.sampleRate,
        channels: v.parameters.channels,
        bitDepth: v.parameters.bitDepth ?? 16,
        sampleCount: v.samples.length / v.parameters.channels,
        firstSampleIndex: v.parameters.firstSampleIndex ?? 0,
        timestamp: v.parameters.timestamp,
      });
      // The last byte is part of the checksum: dropping or changing it is detected.
      expect(() => decodeEcgFrame(bytes.subarray(0, bytes.length - 1))).toThrow(InvalidEcgFrameError);
    });
  }
});
