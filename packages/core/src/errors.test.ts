import { CID } from 'multiformats/cid';
import { describe, expect, it } from 'vitest';
import type { BaseError } from './baseError.js';
import { errorConventionViolations } from './errorConventions.js';
import * as errors from './errors.js';

const cid = CID.parse('bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy');

/** One instance of every error class `errors.ts` exports, built the way the SDK throws it. */
const instances: Record<string, BaseError> = {
  DecryptionError: new errors.DecryptionError(),
  InvalidKeyError: new errors.InvalidKeyError('Bad key.', { details: '3 bytes' }),
  InvalidParametersError: new errors.InvalidParametersError('At least one recipient is required.'),
  IdentityDerivationError: new errors.IdentityDerivationError('The signer refused to sign.'),
  BlockNotFoundError: new errors.BlockNotFoundError({ cid: cid.toString() }),
  StorageReadOnlyError: new errors.StorageReadOnlyError({ operation: 'put' }),
  InvalidBlockError: new errors.InvalidBlockError({ details: 'hash mismatch' }),
  InvalidEnvelopeError: new errors.InvalidEnvelopeError({ details: 'not a map' }),
  PlatformNotSupportedError: new errors.PlatformNotSupportedError({ operation: 'createHeliaStorage', details: 'x' }),
  KuboUnreachableError: new errors.KuboUnreachableError({ url: 'http://127.0.0.1:5001' }),
  KuboRpcError: new errors.KuboRpcError({ call: 'block/put', details: 'HTTP 500' }),
  ReplicationError: new errors.ReplicationError({ operation: 'pin', required: 2, succeeded: 1, nodes: 3, cid }),
  KuboStartError: new errors.KuboStartError('Kubo did not become ready in time.'),
  RemotePinningError: new errors.RemotePinningError({ operation: 'pin', details: 'HTTP 401' }),
  IdentityShreddedError: new errors.IdentityShreddedError(),
};

/** Old names kept as deprecated aliases of the renamed classes. */
const deprecated: Record<string, string> = {
  ReadOnlyStorageError: 'StorageReadOnlyError',
  UnsupportedPlatformError: 'PlatformNotSupportedError',
};

describe('core errors', () => {
  it('follow the error conventions (a guide is optional in core)', () => {
    expect(errorConventionViolations({ errors, instances, deprecated, requireDocsPath: false })).toEqual([]);
  });

  it('every parameter error of the SDK can be caught as InvalidParametersError', () => {
    class InvalidThingParametersError extends errors.InvalidParametersError {
      static override name = 'InvalidThingParametersError';
      override name = 'InvalidThingParametersError';
    }
    const error = new InvalidThingParametersError('bad', { docsPath: 'errors.md#conventions' });
    expect(error).toBeInstanceOf(errors.InvalidParametersError);
    expect(error.docsPath).toBe('errors.md#conventions');
    expect(new errors.InvalidParametersError('bad').docsPath).toBe('errors.md#invalid-parameters');
  });

  it('keeps the specific fields as typed properties', () => {
    expect(instances.BlockNotFoundError).toMatchObject({ cid: cid.toString(), details: cid.toString() });
    expect(instances.ReplicationError).toMatchObject({ operation: 'pin', required: 2, succeeded: 1, cid });
    expect(instances.KuboRpcError).toMatchObject({ call: 'block/put', details: 'HTTP 500' });
  });
});
