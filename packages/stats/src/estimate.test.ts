import { describe, expect, it } from 'vitest';
import { InvalidReportError } from './errors.js';
import { aggregateReports, estimateFromCounts, estimatePrevalence, tallyReports } from './estimate.js';
import { simulatePopulation, simulateReportCounts, truncatedShare } from './internal/simulate.js';
import { mechanismParameters, randomizeConditions } from './mechanism.js';
import { seededRandom } from './random.js';
import { encodeReport } from './report.js';
import { defineSchema } from './schema.js';

const prevalences = [0.3, 0.15, 0.08, 0.04, 0.02, 0.01];
const categories = prevalences.map((_, i) => `C${i}`);

describe('estimator', () => {
  it('is unbiased: the mean of 60 seeded runs is within 4 standard errors of the truth', () => {
    const schema = defineSchema({ categories, epsilon: 1, maxConditions: 6 });
    const parameters = mechanismParameters(schema);
    const runs = 60;
    const n = 20_000;
    const error = new Float64Array(categories.length);
    const variance = new Float64Array(categories.length);
    let covered = 0;
    for (let r = 0; r < runs; r++) {
      const population = simulatePopulation(prevalences, n, seededRandom(1000 + r));
      const counts = simulateReportCounts(parameters, population, seededRandom(5000 + r));
      const { prevalence, standardError } = estimateFromCounts(parameters, counts, n);
      for (let i = 0; i < categories.length; i++) {
        const truth = (population.trueCounts[i] as number) / n;
        const e = (prevalence[i] as number) - truth;
        error[i] = (error[i] as number) + e / runs;
        variance[i] = (variance[i] as number) + (standardError[i] as number) ** 2 / runs;
        if (Math.abs(e) <= 1.96 * (standardError[i] as number)) covered++;
      }
    }
    for (let i = 0; i < categories.length; i++) {
      const seOfMean = Math.sqrt((variance[i] as number) / runs);
      expect(Math.abs(error[i] as number)).toBeLessThan(4 * seOfMean);
    }
    // 95 % intervals: 360 of them, coverage between 90 % and 99 %.
    const coverage = covered / (runs * categories.length);
    expect(coverage).toBeGreaterThan(0.9);
    expect(coverage).toBeLessThan(0.99);
  });

  it('estimates the truncated share when patients hold more than ℓ conditions', () => {
    const dense = [0.6, 0.6, 0.6, 0.6];
    const schema = defineSchema({ categories: ['A', 'B', 'C', 'D'], epsilon: 2, maxConditions: 2 });
    const parameters = mechanismParameters(schema);
    const population = simulatePopulation(dense, 200_000, seededRandom(3));
    const counts = simulateReportCounts(parameters, population, seededRandom(4));
    const { prevalence, standardError } = estimateFromCounts(parameters, counts, population.size);
    const target = truncatedShare(population, 2);
    for (let i = 0; i < 4; i++) {
      expect(Math.abs((prevalence[i] as number) - (target[i] as number))).toBeLessThan(
        4 * (standardError[i] as number),
      );
      // …which is below the true 60 %: the documented cost of a too small ℓ.
      expect(target[i] as number).toBeLessThan(0.5);
    }
  });

  it('tallies real reports and refuses a report of another schema', () => {
    const schema = defineSchema({ categories, epsilon: 1, maxConditions: 3 });
    const other = defineSchema({ categories, epsilon: 2, maxConditions: 3 });
    const random = seededRandom(9);
    const reports = Array.from({ length: 1000 }, () =>
      encodeReport(schema, randomizeConditions(schema, ['C0'], { random })),
    );
    const tally = tallyReports(schema, reports);
    expect(tally.total).toBe(1000);
    expect(tally.none + tally.counts.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(estimatePrevalence(schema, tally).prevalence[0]).toBeGreaterThan(0.5);
    expect(() => tallyReports(schema, [encodeReport(other, 'C0')])).toThrow(InvalidReportError);
  });
});

describe('aggregation and k-suppression', () => {
  const schema = defineSchema({ categories: ['common', 'rare', 'absent'], epsilon: 2, maxConditions: 2 });
  const random = seededRandom(21);
  const reports = (n: number) =>
    Array.from({ length: n }, (_, u) => {
      const conditions = [...(u % 2 === 0 ? ['common'] : []), ...(u % 1000 === 0 ? ['rare'] : [])];
      return encodeReport(schema, randomizeConditions(schema, conditions, { random }));
    });

  it('publishes well-supported categories with intervals and suppresses those resting on fewer than k', () => {
    const result = aggregateReports(schema, reports(20_000), { k: 10 });
    const [common, rare, absent] = result.categories;
    expect(common?.suppressed).toBe(false);
    if (common?.suppressed === false) {
      expect(common.interval[0]).toBeLessThan(0.5);
      expect(common.interval[1]).toBeGreaterThan(0.5);
      expect(common.contributors).toBeGreaterThanOrEqual(10);
      expect(common.patients).toBeCloseTo(20_000 * common.prevalence, 6);
    }
    // 20 patients have "rare": the noise (SE ≈ 150 patients) cannot show that ≥ 10 have it.
    expect(rare).toEqual({ category: 'rare', suppressed: true });
    expect(absent).toEqual({ category: 'absent', suppressed: true });
  });

  it('suppresses everything in a round with fewer than k reports, and k = 0 publishes every category', () => {
    const few = reports(9);
    expect(aggregateReports(schema, few, { k: 10 }).categories.every((c) => c.suppressed)).toBe(true);
    const all = aggregateReports(schema, reports(2000), { k: 0, confidence: 0.5 });
    expect(all.categories.filter((c) => c.suppressed).length).toBeLessThan(3);
  });

  it('refuses a meaningless confidence level or k', () => {
    expect(() => aggregateReports(schema, [], { confidence: 1 })).toThrow(/confidence/);
    expect(() => aggregateReports(schema, [], { k: -1 })).toThrow(/k must/);
  });
});
