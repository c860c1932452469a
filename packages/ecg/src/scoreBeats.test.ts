import { describe, expect, it } from 'vitest';
import { InvalidEcgParametersError } from './errors.js';
import { grossScore, scoreBeats } from './scoreBeats.js';
import { flutterEpisodes, parseWfdbAnnotations } from './wfdbAnnotations.js';

describe('scoreBeats (EC57-style)', () => {
  it('matches within ±150 ms only', () => {
    const s = scoreBeats({ reference: [1000], detected: [1054], sampleRate: 360 });
    expect(s.truePositives).toBe(1);
    const miss = scoreBeats({ reference: [1000], detected: [1055], sampleRate: 360 });
    expect(miss).toMatchObject({ truePositives: 0, falseNegatives: 1, falsePositives: 1 });
  });

  it('pairs each reference with at most one detection, the closest', () => {
    const s = scoreBeats({ reference: [1000, 1100], detected: [990, 1000, 1095], sampleRate: 360 });
    expect(s).toMatchObject({ truePositives: 2, falseNegatives: 0, falsePositives: 1 });
    const t = scoreBeats({ reference: [1000, 1060], detected: [1050], sampleRate: 360 });
    expect(t).toMatchObject({ truePositives: 1, falseNegatives: 1, falsePositives: 0 });
  });

  it('computes Se and +P, honours start, end and excluded episodes', () => {
    const s = scoreBeats({ reference: [100, 400, 700, 1000], detected: [100, 410, 900, 1000], sampleRate: 360 });
    expect(s.sensitivity).toBeCloseTo(0.75);
    expect(s.positivePredictivity).toBeCloseTo(0.75);
    expect(scoreBeats({ reference: [100, 400], detected: [400], sampleRate: 360, start: 200 }).sensitivity).toBe(1);
    expect(scoreBeats({ reference: [100, 400], detected: [100], sampleRate: 360, end: 200 }).sensitivity).toBe(1);
    const excluded = scoreBeats({
      reference: [100, 400],
      detected: [100, 250, 260, 400],
      sampleRate: 360,
      exclude: [[200, 300]],
    });
    expect(excluded.falsePositives).toBe(0);
  });

  it('sums counts for gross statistics', () => {
    const a = scoreBeats({ reference: [100, 200], detected: [100, 200], sampleRate: 100 });
    const b = scoreBeats({ reference: [100, 300], detected: [100, 500], sampleRate: 100 });
    const g = grossScore([a, b]);
    expect(g).toMatchObject({ truePositives: 3, falseNegatives: 1, falsePositives: 1 });
    expect(g.sensitivity).toBeCloseTo(0.75);
  });

  it('rejects unsorted input', () => {
    expect(() => scoreBeats({ reference: [2, 1], detected: [], sampleRate: 360 })).toThrow(InvalidEcgParametersError);
  });

  it('extracts flutter episodes from [ and ] annotations', () => {
    const word = (code: number, value: number) => [value & 0xff, (code << 2) | (value >> 8)];
    const bytes = new Uint8Array([
      ...word(1, 10),
      ...word(32, 10),
      ...word(31, 5),
      ...word(33, 20),
      ...word(1, 5),
      ...word(32, 5),
      0,
      0,
    ]);
    expect(flutterEpisodes(parseWfdbAnnotations(bytes))).toEqual([
      [20, 46],
      [55, Number.POSITIVE_INFINITY],
    ]);
  });
});
