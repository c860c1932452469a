import { BaseError, docsBaseUrl, InvalidParametersError } from '@mhrchain/core';
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
  it('covers every exported error class', () => {
    const exported = Object.keys(errors).filter((name) => !(name in deprecated));
    expect(exported.sort()).toEqual(Object.keys(instances).sort());
  });

  it.each(Object.entries(instances))('%s: a BaseError named after its class, with a Docs line', (name, error) => {
    const Class = (errors as unknown as Record<string, new (...args: never[]) => BaseError>)[name]!;
    expect(error).toBeInstanceOf(BaseError);
    expect(error).toBeInstanceOf(Class);
    expect(Class.name).toBe(name);
    expect(error.name).toBe(name);
    expect(error.docsPath).toBe('errors.md#statistics');
    expect(error.message).toContain(`Docs: ${docsBaseUrl}errors.md#statistics`);
    expect(docsBaseUrl).toMatch(/^https:\/\//);
  });

  it('keeps the old names as aliases of the renamed classes', () => {
    const all = errors as unknown as Record<string, unknown>;
    for (const [old, current] of Object.entries(deprecated)) expect(all[old]).toBe(all[current]);
  });

  it('parameter errors are core InvalidParametersErrors; the specific fields are typed properties', () => {
    expect(instances.InvalidStatsParametersError).toBeInstanceOf(InvalidParametersError);
    expect(instances.InvalidConditionError).toMatchObject({ condition: 'J45', details: 'J45' });
    expect(instances.PrivacyBudgetExceededError).toMatchObject({ requested: 2, remaining: 1 });
    expect(instances.ReportAlreadySubmittedError).toMatchObject({ round: 1n, patient: 'alice' });
  });
});
