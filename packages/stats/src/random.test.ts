import { describe, expect, it } from 'vitest';
import { cryptoRandom, seededRandom, uniform } from './random.js';

describe('random sources', () => {
  it('a seeded source is reproducible and seeds differ', () => {
    const draw = (seed: number) =>
      Array.from(
        { length: 8 },
        (
          (r) => () =>
            r.nextUint32()
        )(seededRandom(seed)),
      );
    expect(draw(5)).toEqual(draw(5));
    expect(draw(5)).not.toEqual(draw(6));
  });

  it('uniform() is in [0, 1) with mean ½ and the CSPRNG yields 32-bit values', () => {
    const random = seededRandom(1);
    let sum = 0;
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = uniform(random);
      if (!(u >= 0 && u < 1)) outside++;
      sum += u;
    }
    expect(outside).toBe(0);
    expect(Math.abs(sum / 100_000 - 0.5)).toBeLessThan(0.005);
    const crypto = cryptoRandom();
    const values = new Set(Array.from({ length: 600 }, () => crypto.nextUint32()));
    expect(values.size).toBeGreaterThan(590);
    for (const v of values) expect(Number.isInteger(v) && v >= 0 && v < 2 ** 32).toBe(true);
  });
});
