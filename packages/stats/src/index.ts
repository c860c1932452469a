/**
 * `@mhrchain/stats`: disease statistics under local differential privacy. Each patient's client randomises its
 * conditions (any number of them) into one 11-byte report whose ε holds for the whole report, a per-patient budget
 * refuses contributions past the patient's total ε, reports are collected one per patient per round through a
 * {@link ReportLedger} (in memory or the `DiseaseReports` contract), and the aggregation returns unbiased
 * prevalence estimates with confidence intervals, suppressing categories resting on fewer than k contributors.
 *
 * See `docs/statistics.md` for the guarantee in plain words.
 *
 * @packageDocumentation
 */
export {
  type AccuracyLimit,
  type AccuracyLimitParameters,
  type AccuracyReference,
  accuracyLimit,
} from './accuracyLimit.js';
export { type AggregateRoundParameters, aggregateRound } from './aggregateRound.js';
export {
  DuplicateReportError,
  InvalidConditionError,
  InvalidReportError,
  InvalidStatsParameterError,
  InvalidStatsParametersError,
  PrivacyBudgetExceededError,
  ReportAlreadySubmittedError,
  ReporterNotRegisteredError,
  RoundNotOpenError,
  UnknownConditionError,
  UnregisteredReporterError,
} from './errors.js';
export {
  type Aggregate,
  type AggregateOptions,
  aggregateReports,
  type CategoryEstimate,
  estimatePrevalence,
  type PrevalenceEstimates,
  type ReportTally,
  type TallyOptions,
  tallyReports,
  theoreticalStandardError,
} from './estimate.js';
export {
  type MechanismParameters,
  mechanismParameters,
  type RandomizeOptions,
  randomizeConditions,
  reportDistribution,
} from './mechanism.js';
export {
  type BudgetEntry,
  type CreatePrivacyBudgetParameters,
  createPrivacyBudget,
  type PrivacyBudget,
} from './privacyBudget.js';
export { cryptoRandom, type RandomSource, seededRandom, uniform } from './random.js';
export { decodeReport, decodeReportIndex, encodeReport, REPORT_LENGTH, REPORT_VERSION } from './report.js';
export { type CreateReporterParameters, createReporter, type Reporter } from './reporter.js';
export {
  type CreateMemoryReportLedgerParameters,
  createMemoryReportLedger,
  type LedgerReport,
  type LedgerRound,
  type OpenRoundParameters,
  type ReportLedger,
  type SubmitReportParameters,
} from './reportLedger.js';
export {
  type DefineSchemaParameters,
  defineSchema,
  type Hex,
  MAX_CATEGORIES,
  SET_RANDOMIZED_RESPONSE,
  type StatsSchema,
} from './schema.js';
