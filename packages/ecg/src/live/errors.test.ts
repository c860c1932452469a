import { type BaseError, InvalidParametersError } from '@mhrchain/core';
import { errorConventionViolations } from '@mhrchain/core/testing';
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
  it('follow the error conventions', () => {
    expect(errorConventionViolations({ errors, instances, deprecated })).toEqual([]);
  });

  it('parameter errors are core InvalidParametersErrors; the specific fields are typed properties', () => {
    expect(instances.InvalidLiveParametersError).toBeInstanceOf(InvalidParametersError);
    expect(instances.LiveMessageRejectedError).toMatchObject({ reason: 'replay', details: 'sequence 41' });
    expect(instances.LiveAccessDeniedError).toMatchObject({ epoch: 3 });
  });
});
