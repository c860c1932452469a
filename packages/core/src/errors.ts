import type { CID } from 'multiformats/cid';
import { BaseError } from './baseError.js';

/** Parameters every SDK error with a caller-supplied message accepts (see `docs/errors.md#conventions`). */
export interface ErrorParameters {
  /** The underlying error, when this one wraps another. */
  cause?: unknown;
  /** Extra detail for logs; never secret material. */
  details?: string;
}

/**
 * The one error every failed decryption throws: wrong key, not a recipient, tampered, truncated, reordered or
 * extended data, malformed header. It never says which, so it cannot be used as an oracle.
 *
 * @example
 * ```ts
 * import { DecryptionError, decryptRecord, generateIdentity } from '@mhrchain/core';
 *
 * try {
 *   await decryptRecord({ header: new Uint8Array(8), payload: new Uint8Array(0), identity: generateIdentity() });
 * } catch (error) {
 *   if (error instanceof DecryptionError) console.log('cannot open this record');
 * }
 * ```
 */
export class DecryptionError extends BaseError {
  static override name = 'DecryptionError';
  override name = 'DecryptionError';
  constructor() {
    super('Decryption failed.', { docsPath: 'spec/envelope.md' });
  }
}

/**
 * A key has the wrong length or is not a usable X25519 key (for example a low-order point).
 *
 * @example
 * ```ts
 * import { InvalidKeyError, importIdentity } from '@mhrchain/core';
 *
 * try {
 *   importIdentity(new Uint8Array(3));
 * } catch (error) {
 *   if (error instanceof InvalidKeyError) console.log(error.shortMessage);
 * }
 * ```
 */
export class InvalidKeyError extends BaseError {
  static override name = 'InvalidKeyError';
  override name = 'InvalidKeyError';
  constructor(shortMessage: string, parameters: ErrorParameters = {}) {
    super(shortMessage, { ...parameters, docsPath: 'spec/envelope.md#keys' });
  }
}

/**
 * The parameters of a call are invalid (missing data, no recipients, wrong types). Every package's parameter error
 * (`InvalidConsentParametersError`, `InvalidEcgParametersError`, `InvalidStatsParametersError`, …) extends this one,
 * so `error instanceof InvalidParametersError` catches bad input to any SDK function.
 *
 * @example
 * ```ts
 * import { InvalidParametersError } from '@mhrchain/core';
 *
 * const error = new InvalidParametersError('At least one recipient is required.');
 * console.log(error.name); // 'InvalidParametersError'
 * ```
 */
export class InvalidParametersError extends BaseError {
  static override name = 'InvalidParametersError';
  override name = 'InvalidParametersError';
  /**
   * @param shortMessage - What is wrong with the parameters, as one sentence.
   * @param parameters - `cause`, `details`; `docsPath` lets a package's subclass point at its own guide.
   */
  constructor(shortMessage: string, parameters: ErrorParameters & { docsPath?: string } = {}) {
    super(shortMessage, { docsPath: 'errors.md#invalid-parameters', ...parameters });
  }
}

/**
 * Deriving an encryption identity from an Ethereum signer failed (the signer refused, or returned a signature that
 * does not verify for its own address).
 *
 * @example
 * ```ts
 * import { IdentityDerivationError } from '@mhrchain/core';
 *
 * const error = new IdentityDerivationError('The signer refused to sign.');
 * console.log(error.shortMessage);
 * ```
 */
export class IdentityDerivationError extends BaseError {
  static override name = 'IdentityDerivationError';
  override name = 'IdentityDerivationError';
  constructor(shortMessage: string, parameters: ErrorParameters = {}) {
    super(shortMessage, { ...parameters, docsPath: 'spec/envelope.md#keys' });
  }
}

/**
 * A block is not in the storage (or no gateway could provide it).
 *
 * @example
 * ```ts
 * import { BlockNotFoundError } from '@mhrchain/core';
 *
 * const error = new BlockNotFoundError({ cid: 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy' });
 * console.log(error.cid);
 * ```
 */
export class BlockNotFoundError extends BaseError {
  static override name = 'BlockNotFoundError';
  override name = 'BlockNotFoundError';
  /** The CID of the missing block. */
  readonly cid: string;
  constructor(parameters: { cid: string; cause?: unknown }) {
    super('Block not found.', { cause: parameters.cause, details: parameters.cid, docsPath: 'errors.md#storage' });
    this.cid = parameters.cid;
  }
}

/**
 * A write (put, pin, import) was attempted on a read-only storage, such as gateway storage.
 *
 * @example
 * ```ts
 * import { StorageReadOnlyError } from '@mhrchain/core';
 *
 * const error = new StorageReadOnlyError({ operation: 'put' });
 * console.log(error.shortMessage); // 'Storage is read-only.'
 * ```
 */
export class StorageReadOnlyError extends BaseError {
  static override name = 'StorageReadOnlyError';
  override name = 'StorageReadOnlyError';
  /** The write that was refused (`put`, `pin`, …). */
  readonly operation: string;
  constructor(parameters: { operation: string }) {
    super('Storage is read-only.', { details: `operation: ${parameters.operation}`, docsPath: 'errors.md#storage' });
    this.operation = parameters.operation;
  }
}

/** @deprecated Use {@link StorageReadOnlyError} (renamed to follow `docs/errors.md#conventions`). */
export const ReadOnlyStorageError = StorageReadOnlyError;
/** @deprecated Use {@link StorageReadOnlyError}. */
export type ReadOnlyStorageError = StorageReadOnlyError;

/**
 * A block received from storage or a gateway does not hash to its CID, or is otherwise invalid.
 *
 * @example
 * ```ts
 * import { InvalidBlockError } from '@mhrchain/core';
 *
 * const error = new InvalidBlockError({ details: 'hash mismatch' });
 * console.log(error.shortMessage); // 'Invalid block.'
 * ```
 */
export class InvalidBlockError extends BaseError {
  static override name = 'InvalidBlockError';
  override name = 'InvalidBlockError';
  constructor(parameters: ErrorParameters = {}) {
    super('Invalid block.', { ...parameters, docsPath: 'errors.md#storage' });
  }
}

/**
 * Bytes that are not a well-formed v1 envelope header (when read without decrypting, e.g. by
 * `readEnvelopeHeader`). While decrypting, a malformed header is a {@link DecryptionError} instead.
 *
 * @example
 * ```ts
 * import { InvalidEnvelopeError, readEnvelopeHeader } from '@mhrchain/core';
 *
 * try {
 *   readEnvelopeHeader(new Uint8Array([1, 2, 3]));
 * } catch (error) {
 *   if (error instanceof InvalidEnvelopeError) console.log(error.details);
 * }
 * ```
 */
export class InvalidEnvelopeError extends BaseError {
  static override name = 'InvalidEnvelopeError';
  override name = 'InvalidEnvelopeError';
  constructor(parameters: ErrorParameters = {}) {
    super('Invalid envelope.', { ...parameters, docsPath: 'spec/envelope.md#header' });
  }
}

/**
 * The function needs what this platform does not have (for example a filesystem for the embedded IPFS node in a
 * browser).
 *
 * @example
 * ```ts
 * import { PlatformNotSupportedError } from '@mhrchain/core';
 *
 * const error = new PlatformNotSupportedError({ operation: 'createHeliaStorage', details: 'no filesystem in browsers' });
 * console.log(error.shortMessage); // 'createHeliaStorage is not available on this platform.'
 * ```
 */
export class PlatformNotSupportedError extends BaseError {
  static override name = 'PlatformNotSupportedError';
  override name = 'PlatformNotSupportedError';
  /** The function that cannot run here. */
  readonly operation: string;
  constructor(parameters: { operation: string } & ErrorParameters) {
    const { operation, ...rest } = parameters;
    super(`${operation} is not available on this platform.`, { ...rest, docsPath: 'errors.md#storage' });
    this.operation = operation;
  }
}

/** @deprecated Use {@link PlatformNotSupportedError} (renamed to follow `docs/errors.md#conventions`). */
export const UnsupportedPlatformError = PlatformNotSupportedError;
/** @deprecated Use {@link PlatformNotSupportedError}. */
export type UnsupportedPlatformError = PlatformNotSupportedError;

/**
 * A Kubo node could not be reached over its RPC API (connection refused, timed out, wrong URL).
 *
 * @example
 * ```ts
 * import { KuboUnreachableError } from '@mhrchain/core';
 *
 * const error = new KuboUnreachableError({ url: 'http://127.0.0.1:5001' });
 * console.log(error.shortMessage); // 'Kubo node unreachable.'
 * ```
 */
export class KuboUnreachableError extends BaseError {
  static override name = 'KuboUnreachableError';
  override name = 'KuboUnreachableError';
  /** The RPC URL that did not answer. */
  readonly url: string;
  constructor(parameters: { url: string } & ErrorParameters) {
    const { url, ...rest } = parameters;
    super('Kubo node unreachable.', { ...rest, metaMessages: [`URL: ${url}`], docsPath: 'errors.md#storage' });
    this.url = url;
  }
}

/**
 * A Kubo node answered, but with an error or with something other than what was asked (a block under another CID,
 * a pin that is not there after pinning): the node is failing or misbehaving.
 *
 * @example
 * ```ts
 * import { KuboRpcError } from '@mhrchain/core';
 *
 * const error = new KuboRpcError({ call: 'block/put', details: 'answered bafy… for bafk…' });
 * console.log(error.shortMessage); // 'Kubo RPC call block/put failed.'
 * ```
 */
export class KuboRpcError extends BaseError {
  static override name = 'KuboRpcError';
  override name = 'KuboRpcError';
  /** The RPC call that failed (`block/put`, `pin/add`, …). */
  readonly call: string;
  constructor(parameters: { call: string } & ErrorParameters) {
    const { call, ...rest } = parameters;
    super(`Kubo RPC call ${call} failed.`, { ...rest, docsPath: 'errors.md#storage' });
    this.call = call;
  }
}

/**
 * Replicated storage could not reach its durability target: fewer than `k` nodes hold (or pinned) what was asked.
 * The writes that succeeded stay; calling the same operation again resumes (writes are idempotent).
 *
 * @example
 * ```ts
 * import { ReplicationError } from '@mhrchain/core';
 *
 * const error = new ReplicationError({ operation: 'pin', required: 2, succeeded: 1, nodes: 3 });
 * console.log(error.succeeded, 'of', error.required);
 * ```
 */
export class ReplicationError extends BaseError {
  static override name = 'ReplicationError';
  override name = 'ReplicationError';
  /** Nodes needed. */
  readonly required: number;
  /** Nodes that succeeded. */
  readonly succeeded: number;
  /** The DAG root of a `pin` or `unpin` that fell short: call the same operation on it again to resume. */
  readonly cid: CID | undefined;
  /** The operation that fell short (`put`, `pin`, `unpin`, `delete`). */
  readonly operation: string;
  constructor(parameters: {
    operation: string;
    required: number;
    succeeded: number;
    nodes: number;
    cid?: CID;
    cause?: unknown;
  }) {
    const { operation } = parameters;
    super(`Replicated ${operation} reached ${parameters.succeeded} of the ${parameters.required} nodes required.`, {
      cause: parameters.cause,
      details: `${parameters.succeeded}/${parameters.nodes} nodes succeeded, ${parameters.required} required${
        parameters.cid ? ` (${parameters.cid})` : ''
      }`,
      docsPath: 'errors.md#storage',
    });
    this.operation = operation;
    this.required = parameters.required;
    this.succeeded = parameters.succeeded;
    this.cid = parameters.cid;
  }
}

/**
 * A local Kubo daemon could not be started by `startKubo` (`@mhrchain/core/kubo`): no binary (run
 * `node packages/core/scripts/ensure-kubo.mjs` or set `KUBO_BINARY`), `ipfs init` failed, or the daemon exited or
 * did not become ready in time.
 *
 * @example
 * ```ts
 * import { KuboStartError } from '@mhrchain/core';
 *
 * const error = new KuboStartError('Kubo did not become ready in time.');
 * console.log(error.name); // 'KuboStartError'
 * ```
 */
export class KuboStartError extends BaseError {
  static override name = 'KuboStartError';
  override name = 'KuboStartError';
  constructor(shortMessage: string, parameters: ErrorParameters = {}) {
    super(shortMessage, { ...parameters, docsPath: 'errors.md#storage' });
  }
}

/**
 * A remote pinning service (IPFS Pinning Service API) refused a request, could not be reached, or reports that a pin
 * failed or did not complete in time.
 *
 * @example
 * ```ts
 * import { RemotePinningError } from '@mhrchain/core';
 *
 * const error = new RemotePinningError({ operation: 'pin', details: 'HTTP 401 from https://pinning.example.org' });
 * console.log(error.shortMessage); // 'Remote pinning: pin failed.'
 * ```
 */
export class RemotePinningError extends BaseError {
  static override name = 'RemotePinningError';
  override name = 'RemotePinningError';
  /** The request that failed (`pin`, `unpin`, `status`, …). */
  readonly operation: string;
  constructor(parameters: { operation: string } & ErrorParameters) {
    const { operation, ...rest } = parameters;
    super(`Remote pinning: ${operation} failed.`, { ...rest, docsPath: 'errors.md#storage' });
    this.operation = operation;
  }
}

/**
 * The identity key store was shredded: its secret key was destroyed and it will not produce that identity (nor a new
 * one) again.
 *
 * @example
 * ```ts
 * import { IdentityShreddedError } from '@mhrchain/core';
 *
 * const error = new IdentityShreddedError();
 * console.log(error.name); // 'IdentityShreddedError'
 * ```
 */
export class IdentityShreddedError extends BaseError {
  static override name = 'IdentityShreddedError';
  override name = 'IdentityShreddedError';
  constructor(parameters: ErrorParameters = {}) {
    super('The identity was shredded: its secret key no longer exists.', { ...parameters, docsPath: 'gdpr.md' });
  }
}
