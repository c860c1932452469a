// Writes the golden frames of ECG frame version 3 (test/vectors/ecg-frames-v3.json): the cases of the version-2
// file (same parameters and samples) and a few that reach the rest of version 3's format, each encoded by this
// package. Run: pnpm --filter @mhrchain/ecg exec tsx scripts/make-frame-vectors.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { type EncodeEcgFrameParameters, encodeEcgFrame } from '../src/frame.js';

interface Vector {
  description: string;
  parameters: EncodeEcgFrameParameters;
  samples: number[];
  frame: string;
}

const dir = new URL('../test/vectors/', import.meta.url);
const v2 = JSON.parse(readFileSync(new URL('ecg-frames.json', dir), 'utf8')) as { vectors: Vector[] };

/** A deterministic generator (32-bit LCG): integers in [-span, span]. */
function lcg(seed: number): (span: number) => number {
  let s = seed >>> 0;
  return (span) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s % (2 * span + 1)) - span;
  };
}

const extra: Omit<Vector, 'frame'>[] = [];
{
  // 12 leads: 12 × (2 + 16) header bits, most of them coded as raw groups before the final state.
  const noise = lcg(12);
  const samples: number[] = [];
  for (let t = 0; t < 50; t++) {
    for (let c = 0; c < 12; c++) samples.push(Math.round(3000 * Math.sin(t / 7 + c)) + noise(20));
  }
  extra.push({
    description: 'twelve leads, 16-bit, 1000 Hz, 50 samples (header bits beyond the final state)',
    parameters: { sampleRate: 1000, channels: 12, bitDepth: 16, firstSampleIndex: 1000 },
    samples,
  });
}
{
  // Residuals near 2^22: more than 15 raw low bits per value, and escapes.
  const noise = lcg(24);
  const samples: number[] = [];
  for (let t = 0; t < 64; t++) samples.push(noise(t < 40 ? 1 << 22 : 3));
  extra.push({
    description: 'one channel, 24-bit, white noise then near silence (long raw groups, escapes)',
    parameters: { sampleRate: 64, channels: 1, bitDepth: 24 },
    samples,
  });
}

const vectors: Vector[] = [...v2.vectors.map(({ frame: _, ...v }) => v), ...extra].map((v) => ({
  ...v,
  frame: Buffer.from(encodeEcgFrame(Int32Array.from(v.samples), { ...v.parameters, version: 3 })).toString('hex'),
}));
writeFileSync(
  new URL('ecg-frames-v3.json', dir),
  `${JSON.stringify({ format: 'MHR ECG frame v3 (docs/spec/ecg-codec.md)', generator: 'scripts/make-frame-vectors.ts', vectors }, null, 2)}\n`,
);
console.log(`wrote ${vectors.length} version-3 vectors`);
