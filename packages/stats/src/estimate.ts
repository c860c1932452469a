import { InvalidReportError, InvalidStatsParametersError } from './errors.js';
import { normalQuantile } from './internal/normalQuantile.js';
import { type MechanismParameters, mechanismParameters } from './mechanism.js';
import { decodeReportIndex } from './report.js';
import type { StatsSchema } from './schema.js';

/** How many reports named each category. */
export interface ReportTally {
  /** counts[i]: reports naming category i. */
  readonly counts: Uint32Array;
  /** Reports naming no category. */
  readonly none: number;
  /** All valid reports counted (n). */
  readonly total: number;
  /** Malformed reports or reports of another schema that were skipped (only with `invalid: 'skip'`). */
  readonly rejected: number;
}

/** Options of {@link tallyReports}. */
export interface TallyOptions {
  /**
   * What to do with a malformed report or one made for another schema: `'throw'` {@link InvalidReportError}
   * (default), or `'skip'` it and count it in {@link ReportTally.rejected} (for public ledgers, where anyone can
   * post arbitrary bytes).
   */
  invalid?: 'throw' | 'skip';
}

/**
 * Counts decoded reports per category. Every report is checked ({@link InvalidReportError} on a malformed one or
 * one made for another schema).
 *
 * @example
 * ```ts
 * import { defineSchema, encodeReport, tallyReports } from '@mhrchain/stats';
 *
 * const schema = defineSchema({ categories: ['I10', 'E11'], epsilon: 1, maxConditions: 2 });
 * tallyReports(schema, [encodeReport(schema, 'I10'), encodeReport(schema, null)]).counts; // [1, 0]
 * ```
 */
export function tallyReports(
  schema: StatsSchema,
  reports: Iterable<Uint8Array>,
  options: TallyOptions = {},
): ReportTally {
  const counts = new Uint32Array(schema.categories.length);
  const skip = options.invalid === 'skip';
  let none = 0;
  let total = 0;
  let rejected = 0;
  for (const report of reports) {
    let index: number;
    try {
      index = decodeReportIndex(schema, report);
    } catch (error) {
      if (!skip || !(error instanceof InvalidReportError)) throw error;
      rejected++;
      continue;
    }
    if (index < 0) none++;
    else counts[index] = (counts[index] as number) + 1;
    total++;
  }
  return { counts, none, total, rejected };
}

/** Unbiased prevalence estimates and their standard errors, unsuppressed. */
export interface PrevalenceEstimates {
  /** f̂ᵢ = (cᵢ/n − q)/(p − q): unbiased, so it can fall outside [0, 1]. */
  readonly prevalence: Float64Array;
  /** The estimated standard error of each f̂ᵢ. */
  readonly standardError: Float64Array;
  /** n. */
  readonly total: number;
}

/**
 * The variance of one report's contribution to f̂ᵢ at true prevalence f: (q(1 − q) + f(p − q)(1 − p − q))/(p − q)².
 * Divide by n for the variance of f̂ᵢ.
 *
 * @internal
 */
export function perReportVariance(parameters: MechanismParameters, prevalence: number): number {
  const { p, q } = parameters;
  return (q * (1 - q) + prevalence * (p - q) * (1 - p - q)) / ((p - q) * (p - q));
}

/**
 * Unbiased estimates from raw counts (allocation-light; what {@link estimatePrevalence} and simulations use).
 *
 * @internal
 */
export function estimateFromCounts(
  parameters: MechanismParameters,
  counts: ArrayLike<number>,
  total: number,
  prevalence: Float64Array = new Float64Array(counts.length),
  standardError: Float64Array = new Float64Array(counts.length),
): PrevalenceEstimates {
  const { p, q } = parameters;
  for (let i = 0; i < counts.length; i++) {
    const f = ((counts[i] as number) / total - q) / (p - q);
    prevalence[i] = f;
    standardError[i] = Math.sqrt(perReportVariance(parameters, Math.min(1, Math.max(0, f))) / total);
  }
  return { prevalence, standardError, total };
}

/**
 * The unbiased prevalence estimate of every category from a tally, with standard errors. E[f̂ᵢ] = fᵢ, the share of
 * patients with condition i (exactly so when no patient has more than ℓ conditions).
 *
 * @example
 * ```ts
 * import { defineSchema, estimatePrevalence, tallyReports } from '@mhrchain/stats';
 *
 * const schema = defineSchema({ categories: ['I10', 'E11'], epsilon: 1, maxConditions: 2 });
 * const reports: Uint8Array[] = []; // from a ReportLedger
 * if (reports.length > 0) estimatePrevalence(schema, tallyReports(schema, reports)).prevalence;
 * ```
 */
export function estimatePrevalence(schema: StatsSchema, tally: ReportTally): PrevalenceEstimates {
  if (tally.total <= 0) throw new InvalidStatsParametersError('No reports to estimate from.');
  return estimateFromCounts(mechanismParameters(schema), tally.counts, tally.total);
}

/**
 * The mechanism's theoretical standard error of f̂ᵢ for n reports at true prevalence f.
 *
 * @example
 * ```ts
 * import { defineSchema, theoreticalStandardError } from '@mhrchain/stats';
 *
 * const schema = defineSchema({ categories: Array.from({ length: 20 }, (_, i) => `C${i}`), epsilon: 1, maxConditions: 5 });
 * theoreticalStandardError(schema, 0.1, 100_000); // ≈ 0.0108 (1.08 percentage points)
 * ```
 */
export function theoreticalStandardError(schema: StatsSchema, prevalence: number, n: number): number {
  return Math.sqrt(perReportVariance(mechanismParameters(schema), prevalence) / n);
}

/** Options of {@link aggregateReports}. */
export interface AggregateOptions {
  /** k: a category is published only when at least k patients are shown to have it (default 10). */
  k?: number;
  /** Confidence level of the intervals and of the suppression rule (default 0.95). */
  confidence?: number;
  /** Malformed reports or reports of another schema: `'skip'` and count them (default) or `'throw'`. */
  invalid?: 'throw' | 'skip';
}

/** One category of an {@link Aggregate}. */
export type CategoryEstimate =
  | {
      readonly category: string;
      readonly suppressed: false;
      /** Unbiased prevalence estimate (a share in [0, 1] up to noise; may be slightly negative). */
      readonly prevalence: number;
      /** Its standard error. */
      readonly standardError: number;
      /** The confidence interval, clipped to [0, 1]. */
      readonly interval: readonly [number, number];
      /** Estimated number of patients with the condition, n·f̂. */
      readonly patients: number;
      /** Lower confidence bound of that number: the contributors the estimate demonstrably rests on (≥ k). */
      readonly contributors: number;
    }
  | {
      readonly category: string;
      readonly suppressed: true;
    };

/** The outcome of a round's aggregation. */
export interface Aggregate {
  /** n, the number of valid reports counted. */
  readonly reports: number;
  /** Reports skipped as malformed or made for another schema. */
  readonly rejected: number;
  /** k used. */
  readonly k: number;
  /** Confidence level used. */
  readonly confidence: number;
  /** One entry per category, in schema order. */
  readonly categories: readonly CategoryEstimate[];
}

/**
 * Aggregates a round's reports into prevalence estimates with confidence intervals, suppressing every category
 * whose estimate rests on fewer than k contributors.
 *
 * Contributors of a category: the number of patients the reports show (at the confidence level) to have the
 * condition, i.e. the lower confidence bound n·(f̂ − z·SE). A category is published only when that bound is at
 * least k, and nothing is published when the round has fewer than k reports. A suppressed category carries no
 * figure at all. Malformed reports and reports of another schema are skipped and counted in `rejected` (anyone can
 * post bytes to a public ledger; one bad report must not stop the count).
 *
 * @example
 * ```ts
 * import { aggregateReports, defineSchema } from '@mhrchain/stats';
 *
 * const schema = defineSchema({ categories: ['I10', 'E11'], epsilon: 1, maxConditions: 2 });
 * const result = aggregateReports(schema, [], { k: 10 });
 * result.categories[0]?.suppressed; // true: no reports
 * ```
 */
export function aggregateReports(
  schema: StatsSchema,
  reports: Iterable<Uint8Array>,
  options: AggregateOptions = {},
): Aggregate {
  const k = options.k ?? 10;
  const confidence = options.confidence ?? 0.95;
  if (!Number.isFinite(k) || k < 0) throw new InvalidStatsParametersError('k must be a non-negative number.');
  if (!(confidence > 0 && confidence < 1))
    throw new InvalidStatsParametersError('The confidence level must be in (0, 1).', { details: String(confidence) });
  const z = normalQuantile(0.5 + confidence / 2);
  const tally = tallyReports(schema, reports, { invalid: options.invalid ?? 'skip' });
  const n = tally.total;
  if (n === 0 || n < k)
    return {
      reports: n,
      rejected: tally.rejected,
      k,
      confidence,
      categories: schema.categories.map((category) => ({ category, suppressed: true as const })),
    };
  const { prevalence, standardError } = estimatePrevalence(schema, tally);
  const categories = schema.categories.map((category, i): CategoryEstimate => {
    const f = prevalence[i] as number;
    const se = standardError[i] as number;
    const contributors = n * (f - z * se);
    if (!(contributors >= k)) return { category, suppressed: true };
    return {
      category,
      suppressed: false,
      prevalence: f,
      standardError: se,
      interval: [Math.max(0, f - z * se), Math.min(1, f + z * se)],
      patients: n * f,
      contributors,
    };
  });
  return { reports: n, rejected: tally.rejected, k, confidence, categories };
}
