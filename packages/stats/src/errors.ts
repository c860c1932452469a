import { BaseError, type ErrorParameters, InvalidParametersError } from '@mhrchain/core';

const docsPath = 'errors.md#statistics';

/**
 * A statistics schema or a parameter (ε, category list, condition bound, confidence level, k) is invalid. Extends
 * `InvalidParametersError` from `@mhrchain/core`.
 *
 * @example
 * ```ts
 * import { defineSchema, InvalidStatsParametersError } from '@mhrchain/stats';
 *
 * try {
 *   defineSchema({ categories: ['A'], epsilon: -1, maxConditions: 1 });
 * } catch (error) {
 *   if (error instanceof InvalidStatsParametersError) console.log(error.shortMessage);
 * }
 * ```
 */
export class InvalidStatsParametersError extends InvalidParametersError {
  static override name = 'InvalidStatsParametersError';
  override name = 'InvalidStatsParametersError';
  constructor(shortMessage: string, parameters: ErrorParameters = {}) {
    super(shortMessage, { ...parameters, docsPath });
  }
}

/** @deprecated Use {@link InvalidStatsParametersError} (renamed to follow `docs/errors.md#conventions`). */
export const InvalidStatsParameterError = InvalidStatsParametersError;
/** @deprecated Use {@link InvalidStatsParametersError}. */
export type InvalidStatsParameterError = InvalidStatsParametersError;

/**
 * A patient's condition is not a category of the schema.
 *
 * @example
 * ```ts
 * import { defineSchema, InvalidConditionError, randomizeConditions } from '@mhrchain/stats';
 *
 * const schema = defineSchema({ categories: ['I10', 'E11'], epsilon: 1, maxConditions: 2 });
 * try {
 *   randomizeConditions(schema, ['J45']);
 * } catch (error) {
 *   if (error instanceof InvalidConditionError) console.log(error.condition);
 * }
 * ```
 */
export class InvalidConditionError extends BaseError {
  static override name = 'InvalidConditionError';
  override name = 'InvalidConditionError';
  /** The condition that is not in the schema. */
  readonly condition: string;
  constructor(parameters: { condition: string }) {
    super('The condition is not a category of the schema.', { details: parameters.condition, docsPath });
    this.condition = parameters.condition;
  }
}

/** @deprecated Use {@link InvalidConditionError} (renamed to follow `docs/errors.md#conventions`). */
export const UnknownConditionError = InvalidConditionError;
/** @deprecated Use {@link InvalidConditionError}. */
export type UnknownConditionError = InvalidConditionError;

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
  constructor(shortMessage: string, parameters: ErrorParameters = {}) {
    super(shortMessage, { ...parameters, docsPath });
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
  constructor(parameters: { requested: number; remaining: number }) {
    const { requested, remaining } = parameters;
    super('The contribution would exceed the privacy budget.', {
      details: `requested ε = ${requested}, remaining ε = ${remaining}`,
      docsPath,
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
 * import { createMemoryReportLedger, ReportAlreadySubmittedError } from '@mhrchain/stats';
 *
 * const ledger = createMemoryReportLedger();
 * const round = await ledger.openRound({ schemaHash: `0x${'00'.repeat(32)}` });
 * await ledger.submitReport({ round, patient: 'alice', report: new Uint8Array([1]) });
 * try {
 *   await ledger.submitReport({ round, patient: 'alice', report: new Uint8Array([1]) });
 * } catch (error) {
 *   if (error instanceof ReportAlreadySubmittedError) console.log(error.shortMessage);
 * }
 * ```
 */
export class ReportAlreadySubmittedError extends BaseError {
  static override name = 'ReportAlreadySubmittedError';
  override name = 'ReportAlreadySubmittedError';
  /** The round. */
  readonly round: bigint;
  /** The patient who already reported. */
  readonly patient: string;
  constructor(parameters: { round: bigint; patient: string; cause?: unknown }) {
    const { round, patient, cause } = parameters;
    super('The patient already reported in this round.', {
      details: `round ${round}, patient ${patient}`,
      docsPath,
      cause,
    });
    this.round = round;
    this.patient = patient;
  }
}

/** @deprecated Use {@link ReportAlreadySubmittedError} (renamed to follow `docs/errors.md#conventions`). */
export const DuplicateReportError = ReportAlreadySubmittedError;
/** @deprecated Use {@link ReportAlreadySubmittedError}. */
export type DuplicateReportError = ReportAlreadySubmittedError;

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
  constructor(parameters: { round: bigint; cause?: unknown }) {
    super('The round is not open.', { details: `round ${parameters.round}`, docsPath, cause: parameters.cause });
    this.round = parameters.round;
  }
}

/**
 * The reporter is not a registered patient: the `DiseaseReports` contract accepts reports only from accounts
 * registered in the `IdentityRegistry`, so a round cannot be stuffed with throwaway addresses.
 *
 * @example
 * ```ts
 * import { ReporterNotRegisteredError } from '@mhrchain/stats';
 *
 * const error = new ReporterNotRegisteredError({ patient: '0x0000000000000000000000000000000000000001' });
 * console.log(error.patient, error.shortMessage);
 * ```
 */
export class ReporterNotRegisteredError extends BaseError {
  static override name = 'ReporterNotRegisteredError';
  override name = 'ReporterNotRegisteredError';
  /** The unregistered reporter. */
  readonly patient: string;
  constructor(parameters: { patient: string; cause?: unknown }) {
    super('Only registered patients may report.', {
      details: `patient ${parameters.patient}`,
      docsPath,
      cause: parameters.cause,
    });
    this.patient = parameters.patient;
  }
}

/** @deprecated Use {@link ReporterNotRegisteredError} (renamed to follow `docs/errors.md#conventions`). */
export const UnregisteredReporterError = ReporterNotRegisteredError;
/** @deprecated Use {@link ReporterNotRegisteredError}. */
export type UnregisteredReporterError = ReporterNotRegisteredError;
