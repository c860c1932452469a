import { BaseError } from '@mhrchain/core';

/**
 * A statistics schema or a parameter (ε, category list, condition bound, confidence level, k) is invalid.
 *
 * @example
 * ```ts
 * import { defineSchema, InvalidStatsParameterError } from '@mhrchain/stats';
 *
 * try {
 *   defineSchema({ categories: ['A'], epsilon: -1, maxConditions: 1 });
 * } catch (error) {
 *   if (error instanceof InvalidStatsParameterError) console.log(error.shortMessage);
 * }
 * ```
 */
export class InvalidStatsParameterError extends BaseError {
  static override name = 'InvalidStatsParameterError';
  override name = 'InvalidStatsParameterError';
  constructor(shortMessage: string, details?: string) {
    super(shortMessage, { details, docsPath: 'statistics.md' });
  }
}

/**
 * A patient's condition is not a category of the schema.
 *
 * @example
 * ```ts
 * import { defineSchema, randomizeConditions, UnknownConditionError } from '@mhrchain/stats';
 *
 * const schema = defineSchema({ categories: ['I10', 'E11'], epsilon: 1, maxConditions: 2 });
 * try {
 *   randomizeConditions(schema, ['J45']);
 * } catch (error) {
 *   if (error instanceof UnknownConditionError) console.log(error.shortMessage);
 * }
 * ```
 */
export class UnknownConditionError extends BaseError {
  static override name = 'UnknownConditionError';
  override name = 'UnknownConditionError';
  /** The condition that is not in the schema. */
  readonly condition: string;
  constructor(condition: string) {
    super('The condition is not a category of the schema.', { details: condition, docsPath: 'statistics.md' });
    this.condition = condition;
  }
}

/**
 * A report's bytes are malformed: wrong length or version, a category index out of range, or a report made for
 * another schema.
 *
 * @example
 * ```ts
 * import { decodeReport, defineSchema, InvalidReportError } from '@mhrchain/stats';
 *
 * const schema = defineSchema({ categories: ['I10'], epsilon: 1, maxConditions: 1 });
 * try {
 *   decodeReport(schema, new Uint8Array(3));
 * } catch (error) {
 *   if (error instanceof InvalidReportError) console.log(error.shortMessage);
 * }
 * ```
 */
export class InvalidReportError extends BaseError {
  static override name = 'InvalidReportError';
  override name = 'InvalidReportError';
  constructor(shortMessage: string, details?: string) {
    super(shortMessage, { details, docsPath: 'statistics.md' });
  }
}

/**
 * A contribution would take the patient's total ε past the privacy budget, so it is refused (nothing is sent).
 *
 * @example
 * ```ts
 * import { createPrivacyBudget, PrivacyBudgetExceededError } from '@mhrchain/stats';
 *
 * const budget = createPrivacyBudget({ limit: 1 });
 * try {
 *   budget.spend({ round: '1', epsilon: 2, report: new Uint8Array(0) });
 * } catch (error) {
 *   if (error instanceof PrivacyBudgetExceededError) console.log(error.remaining);
 * }
 * ```
 */
export class PrivacyBudgetExceededError extends BaseError {
  static override name = 'PrivacyBudgetExceededError';
  override name = 'PrivacyBudgetExceededError';
  /** ε the refused contribution asked for. */
  readonly requested: number;
  /** ε still available. */
  readonly remaining: number;
  constructor(requested: number, remaining: number) {
    super('The contribution would exceed the privacy budget.', {
      details: `requested ε = ${requested}, remaining ε = ${remaining}`,
      docsPath: 'statistics.md',
    });
    this.requested = requested;
    this.remaining = remaining;
  }
}

/**
 * The patient already reported in this round (a second report would be a second look at the same data).
 *
 * @example
 * ```ts
 * import { createMemoryReportLedger, DuplicateReportError } from '@mhrchain/stats';
 *
 * const ledger = createMemoryReportLedger();
 * const round = await ledger.openRound({ schemaHash: `0x${'00'.repeat(32)}` });
 * await ledger.submitReport({ round, patient: 'alice', report: new Uint8Array([1]) });
 * try {
 *   await ledger.submitReport({ round, patient: 'alice', report: new Uint8Array([1]) });
 * } catch (error) {
 *   if (error instanceof DuplicateReportError) console.log(error.shortMessage);
 * }
 * ```
 */
export class DuplicateReportError extends BaseError {
  static override name = 'DuplicateReportError';
  override name = 'DuplicateReportError';
  /** The round. */
  readonly round: bigint;
  /** The patient who already reported. */
  readonly patient: string;
  constructor(round: bigint, patient: string, cause?: unknown) {
    super('The patient already reported in this round.', {
      details: `round ${round}, patient ${patient}`,
      docsPath: 'statistics.md',
      cause,
    });
    this.round = round;
    this.patient = patient;
  }
}

/**
 * The round does not exist or is closed.
 *
 * @example
 * ```ts
 * import { createMemoryReportLedger, RoundNotOpenError } from '@mhrchain/stats';
 *
 * const ledger = createMemoryReportLedger();
 * try {
 *   await ledger.submitReport({ round: 7n, patient: 'alice', report: new Uint8Array([1]) });
 * } catch (error) {
 *   if (error instanceof RoundNotOpenError) console.log(error.round);
 * }
 * ```
 */
export class RoundNotOpenError extends BaseError {
  static override name = 'RoundNotOpenError';
  override name = 'RoundNotOpenError';
  /** The round. */
  readonly round: bigint;
  constructor(round: bigint, cause?: unknown) {
    super('The round is not open.', { details: `round ${round}`, docsPath: 'statistics.md', cause });
    this.round = round;
  }
}

/**
 * The reporter is not a registered patient: the `DiseaseReports` contract accepts reports only from accounts
 * registered in the `IdentityRegistry`, so a round cannot be stuffed with throwaway addresses.
 *
 * @example
 * ```ts
 * import { UnregisteredReporterError } from '@mhrchain/stats';
 *
 * const error = new UnregisteredReporterError('0x0000000000000000000000000000000000000001');
 * console.log(error.patient, error.shortMessage);
 * ```
 */
export class UnregisteredReporterError extends BaseError {
  static override name = 'UnregisteredReporterError';
  override name = 'UnregisteredReporterError';
  /** The unregistered reporter. */
  readonly patient: string;
  constructor(patient: string, cause?: unknown) {
    super('Only registered patients may report.', { details: `patient ${patient}`, docsPath: 'statistics.md', cause });
    this.patient = patient;
  }
}
