import { describe, expect, it } from 'vitest';
import { accuracyLimit } from './accuracyLimit.js';
import { InvalidStatsParametersError } from './errors.js';
import { perReportVariance } from './estimate.js';
import { BENCHMARK_PREVALENCES } from './internal/benchmarkPrevalences.js';
import { erf } from './internal/erf.js';
import { mechanismParameters, reportDistribution } from './mechanism.js';
import { seededRandom, uniform } from './random.js';
import { defineSchema } from './schema.js';

/**
 * Fisher information matrix diagonal of one report about the prevalences, for a channel Q (rows: the 2^d condition
 * vectors as bit masks; columns: outputs) under independent conditions: Iᵢᵢ = Σ_y (∂ᵢ m_y)²/m_y with
 * ∂ᵢ m_y = E[Q(y|X) | Xᵢ = 1] − E[Q(y|X) | Xᵢ = 0].
 */
function fisherDiagonal(channel: number[][], prevalences: number[]): number[] {
  const d = prevalences.length;
  const outputs = (channel[0] as number[]).length;
  const probability = (mask: number) =>
    prevalences.reduce((p, theta, i) => p * (mask & (1 << i) ? theta : 1 - theta), 1);
  const out: number[] = [];
  for (let i = 0; i < d; i++) {
    let info = 0;
    for (let y = 0; y < outputs; y++) {
      let m = 0;
      let with1 = 0;
      let with0 = 0;
      for (let mask = 0; mask < 1 << d; mask++) {
        const q = (channel[mask] as number[])[y] as number;
        const p = probability(mask);
        m += p * q;
        const theta = prevalences[i] as number;
        if (mask & (1 << i)) with1 += (p / theta) * q;
        else with0 += (p / (1 - theta)) * q;
      }
      info += (with1 - with0) ** 2 / m;
    }
    out.push(info);
  }
  return out;
}

/** The ε a channel actually spends: the largest log-ratio of one output's probability between two inputs. */
function spentEpsilon(channel: number[][]): number {
  let worst = 0;
  for (let y = 0; y < (channel[0] as number[]).length; y++) {
    const column = channel.map((row) => row[y] as number);
    worst = Math.max(worst, Math.log(Math.max(...column) / Math.min(...column)));
  }
  return worst;
}

const weighted = (information: number[], prevalences: number[]) =>
  information.reduce((s, x, i) => s + (prevalences[i] as number) * (1 - (prevalences[i] as number)) * x, 0);

const normalCdf = (x: number) => 0.5 * (1 + erf(x / Math.SQRT2));

describe('accuracyLimit: the information bound behind it', () => {
  it('holds for random ε-LDP channels (Σ θ(1 − θ)·Iᵢᵢ ≤ (e^ε − 1)²/(4e^ε), Iᵢᵢ ≤ randomised response)', () => {
    const random = seededRandom(11);
    let closest = 0;
    for (let trial = 0; trial < 400; trial++) {
      const d = 1 + (trial % 3);
      const outputs = 2 + (trial % 5);
      const half = 0.25 + 2 * uniform(random);
      const prevalences = Array.from({ length: d }, () => 0.02 + 0.96 * uniform(random));
      // Columns valued in [1, e^half] (two-valued half of the time: the extreme channels), rows normalised: the
      // channel is at most 2·half-LDP; the bound is checked at the ε it actually spends.
      const raw = Array.from({ length: 1 << d }, () =>
        Array.from({ length: outputs }, () =>
          trial % 2 === 0 ? Math.exp(half * uniform(random)) : uniform(random) < 0.5 ? 1 : Math.exp(half),
        ),
      );
      const channel = raw.map((row) => {
        const total = row.reduce((s, x) => s + x, 0);
        return row.map((x) => x / total);
      });
      const epsilon = spentEpsilon(channel);
      if (epsilon < 1e-9) continue; // identical rows: a report that says nothing
      const information = fisherDiagonal(channel, prevalences);
      const limit = accuracyLimit({ prevalences, epsilon, reports: 1, tolerance: 0.01 });
      const used = weighted(information, prevalences);
      expect(used).toBeLessThanOrEqual(limit.informationBound * (1 + 1e-12));
      for (let i = 0; i < d; i++)
        expect(information[i]).toBeLessThanOrEqual((limit.categoryInformationBound[i] as number) * (1 + 1e-12));
      closest = Math.max(closest, used / limit.informationBound);
    }
    // The random channels come near the bound (it is not slack by orders of magnitude).
    expect(closest).toBeGreaterThan(0.5);
  });

  it('randomised response on one category attains that category’s information bound exactly', () => {
    for (const epsilon of [0.5, 1, 3])
      for (const theta of [0.01, 0.2, 0.5, 0.9]) {
        const p = Math.exp(epsilon) / (1 + Math.exp(epsilon));
        const channel = [
          [1 - p, p],
          [p, 1 - p],
        ];
        const [information] = fisherDiagonal(channel, [theta]);
        const limit = accuracyLimit({ prevalences: [theta], epsilon, reports: 1, tolerance: 0.01 });
        expect(information).toBeCloseTo(limit.categoryInformationBound[0] as number, 12);
        // And stays within the shared budget.
        expect(theta * (1 - theta) * (information as number)).toBeLessThanOrEqual(limit.informationBound);
      }
  });

  it('holds for this package’s set randomised response, exactly computed', () => {
    const categories = ['A', 'B', 'C', 'D'];
    const prevalences = [0.3, 0.15, 0.05, 0.6];
    for (const epsilon of [0.5, 1, 2, 4])
      for (const maxConditions of [1, 2, 4]) {
        const schema = defineSchema({ categories, epsilon, maxConditions });
        const channel = Array.from({ length: 16 }, (_, mask) =>
          Array.from(
            reportDistribution(
              schema,
              categories.filter((_, i) => mask & (1 << i)),
            ),
          ),
        );
        const information = fisherDiagonal(channel, prevalences);
        const limit = accuracyLimit({ prevalences, epsilon, reports: 1, tolerance: 0.01 });
        expect(weighted(information, prevalences)).toBeLessThanOrEqual(limit.informationBound);
        if (maxConditions === 4) {
          // No truncation, so the estimator is unbiased: its variance about the prevalence (the mechanism's part
          // plus the sampling part θ(1 − θ)) respects this channel's Cramér–Rao floor in every category.
          const parameters = mechanismParameters(schema);
          for (let i = 0; i < 4; i++) {
            const theta = prevalences[i] as number;
            expect(perReportVariance(parameters, theta) + theta * (1 - theta)).toBeGreaterThanOrEqual(
              1 / (information[i] as number) - 1e-9,
            );
          }
        }
      }
  });
});

describe('accuracyLimit: the probability bound', () => {
  const prevalences = BENCHMARK_PREVALENCES;
  const ours = (epsilon: number, n: number, reference: 'prevalence' | 'population') => {
    const parameters = mechanismParameters(
      defineSchema({ categories: Array.from(prevalences, (_, i) => `c${i}`), epsilon, maxConditions: 20 }),
    );
    let p = 1;
    for (const theta of prevalences) {
      const variance = perReportVariance(parameters, theta) + (reference === 'prevalence' ? theta * (1 - theta) : 0);
      p *= 2 * normalCdf(0.02 / Math.sqrt(variance / n)) - 1;
    }
    return p;
  };

  it('is never below what this package’s mechanism reaches', () => {
    for (const reference of ['prevalence', 'population'] as const)
      for (const epsilon of [0.5, 1, 2, 4])
        for (const n of [10_000, 100_000, 1_000_000]) {
          const limit = accuracyLimit({ prevalences, epsilon, reports: n, tolerance: 0.02, reference });
          expect(limit.allWithinProbability).toBeGreaterThanOrEqual(ours(epsilon, n, reference));
        }
  });

  it('puts the ±2 pp target at n = 100,000, ε = 1 out of reach of every ε-LDP mechanism', () => {
    const limit = accuracyLimit({ prevalences, epsilon: 1, reports: 100_000, tolerance: 0.02 });
    expect(limit.allWithinProbability).toBeLessThan(0.95);
    expect(limit.allWithinProbability).toBeGreaterThan(ours(1, 100_000, 'prevalence'));
    // At ε = 2 it is within reach (and this package's mechanism reaches it).
    expect(accuracyLimit({ prevalences, epsilon: 2, reports: 100_000, tolerance: 0.02 }).allWithinProbability).toBe(1);
  });

  it('is tight: a feasible information allocation comes within 0.5 pp of it', () => {
    // Primal side, solved independently: for a multiplier λ give each category the information K maximising
    // log P(|N(0, 1/(nK))| ≤ 2 pp) − λ·θ(1 − θ)·K (at most its cap), and search λ until the budget is spent.
    const n = 100_000;
    const limit = accuracyLimit({ prevalences, epsilon: 1, reports: n, tolerance: 0.02 });
    const w = Array.from(prevalences, (t) => t * (1 - t));
    const logP = (k: number) => Math.log(2 * normalCdf(0.02 * Math.sqrt(n * k)) - 1);
    const allocate = (lambda: number) =>
      w.map((wi, i) => {
        const cap = limit.categoryInformationBound[i] as number;
        let best = 0;
        let bestValue = Number.NEGATIVE_INFINITY;
        for (let step = 1; step <= 2000; step++) {
          const k = (cap * step) / 2000;
          const value = logP(k) - lambda * wi * k;
          if (value > bestValue) {
            bestValue = value;
            best = k;
          }
        }
        return best;
      });
    let low = 0;
    let high = 1000;
    for (let step = 0; step < 60; step++) {
      const mid = (low + high) / 2;
      const used = allocate(mid).reduce((s, k, i) => s + (w[i] as number) * k, 0);
      if (used > limit.informationBound) low = mid;
      else high = mid;
    }
    const allocation = allocate(high);
    expect(allocation.reduce((s, k, i) => s + (w[i] as number) * k, 0)).toBeLessThanOrEqual(limit.informationBound);
    const reached = Math.exp(allocation.reduce((s, k) => s + logP(k), 0));
    expect(reached).toBeLessThanOrEqual(limit.allWithinProbability);
    expect(limit.allWithinProbability - reached).toBeLessThan(0.005);
  });

  it('rests on a true inequality: a normal error is inside the box at most as often as Π P(|N(0, 1/Pᵢᵢ)| ≤ t)', () => {
    // Monte Carlo over random correlated 3-dimensional normal errors (precision P = AᵀA), fixed seed; every other
    // trial nearly independent, where the bound is nearly an equality.
    const random = seededRandom(5);
    const gaussian = () => Math.sqrt(-2 * Math.log(1 - uniform(random))) * Math.cos(2 * Math.PI * uniform(random));
    for (let trial = 0; trial < 8; trial++) {
      const a = Array.from({ length: 9 }, (_, i) =>
        trial % 2 === 1 ? gaussian() : i % 4 === 0 ? 1.5 + Math.abs(gaussian()) : 0.3 * gaussian(),
      );
      // Covariance Σ = (AᵀA)⁻¹: sample e = A⁻¹z.
      const m = (r: number, c: number) => a[r * 3 + c] as number;
      const det =
        m(0, 0) * (m(1, 1) * m(2, 2) - m(1, 2) * m(2, 1)) -
        m(0, 1) * (m(1, 0) * m(2, 2) - m(1, 2) * m(2, 0)) +
        m(0, 2) * (m(1, 0) * m(2, 1) - m(1, 1) * m(2, 0));
      if (Math.abs(det) < 0.2) continue;
      const inv = [
        (m(1, 1) * m(2, 2) - m(1, 2) * m(2, 1)) / det,
        (m(0, 2) * m(2, 1) - m(0, 1) * m(2, 2)) / det,
        (m(0, 1) * m(1, 2) - m(0, 2) * m(1, 1)) / det,
        (m(1, 2) * m(2, 0) - m(1, 0) * m(2, 2)) / det,
        (m(0, 0) * m(2, 2) - m(0, 2) * m(2, 0)) / det,
        (m(0, 2) * m(1, 0) - m(0, 0) * m(1, 2)) / det,
        (m(1, 0) * m(2, 1) - m(1, 1) * m(2, 0)) / det,
        (m(0, 1) * m(2, 0) - m(0, 0) * m(2, 1)) / det,
        (m(0, 0) * m(1, 1) - m(0, 1) * m(1, 0)) / det,
      ];
      const t = 0.8;
      let inside = 0;
      const draws = 60_000;
      for (let k = 0; k < draws; k++) {
        const z = [gaussian(), gaussian(), gaussian()];
        let ok = true;
        for (let r = 0; r < 3 && ok; r++) {
          const e =
            (inv[r * 3] as number) * z[0]! + (inv[r * 3 + 1] as number) * z[1]! + (inv[r * 3 + 2] as number) * z[2]!;
          if (Math.abs(e) > t) ok = false;
        }
        if (ok) inside++;
      }
      let bound = 1;
      for (let c = 0; c < 3; c++) {
        const precision = m(0, c) ** 2 + m(1, c) ** 2 + m(2, c) ** 2; // (AᵀA)cc
        bound *= 2 * normalCdf(t * Math.sqrt(precision)) - 1;
      }
      // Within Monte Carlo noise (4 standard errors) of never exceeding the bound.
      const p = inside / draws;
      expect(p).toBeLessThanOrEqual(bound + 4 * Math.sqrt((bound * (1 - bound)) / draws) + 1e-9);
    }
  });

  it('grows with n, ε and the tolerance; the population reference is never harder', () => {
    const base = { prevalences, epsilon: 1, reports: 50_000, tolerance: 0.02 };
    const p = accuracyLimit(base).allWithinProbability;
    expect(accuracyLimit({ ...base, reports: 100_000 }).allWithinProbability).toBeGreaterThan(p);
    expect(accuracyLimit({ ...base, epsilon: 1.2 }).allWithinProbability).toBeGreaterThan(p);
    expect(accuracyLimit({ ...base, tolerance: 0.025 }).allWithinProbability).toBeGreaterThan(p);
    expect(accuracyLimit({ ...base, reference: 'population' }).allWithinProbability).toBeGreaterThanOrEqual(p);
  });

  it('gives a standard-error floor every category cannot beat at once', () => {
    const limit = accuracyLimit({ prevalences, epsilon: 1, reports: 100_000, tolerance: 0.02 });
    // Giving every category information 1/(n·floor²) uses exactly the shared budget (or a category's own cap).
    const w = Array.from(prevalences, (t) => t * (1 - t));
    const need = 1 / (100_000 * limit.standardErrorFloor ** 2);
    const used = w.reduce((s, x) => s + x * need, 0);
    expect(used).toBeCloseTo(limit.informationBound, 9);
    // This package's mechanism is above the floor in its worst category.
    const parameters = mechanismParameters(
      defineSchema({ categories: Array.from(prevalences, (_, i) => `c${i}`), epsilon: 1, maxConditions: 5 }),
    );
    const worst = Math.max(
      ...Array.from(prevalences, (t) => Math.sqrt((perReportVariance(parameters, t) + t * (1 - t)) / 100_000)),
    );
    expect(worst).toBeGreaterThan(limit.standardErrorFloor);
  });

  it('refuses impossible parameters with a typed error', () => {
    const ok = { prevalences: [0.1], epsilon: 1, reports: 10, tolerance: 0.02 };
    for (const bad of [
      { ...ok, prevalences: [] },
      { ...ok, prevalences: [0] },
      { ...ok, prevalences: [1] },
      { ...ok, prevalences: [Number.NaN] },
      { ...ok, epsilon: 0 },
      { ...ok, epsilon: Number.POSITIVE_INFINITY },
      { ...ok, reports: 0 },
      { ...ok, reports: 1.5 },
      { ...ok, tolerance: 0 },
      { ...ok, reference: 'sample' as never },
    ])
      expect(() => accuracyLimit(bad)).toThrow(InvalidStatsParametersError);
  });
});
