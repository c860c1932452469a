import { randomizeConditions } from './mechanism.js';
import type { PrivacyBudget } from './privacyBudget.js';
import type { RandomSource } from './random.js';
import { encodeReport } from './report.js';
import type { StatsSchema } from './schema.js';

/** Parameters of {@link createReporter}. */
export interface CreateReporterParameters {
  /** The schema of the rounds this reporter answers. */
  schema: StatsSchema;
  /** The patient's budget, charged ε of the schema per round. */
  budget: PrivacyBudget;
  /** Randomness; defaults to the platform CSPRNG. Seeded sources are for tests only. */
  random?: RandomSource;
}

/** A patient's client side of the statistics: answers rounds within the budget. */
export interface Reporter {
  /**
   * The report for `round` (a stable key of the round): randomised once, charged to the budget once, and the
   * same bytes again on every later call for that round (a retry must never draw a second, fresh report).
   * Throws {@link PrivacyBudgetExceededError} when the budget cannot pay for a new round.
   */
  report(round: string, conditions: Iterable<string>): Uint8Array;
}

/**
 * Creates the patient-side reporter: randomises the patient's conditions with the schema's ε-LDP randomiser,
 * encodes the 11-byte report and charges the budget, refusing past it.
 *
 * @example
 * ```ts
 * import { createPrivacyBudget, createReporter, defineSchema } from '@mhrchain/stats';
 *
 * const schema = defineSchema({ categories: ['I10', 'E11', 'J45'], epsilon: 1, maxConditions: 2 });
 * const reporter = createReporter({ schema, budget: createPrivacyBudget({ limit: 4 }) });
 * const bytes = reporter.report('round-1', ['E11']); // send through a ReportLedger
 * ```
 */
export function createReporter(parameters: CreateReporterParameters): Reporter {
  const { schema, budget, random } = parameters;
  return {
    report(round, conditions) {
      const existing = budget.entry(round);
      if (existing) return Uint8Array.from(existing.report);
      const category = randomizeConditions(schema, conditions, random ? { random } : {});
      const report = encodeReport(schema, category);
      budget.spend({ round, epsilon: schema.epsilon, report });
      return report;
    },
  };
}
