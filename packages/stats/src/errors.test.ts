import { type BaseError, InvalidParametersError } from '@mhrchain/core';
import { errorConventionViolations } from '@mhrchain/core/testing';
import { describe, expect, it } from 'vitest';
import * as errors from './errors.js';

/** One instance of every error class `errors.ts` exports, built the way the package throws it. */
const instances: Record<string, BaseError> = {
  InvalidStatsParametersError: new errors.InvalidStatsParametersError('epsilon must be positive.', { details: '-1' }),
  InvalidConditionError: new errors.InvalidConditionError({ condition: 'J45' }),
  InvalidReportError: new errors.InvalidReportError('The report has the wrong length.', { details: '3 bytes' }),
  PrivacyBudgetExceededError: new errors.PrivacyBudgetExceededError({ requested: 2, remaining: 1 }),
  ReportAlreadySubmittedError: new errors.ReportAlreadySubmittedError({ round: 1n, patient: 'alice' }),
  RoundNotOpenError: new errors.RoundNotOpenError({ round: 7n }),
  ReporterNotRegisteredError: new errors.ReporterNotRegisteredError({ patient: '0x01' }),
};

/** Old names kept as deprecated aliases of the renamed classes. */
const deprecated: Record<string, string> = {
  InvalidStatsParameterError: 'InvalidStatsParametersError',
  UnknownConditionError: 'InvalidConditionError',
  DuplicateReportError: 'ReportAlreadySubmittedError',
  UnregisteredReporterError: 'ReporterNotRegisteredError',
};

describe('stats errors', () => {
  it('follow the error conventions', () => {
    expect(errorConventionViolations({ errors, instances, deprecated })).toEqual([]);
  });

  it('all point at the statistics section of the errors guide', () => {
    for (const error of Object.values(instances)) expect(error.docsPath).toBe('errors.md#statistics');
  });

  it('parameter errors are core InvalidParametersErrors; the specific fields are typed properties', () => {
    expect(instances.InvalidStatsParametersError).toBeInstanceOf(InvalidParametersError);
    expect(instances.InvalidConditionError).toMatchObject({ condition: 'J45', details: 'J45' });
    expect(instances.PrivacyBudgetExceededError).toMatchObject({ requested: 2, remaining: 1 });
    expect(instances.ReportAlreadySubmittedError).toMatchObject({ round: 1n, patient: 'alice' });
  });
});
