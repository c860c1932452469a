import { InvalidStatsParametersError } from './errors.js';
import { erf } from './internal/erf.js';

/**
 * What estimates are compared with: `'prevalence'`, the probability that a patient has the condition (the figure a
 * health office publishes), or `'population'`, the share of the n reporting patients who have it (the survey's own
 * sampling error θ(1 − θ)/n removed).
 */
export type AccuracyReference = 'prevalence' | 'population';

/** Parameters of {@link accuracyLimit}. */
export interface AccuracyLimitParameters {
  /** The prevalence θᵢ of each category, each in (0, 1). Conditions are taken as independent of each other. */
  readonly prevalences: ArrayLike<number>;
  /** ε of one report (the whole report, all categories together). */
  readonly epsilon: number;
  /** n: the number of reports, one per patient. */
  readonly reports: number;
  /** The accuracy goal: every estimate within ±tolerance, as a share (0.02 for 2 percentage points). */
  readonly tolerance: number;
  /** What the estimates are compared with; default `'prevalence'`. */
  readonly reference?: AccuracyReference;
}

/** What no ε-LDP mechanism can beat; see {@link accuracyLimit}. */
export interface AccuracyLimit {
  /**
   * κ = (e^ε − 1)²/(4e^ε): the most Σᵢ θᵢ(1 − θᵢ)·Iᵢᵢ one ε-LDP report can carry, I the Fisher information of
   * the report about the prevalences. The budget all categories share.
   */
  readonly informationBound: number;
  /**
   * Per category, the most Fisher information one ε-LDP report can carry about that category alone:
   * (e^ε − 1)²/(e^ε + (e^ε − 1)²·θᵢ(1 − θᵢ)), what randomised response on that one answer gives.
   */
  readonly categoryInformationBound: Float64Array;
  /**
   * No ε-LDP mechanism with unbiased estimates gives every category a standard error below this (a share; about
   * the prevalence, or about the population share with reference `'population'`).
   */
  readonly standardErrorFloor: number;
  /**
   * An upper bound on the probability that every estimate is within ±tolerance, for any ε-LDP mechanism whose
   * estimates are unbiased and normally distributed (as any sum of n independent per-report contributions is, to
   * a close approximation, at the n a round has). With reference `'prevalence'` it holds whatever the correlation
   * between categories' errors; with `'population'` it assumes errors independent across categories.
   */
  readonly allWithinProbability: number;
}

const GRID = 4096;
// Abramowitz–Stegun 7.1.26 approximates erf within 1.5e-7; adding this keeps every factor an upper bound.
const ERF_SLACK = 2e-7;

/** log P(|N(0, variance)| ≤ tolerance), rounded up. */
function logWithin(tolerance: number, variance: number): number {
  if (variance <= 0) return 0;
  return Math.log(Math.min(1, erf(tolerance / Math.sqrt(2 * variance)) + ERF_SLACK));
}

function check(parameters: AccuracyLimitParameters): void {
  const { prevalences, epsilon, reports, tolerance, reference = 'prevalence' } = parameters;
  if (prevalences.length === 0) throw new InvalidStatsParametersError('At least one prevalence is needed.');
  for (let i = 0; i < prevalences.length; i++) {
    const theta = prevalences[i] as number;
    if (!(theta > 0 && theta < 1))
      throw new InvalidStatsParametersError('Every prevalence must lie strictly between 0 and 1.', {
        details: `index ${i}: ${theta}`,
      });
  }
  if (!(epsilon > 0 && Number.isFinite(epsilon)))
    throw new InvalidStatsParametersError('ε must be a positive finite number.', { details: String(epsilon) });
  if (!(Number.isSafeInteger(reports) && reports >= 1))
    throw new InvalidStatsParametersError('The number of reports must be a positive integer.', {
      details: String(reports),
    });
  if (!(tolerance > 0 && Number.isFinite(tolerance)))
    throw new InvalidStatsParametersError('The tolerance must be a positive finite share.', {
      details: String(tolerance),
    });
  if (reference !== 'prevalence' && reference !== 'population')
    throw new InvalidStatsParametersError("The reference must be 'prevalence' or 'population'.", {
      details: String(reference),
    });
}

/**
 * The best accuracy any ε-local-differential-privacy mechanism can reach for these prevalences, whatever it is:
 * before opening a round, a statistics office can check whether its accuracy goal is within reach at all.
 *
 * The bound, proven in `docs/statistics.md`, assumes conditions independent of each other and unbiased estimates
 * with normal errors. For one report Y of any ε-LDP randomiser of the patient's conditions X (prevalences θᵢ), Σᵢ θᵢ(1 − θᵢ)·Iᵢᵢ ≤ (e^ε − 1)²/(4e^ε), where I is the Fisher information of
 * Y about θ; and Iᵢᵢ alone is at most randomised response's. By the Cramér–Rao inequality, n reports give unbiased
 * estimates whose error has a precision matrix at most n·I; a normal error with precision P is within a box with
 * probability at most Πᵢ P(|N(0, 1/Pᵢᵢ)| ≤ tolerance), so correlated errors gain nothing. The bound maximises that
 * product over all information allocations the two limits allow, solved through its Lagrange dual on a grid that
 * rounds every step up (the figure returned is never below the true maximum).
 *
 * @example
 * ```ts
 * import { accuracyLimit } from '@mhrchain/stats';
 *
 * const limit = accuracyLimit({ prevalences: [0.3, 0.1, 0.02], epsilon: 1, reports: 10_000, tolerance: 0.02 });
 * if (limit.allWithinProbability < 0.95) console.log('no ε-LDP design reaches ±2 pp in 95 % of rounds');
 * ```
 */
export function accuracyLimit(parameters: AccuracyLimitParameters): AccuracyLimit {
  check(parameters);
  const { prevalences, epsilon, reports: n, tolerance, reference = 'prevalence' } = parameters;
  const d = prevalences.length;
  const a = Math.expm1(epsilon);
  const e = Math.exp(epsilon);
  const kappa = (a * a) / (4 * e);
  const weight = Float64Array.from(
    { length: d },
    (_, i) => (prevalences[i] as number) * (1 - (prevalences[i] as number)),
  );
  const cap = weight.map((w) => (a * a) / (e + a * a * w));
  const population = reference === 'population';
  // Variance of category i's estimate when a report carries information K about it.
  const variance = (i: number, information: number) =>
    (population ? 1 / information - (weight[i] as number) : 1 / information) / n;

  // Smallest common standard error: every category needs information ≥ its share of the budget.
  const needs = (se: number) => {
    let used = 0;
    for (let i = 0; i < d; i++) {
      const w = weight[i] as number;
      const k = population ? 1 / (n * se * se + w) : 1 / (n * se * se);
      if (k > (cap[i] as number)) return false;
      used += w * k;
    }
    return used <= kappa;
  };
  let lo = 0;
  let hi = 1;
  while (!needs(hi)) hi *= 2;
  for (let step = 0; step < 200; step++) {
    const mid = (lo + hi) / 2;
    if (needs(mid)) hi = mid;
    else lo = mid;
  }

  // max Σᵢ log P(|errorᵢ| ≤ tolerance) s.t. Σ wᵢKᵢ ≤ κ, 0 ≤ Kᵢ ≤ capᵢ. For every λ ≥ 0 the dual
  // λκ + Σᵢ maxₖ [log P at the cell's right end − λ·wᵢ·(cell's left end)] is at least the maximum.
  const logWithinAt = Array.from({ length: d }, (_, i) => {
    const values = new Float64Array(GRID + 1);
    for (let k = 1; k <= GRID; k++) values[k] = logWithin(tolerance, variance(i, ((cap[i] as number) * k) / GRID));
    return values;
  });
  const dual = (lambda: number) => {
    let total = lambda * kappa;
    for (let i = 0; i < d; i++) {
      const values = logWithinAt[i] as Float64Array;
      const step = ((cap[i] as number) * (weight[i] as number) * lambda) / GRID;
      let best = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < GRID; k++) best = Math.max(best, (values[k + 1] as number) - step * k);
      total += best;
    }
    return total;
  };
  let left = 0;
  let right = 1;
  while (dual(right * 2) < dual(right)) right *= 2;
  right *= 2;
  for (let step = 0; step < 120; step++) {
    const m1 = left + (right - left) / 3;
    const m2 = right - (right - left) / 3;
    if (dual(m1) <= dual(m2)) right = m2;
    else left = m1;
  }
  const bound = Math.min(dual(0), dual(left), dual(right));

  return {
    informationBound: kappa,
    categoryInformationBound: cap,
    // Every value up to `lo` is infeasible: the floor reported is proven, not rounded up.
    standardErrorFloor: lo,
    allWithinProbability: Math.min(1, Math.exp(bound)),
  };
}
