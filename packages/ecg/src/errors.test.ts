import { BaseError, docsBaseUrl, InvalidParametersError } from '@mhrchain/core';
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
    expect(error.docsPath).toBeTruthy();
    expect(error.message).toContain(`Docs: ${docsBaseUrl}${error.docsPath}`);
    expect(docsBaseUrl).toMatch(/^https:\/\//);
  });

  it('keeps the old names as aliases of the renamed classes', () => {
    const all = errors as unknown as Record<string, unknown>;
    for (const [old, current] of Object.entries(deprecated)) expect(all[old]).toBe(all[current]);
  });

  it('parameter errors, the filter ones included, are core InvalidParametersErrors', () => {
    expect(instances.InvalidEcgParametersError).toBeInstanceOf(InvalidParametersError);
    expect(instances.InvalidFilterParametersError).toBeInstanceOf(errors.InvalidEcgParametersError);
    expect(instances.InvalidEcgParametersError?.details).toBe('0');
  });
});
