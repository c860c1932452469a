import { type BaseError, InvalidParametersError } from '@mhrchain/core';
import { errorConventionViolations } from '@mhrchain/core/testing';
import { describe, expect, it } from 'vitest';
import * as errors from './errors.js';

/** One instance of every error class `errors.ts` exports, built the way the package throws it. */
const instances: Record<string, BaseError> = {
  InvalidWfdbFileError: new errors.InvalidWfdbFileError('Invalid sampling frequency in WFDB header.', { details: 'x' }),
  InvalidEcgFrameError: new errors.InvalidEcgFrameError('ECG frame checksum mismatch.'),
  InvalidEcgParametersError: new errors.InvalidEcgParametersError('Sample rate must be positive.', { details: '0' }),
  InvalidFilterParametersError: new errors.InvalidFilterParametersError('Notch Q must be a positive number.'),
};

/** Old names kept as deprecated aliases of the renamed classes. */
const deprecated: Record<string, string> = {
  WfdbFormatError: 'InvalidWfdbFileError',
  EcgFrameError: 'InvalidEcgFrameError',
  EcgParameterError: 'InvalidEcgParametersError',
  FilterDesignError: 'InvalidFilterParametersError',
};

describe('ecg errors', () => {
  it('follow the error conventions', () => {
    expect(errorConventionViolations({ errors, instances, deprecated })).toEqual([]);
  });

  it('parameter errors, the filter ones included, are core InvalidParametersErrors', () => {
    expect(instances.InvalidEcgParametersError).toBeInstanceOf(InvalidParametersError);
    expect(instances.InvalidFilterParametersError).toBeInstanceOf(errors.InvalidEcgParametersError);
    expect(instances.InvalidEcgParametersError?.details).toBe('0');
  });
});
