import { InvalidStatsParametersError } from './errors.js';
import { type Aggregate, type AggregateOptions, aggregateReports } from './estimate.js';
import type { ReportLedger } from './reportLedger.js';
import type { StatsSchema } from './schema.js';

/** Parameters of {@link aggregateRound}. */
export interface AggregateRoundParameters extends AggregateOptions {
  /** Where the round's reports are. */
  ledger: ReportLedger<unknown>;
  /** The round id. */
  round: bigint;
  /** The schema the round was opened for (checked against the round's schema hash). */
  schema: StatsSchema;
}

/**
 * Reads a round's reports from a ledger and aggregates them ({@link aggregateReports}), after checking that the
 * round was opened for `schema` (same categories, ε and ℓ). Malformed reports are skipped and counted.
 *
 * @example
 * ```ts
 * import { aggregateRound, createMemoryReportLedger, defineSchema } from '@mhrchain/stats';
 *
 * const schema = defineSchema({ categories: ['I10', 'E11'], epsilon: 1, maxConditions: 2 });
 * const ledger = createMemoryReportLedger();
 * const round = await ledger.openRound({ schemaHash: schema.hash });
 * const result = await aggregateRound({ ledger, round, schema, k: 10 });
 * result.reports; // 0
 * ```
 */
export async function aggregateRound(parameters: AggregateRoundParameters): Promise<Aggregate> {
  const { ledger, round, schema, ...options } = parameters;
  const info = await ledger.getRound(round);
  if (!info) throw new InvalidStatsParametersError('Unknown round.', { details: String(round) });
  if (info.schemaHash.toLowerCase() !== schema.hash)
    throw new InvalidStatsParametersError('The round was opened for another schema.', {
      details: `${info.schemaHash} ≠ ${schema.hash}`,
    });
  const reports = await ledger.listReports(round);
  return aggregateReports(
    schema,
    reports.map((entry) => entry.report),
    options,
  );
}
