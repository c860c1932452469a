import { BaseError, docsBaseUrl, InvalidParametersError } from '@mhrchain/core';
import { describe, expect, it } from 'vitest';
import * as errors from './errors.js';

/** One instance of every error class `errors.ts` exports, built the way the package throws it. */
const instances: Record<string, BaseError> = {
  OtpRejectedError: new errors.OtpRejectedError({ reason: 'expired', attemptsLeft: 2 }),
  InvalidOtpParametersError: new errors.InvalidOtpParametersError('digits must be 6, 7 or 8', { details: '5' }),
  InvalidConsentParametersError: new errors.InvalidConsentParametersError('A records scope lists 1 to 64 record ids.'),
  InvalidPurposeError: new errors.InvalidPurposeError({ purpose: 'treatment' }),
  InvalidOtpResponseError: new errors.InvalidOtpResponseError(),
  PendingActionError: new errors.PendingActionError({
    action: { kind: 'addRecord', step: 'stored' },
    cause: new Error('the wallet refused the transaction'),
  }),
};

describe('consent errors', () => {
  it('covers every exported error class', () => {
    const exported = Object.keys(errors).filter(
      (name) => typeof (errors as Record<string, unknown>)[name] === 'function',
    );
    expect(exported.sort()).toEqual(Object.keys(instances).sort());
  });

  it.each(Object.entries(instances))('%s: a BaseError named after its class, with a Docs line', (name, error) => {
    const Class = (errors as unknown as Record<string, new (...args: never[]) => BaseError>)[name]!;
    expect(error).toBeInstanceOf(BaseError);
    expect(error).toBeInstanceOf(Class);
    expect(Class.name).toBe(name);
    expect(error.name).toBe(name);
    expect(error.docsPath).toBeTruthy();
    expect(error.message).toContain(`Docs: ${docsBaseUrl}${error.docsPath}`);
    expect(docsBaseUrl).toMatch(/^https:\/\//);
  });

  it('parameter errors are core InvalidParametersErrors; the specific fields are typed properties', () => {
    expect(instances.InvalidOtpParametersError).toBeInstanceOf(InvalidParametersError);
    expect(instances.InvalidConsentParametersError).toBeInstanceOf(InvalidParametersError);
    expect(instances.InvalidPurposeError).toBeInstanceOf(errors.InvalidConsentParametersError);
    expect(instances.InvalidPurposeError).toMatchObject({ purpose: 'treatment' });
    expect(instances.OtpRejectedError).toMatchObject({ reason: 'expired', attemptsLeft: 2 });
    expect(new errors.OtpRejectedError({ reason: 'used' }).attemptsLeft).toBe(0);
    expect(instances.PendingActionError).toMatchObject({ kind: 'addRecord', step: 'stored' });
    expect(instances.PendingActionError!.details).toBe('the wallet refused the transaction');
  });
});
