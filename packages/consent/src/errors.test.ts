import { type BaseError, InvalidParametersError } from '@mhrchain/core';
import { errorConventionViolations } from '@mhrchain/core/testing';
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
  AnchorNotSettledError: new errors.AnchorNotSettledError({ cid: 'bafyenvelope', pending: 2 }),
};

describe('consent errors', () => {
  it('follow the error conventions', () => {
    expect(errorConventionViolations({ errors, instances })).toEqual([]);
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
    expect(instances.AnchorNotSettledError).toMatchObject({ cid: 'bafyenvelope', pending: 2, details: 'bafyenvelope' });
  });
});
