import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadAnnotations, loadRecord } from '../test/data.js';
import { EcgParameterError } from './errors.js';
import { createQrsDetector, detectQrs, type QrsBeat } from './qrsDetector.js';
import { scoreBeats } from './scoreBeats.js';
import { flutterEpisodes, isBeatSymbol } from './wfdbAnnotations.js';

/** A synthetic ECG: Gaussian QRS spikes at the given beat times on a wandering baseline with noise. */
function synthetic(beats: number[], sampleRate: number, seconds: number): Float64Array {
  const x = new Float64Array(sampleRate * seconds);
  let s = 7;
  for (let t = 0; t < x.length; t++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    x[t] = 300 * Math.sin((2 * Math.PI * 0.2 * t) / sampleRate) + (s / 2 ** 32 - 0.5) * 10;
  }
  const width = 0.012 * sampleRate;
  for (const b of beats) {
    const c = b * sampleRate;
    for (let t = Math.max(0, Math.floor(c - 5 * width)); t < Math.min(x.length, c + 5 * width); t++) {
      x[t]! +=
        1000 * Math.exp(-(((t - c) / width) ** 2) / 2) -
        150 * Math.exp(-(((t - c - 3 * width) / (2 * width)) ** 2) / 2);
    }
  }
  return x;
}

describe('QRS detector', () => {
  it('finds synthetic beats at 250, 360, 500 and 1000 Hz with correct RR and heart rate', () => {
    const beats = Array.from({ length: 40 }, (_, i) => 0.5 + i * 0.75);
    for (const sampleRate of [250, 360, 500, 1000]) {
      const found = detectQrs(synthetic(beats, sampleRate, 31), { sampleRate });
      const score = scoreBeats({
        reference: beats.map((b) => Math.round(b * sampleRate)),
        detected: found.map((b) => b.sample),
        sampleRate,
      });
      expect(score.falseNegatives + score.falsePositives, String(sampleRate)).toBe(0);
      for (const beat of found.slice(1)) {
        expect(beat.rr).toBeCloseTo(0.75, 1);
        expect(beat.heartRate!).toBeGreaterThan(76);
        expect(beat.heartRate!).toBeLessThan(84);
      }
      // Located within 20 ms of the true peak.
      for (const beat of found) expect(Math.min(...beats.map((b) => Math.abs(b - beat.time)))).toBeLessThan(0.02);
    }
  });

  it('detects in chunks exactly as at once (property)', async () => {
    const record = await loadRecord('mitdb/119');
    const x = record.samples.subarray(0, 360 * 2 * 60);
    const whole = detectQrs(x, { sampleRate: 360, channels: 2, leads: [0, 1] });
    expect(whole.length).toBeGreaterThan(60);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 8 }), (sizes) => {
        const detector = createQrsDetector({ sampleRate: 360, channels: 2, leads: [0, 1] });
        const beats: QrsBeat[] = [];
        for (let pos = 0, i = 0; pos < x.length; i++) {
          const size = sizes[i % sizes.length]!;
          beats.push(...detector.push(x.subarray(pos, pos + size)));
          pos += size;
        }
        expect(beats.map((b) => b.sample)).toEqual(whole.map((b) => b.sample));
        expect(detector.position).toBe(x.length / 2);
      }),
      { numRuns: 5 },
    );
  });

  it('emits primary detections within the stated latency once learning is over', async () => {
    const record = await loadRecord('mitdb/208');
    const detector = createQrsDetector({ sampleRate: 360, channels: 2, leads: [0, 1] });
    const beats = detector.push(record.samples.subarray(0, 360 * 2 * 300));
    const late = beats.filter(
      (b) => !b.searchBack && b.sample > 720 && b.emittedAt - b.sample > detector.latency * 360,
    );
    expect(late).toEqual([]);
    expect(detector.latency).toBeLessThan(0.5);
  });

  for (const name of ['101', '119', '208']) {
    it(`scores Se and +P ≥ 99.5 % on MIT-BIH record ${name}`, async () => {
      const record = await loadRecord(`mitdb/${name}`);
      const annotations = await loadAnnotations(`mitdb/${name}`);
      const reference = annotations.filter((a) => isBeatSymbol(a.symbol)).map((a) => a.sample);
      const beats = detectQrs(record.samples, { sampleRate: 360, channels: 2, leads: [0, 1] });
      const score = scoreBeats({
        reference,
        detected: beats.map((b) => b.sample),
        sampleRate: 360,
        exclude: flutterEpisodes(annotations),
      });
      expect(score.sensitivity).toBeGreaterThanOrEqual(0.995);
      expect(score.positivePredictivity).toBeGreaterThanOrEqual(0.995);
    });
  }

  it('finds no beats in a flat line or pure noise-free baseline', () => {
    expect(detectQrs(new Float64Array(3600).fill(1024), { sampleRate: 360 })).toEqual([]);
  });

  it('rejects invalid parameters', () => {
    expect(() => createQrsDetector({ sampleRate: 50 })).toThrow(EcgParameterError);
    expect(() => createQrsDetector({ sampleRate: 360, channels: 2, leads: [2] })).toThrow(EcgParameterError);
    expect(() => createQrsDetector({ sampleRate: 360, channels: 0 })).toThrow(EcgParameterError);
    expect(() => createQrsDetector({ sampleRate: 360, leads: [] })).toThrow(EcgParameterError);
  });
});
