import { describe, expect, it } from 'vitest';
import { InvalidConditionError } from './errors.js';
import { mechanismParameters, randomizeConditions, randomizeIndices, reportDistribution } from './mechanism.js';
import { seededRandom } from './random.js';
import { defineSchema } from './schema.js';

const categories = ['A', 'B', 'C', 'D', 'E'];

function allSubsets(items: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let mask = 0; mask < 1 << items.length; mask++) out.push(items.filter((_, i) => mask & (1 << i)));
  return out;
}

describe('set randomised response', () => {
  for (const epsilon of [0.5, 1, 2, 4]) {
    it(`every output is at most e^ε more likely for one condition set than another (ε = ${epsilon}, exact)`, () => {
      const schema = defineSchema({ categories, epsilon, maxConditions: 2 });
      const distributions = allSubsets(categories).map((s) => reportDistribution(schema, s));
      let worst = 0;
      for (const P of distributions) {
        expect(P.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
        for (const Q of distributions)
          for (let y = 0; y < P.length; y++) worst = Math.max(worst, (P[y] as number) / (Q[y] as number));
      }
      // The bound holds, and it is attained: the randomiser spends exactly ε, not less (no wasted noise).
      expect(worst).toBeLessThanOrEqual(Math.exp(epsilon) * (1 + 1e-12));
      expect(worst).toBeGreaterThan(Math.exp(epsilon) * (1 - 1e-12));
    });
  }

  it('the sampler draws from the exact distribution (chi-square, fixed seed), including more than ℓ conditions', () => {
    const schema = defineSchema({ categories, epsilon: 1, maxConditions: 2 });
    const parameters = mechanismParameters(schema);
    const random = seededRandom(7);
    const draws = 200_000;
    for (const conditions of [[], ['A'], ['B', 'E'], ['A', 'C', 'D', 'E']]) {
      const expected = reportDistribution(schema, conditions);
      const observed = new Float64Array(categories.length + 1);
      const indices = conditions.map((c) => categories.indexOf(c));
      const scratch = new Int32Array(categories.length);
      for (let t = 0; t < draws; t++) {
        scratch.set(indices);
        const y = randomizeIndices(parameters, scratch, indices.length, random) + 1;
        observed[y] = (observed[y] as number) + 1;
      }
      let chi2 = 0;
      for (let y = 0; y < observed.length; y++) {
        const e = (expected[y] as number) * draws;
        chi2 += ((observed[y] as number) - e) ** 2 / e;
      }
      // 5 degrees of freedom: P(χ² > 20.5) = 0.001.
      expect(chi2).toBeLessThan(20.5);
    }
  });

  it('the empirical likelihood ratio of any output between two patients stays within e^ε (fixed seed)', () => {
    const epsilon = 1;
    const schema = defineSchema({ categories, epsilon, maxConditions: 2 });
    const parameters = mechanismParameters(schema);
    const random = seededRandom(11);
    const draws = 300_000;
    const frequencies = (conditions: string[]) => {
      const out = new Float64Array(categories.length + 1);
      const indices = conditions.map((c) => categories.indexOf(c));
      const scratch = new Int32Array(categories.length);
      for (let t = 0; t < draws; t++) {
        scratch.set(indices);
        const y = randomizeIndices(parameters, scratch, indices.length, random) + 1;
        out[y] = (out[y] as number) + 1;
      }
      return out.map((c) => c / draws);
    };
    const healthy = frequencies([]);
    const sick = frequencies(['A', 'B']);
    let worst = 0;
    for (let y = 0; y < healthy.length; y++) {
      const a = healthy[y] as number;
      const b = sick[y] as number;
      worst = Math.max(worst, a / b, b / a);
    }
    // Sampling error of a ratio of two frequencies ≥ 1/(ℓe^ε + d) ≈ 0.1 with 300,000 draws each: under 2 %.
    expect(worst).toBeLessThan(Math.exp(epsilon) * 1.02);
    expect(worst).toBeGreaterThan(Math.exp(epsilon) * 0.98);
  });

  it('refuses a condition outside the schema', () => {
    const schema = defineSchema({ categories, epsilon: 1, maxConditions: 2 });
    expect(() => randomizeConditions(schema, ['Z'])).toThrow(InvalidConditionError);
  });

  it('returns a schema category or null, with the platform CSPRNG by default', () => {
    const schema = defineSchema({ categories, epsilon: 1, maxConditions: 2 });
    for (let i = 0; i < 100; i++) {
      const out = randomizeConditions(schema, ['A', 'A', 'C']);
      expect(out === null || categories.includes(out)).toBe(true);
    }
  });
});
