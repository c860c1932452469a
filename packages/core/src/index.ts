/**
 * `@mhrchain/core`: client-side encryption of health records into CID-addressed envelopes, stored on IPFS.
 *
 * @packageDocumentation
 */
export { BaseError, type BaseErrorParameters } from './baseError.js';
export {
  BlockNotFoundError,
  DecryptionError,
  IdentityDerivationError,
  InvalidBlockError,
  InvalidKeyError,
  InvalidParametersError,
  ReadOnlyStorageError,
} from './errors.js';
export {
  assertPublicKey,
  deriveIdentityFromSigner,
  generateIdentity,
  type Identity,
  identityDerivationMessage,
  importIdentity,
  type TypedDataSigner,
} from './identity.js';
