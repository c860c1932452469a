import { BaseError, docsBaseUrl, InvalidParametersError } from '@mhrchain/core';
import { describe, expect, it } from 'vitest';
import * as errors from './errors.js';

/** One instance of every error class `live/errors.ts` exports, built the way the package throws it. */
const instances: Record<string, BaseError> = {
  LiveMessageRejectedError: new errors.LiveMessageRejectedError({ reason: 'replay', details: 'sequence 41' }),
  LiveAccessDeniedError: new errors.LiveAccessDeniedError({ epoch: 3 }),
  InvalidLiveParametersError: new errors.InvalidLiveParametersError('frameSamples must be positive.'),
  LiveTransportError: new errors.LiveTransportError('Transport closed.'),
  MosquittoStartError: new errors.MosquittoStartError('mosquitto exited.'),
  SegmentVerificationError: new errors.SegmentVerificationError('Batch not anchored.', { details: '0x01' }),
};

/** Old names kept as deprecated aliases of the renamed classes. */
const deprecated: Record<string, string> = {
  LiveMessageError: 'LiveMessageRejectedError',
  LiveParameterError: 'InvalidLiveParametersError',
};

describe('live stream errors', () => {
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

  it('parameter errors are core InvalidParametersErrors; the specific fields are typed properties', () => {
    expect(instances.InvalidLiveParametersError).toBeInstanceOf(InvalidParametersError);
    expect(instances.LiveMessageRejectedError).toMatchObject({ reason: 'replay', details: 'sequence 41' });
    expect(instances.LiveAccessDeniedError).toMatchObject({ epoch: 3 });
  });
});
