import { describe, expect, it } from 'vitest';
import { InvalidEcgParametersError } from './errors.js';
import { createHeartRateAlerts, type HeartRateAlert } from './heartRateAlerts.js';

function run(rates: number[], options: Partial<Parameters<typeof createHeartRateAlerts>[0]> = {}): HeartRateAlert[] {
  const fs = 360;
  const alerts = createHeartRateAlerts({ sampleRate: fs, ...options });
  const out: HeartRateAlert[] = [];
  let t = 0;
  for (const rate of rates) {
    t += Math.round((60 / rate) * fs);
    out.push(...alerts.advance(t));
    out.push(...alerts.beat({ sample: t }));
  }
  return out;
}

describe('heart-rate alerts', () => {
  it('raises and clears bradycardia and tachycardia with hysteresis', () => {
    const out = run([
      ...Array(20).fill(70),
      ...Array(20).fill(40),
      ...Array(20).fill(70),
      ...Array(20).fill(150),
      ...Array(20).fill(70),
    ]);
    expect(out.map((a) => `${a.type}:${a.phase}`)).toEqual([
      'bradycardia:start',
      'bradycardia:end',
      'tachycardia:start',
      'tachycardia:end',
    ]);
    expect(out[0]!.heartRate!).toBeLessThan(50);
    expect(out[2]!.heartRate!).toBeGreaterThan(120);
  });

  it('ignores a single short excursion', () => {
    expect(run([...Array(20).fill(70), 30, 200, ...Array(20).fill(70)])).toEqual([]);
  });

  it('uses configurable limits', () => {
    expect(run(Array(30).fill(55), { bradycardiaBelow: 60 }).map((a) => a.type)).toEqual(['bradycardia']);
    expect(run(Array(30).fill(110), { tachycardiaAbove: 100 }).map((a) => a.type)).toEqual(['tachycardia']);
  });

  it('raises a pause when no beat arrives in time, clears it on the next beat', () => {
    const alerts = createHeartRateAlerts({ sampleRate: 100, pauseAfter: 3 });
    expect(alerts.beat({ sample: 100 })).toEqual([]);
    expect(alerts.advance(350)).toEqual([]);
    const start = alerts.advance(401);
    expect(start).toMatchObject([{ type: 'pause', phase: 'start', sample: 400 }]);
    expect(alerts.active.has('pause')).toBe(true);
    expect(alerts.advance(500)).toEqual([]); // no repeat
    expect(alerts.beat({ sample: 520 })).toMatchObject([{ type: 'pause', phase: 'end', pauseSeconds: 4.2 }]);
  });

  it('rejects impossible limits', () => {
    expect(() => createHeartRateAlerts({ sampleRate: 360, bradycardiaBelow: 130, tachycardiaAbove: 120 })).toThrow(
      InvalidEcgParametersError,
    );
    expect(() => createHeartRateAlerts({ sampleRate: 0 })).toThrow(InvalidEcgParametersError);
    expect(() => createHeartRateAlerts({ sampleRate: 360, pauseAfter: -1 })).toThrow(InvalidEcgParametersError);
    expect(() => createHeartRateAlerts({ sampleRate: 360, sustainBeats: 0 })).toThrow(InvalidEcgParametersError);
  });
});
