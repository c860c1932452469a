import type { CID } from 'multiformats/cid';
import { BaseError } from './baseError.js';

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
  constructor(shortMessage: string, parameters: { cause?: unknown; details?: string } = {}) {
    super(shortMessage, { ...parameters, docsPath: 'spec/envelope.md' });
  }
}

/**
 * The parameters of a call are invalid (missing data, no recipients, wrong types).
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
  constructor(shortMessage: string, parameters: { cause?: unknown; details?: string } = {}) {
    super(shortMessage, parameters);
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
  constructor(shortMessage: string, parameters: { cause?: unknown; details?: string } = {}) {
    super(shortMessage, { ...parameters, docsPath: 'spec/envelope.md' });
  }
}

/**
 * A block is not in the storage (or no gateway could provide it).
 *
 * @example
 * ```ts
 * import { BlockNotFoundError } from '@mhrchain/core';
 *
 * const error = new BlockNotFoundError('bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy');
 * console.log(error.details);
 * ```
 */
export class BlockNotFoundError extends BaseError {
  static override name = 'BlockNotFoundError';
  override name = 'BlockNotFoundError';
  constructor(cid: string, parameters: { cause?: unknown } = {}) {
    super('Block not found.', { ...parameters, details: cid });
  }
}

/**
 * A write (put, pin, import) was attempted on a read-only storage, such as gateway storage.
 *
 * @example
 * ```ts
 * import { ReadOnlyStorageError } from '@mhrchain/core';
 *
 * const error = new ReadOnlyStorageError('put');
 * console.log(error.shortMessage); // 'Storage is read-only.'
 * ```
 */
export class ReadOnlyStorageError extends BaseError {
  static override name = 'ReadOnlyStorageError';
  override name = 'ReadOnlyStorageError';
  constructor(operation: string) {
    super('Storage is read-only.', { details: `operation: ${operation}` });
  }
}

/**
 * A block received from storage or a gateway does not hash to its CID, or is otherwise invalid.
 *
 * @example
 * ```ts
 * import { InvalidBlockError } from '@mhrchain/core';
 *
 * const error = new InvalidBlockError('hash mismatch');
 * console.log(error.shortMessage); // 'Invalid block.'
 * ```
 */
export class InvalidBlockError extends BaseError {
  static override name = 'InvalidBlockError';
  override name = 'InvalidBlockError';
  constructor(details: string, parameters: { cause?: unknown } = {}) {
    super('Invalid block.', { ...parameters, details });
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
  constructor(details: string, parameters: { cause?: unknown } = {}) {
    super('Invalid envelope.', { ...parameters, details, docsPath: 'spec/envelope.md' });
  }
}

/**
 * The function needs what this platform does not have (for example a filesystem for the embedded IPFS node in a
 * browser).
 *
 * @example
 * ```ts
 * import { UnsupportedPlatformError } from '@mhrchain/core';
 *
 * const error = new UnsupportedPlatformError('createHeliaStorage', 'no filesystem in browsers');
 * console.log(error.shortMessage); // 'createHeliaStorage is not available on this platform.'
 * ```
 */
export class UnsupportedPlatformError extends BaseError {
  static override name = 'UnsupportedPlatformError';
  override name = 'UnsupportedPlatformError';
  constructor(operation: string, details: string) {
    super(`${operation} is not available on this platform.`, { details });
  }
}

/**
 * A Kubo node could not be reached over its RPC API (connection refused, timed out, wrong URL).
 *
 * @example
 * ```ts
 * import { KuboUnreachableError } from '@mhrchain/core';
 *
 * const error = new KuboUnreachableError('http://127.0.0.1:5001');
 * console.log(error.shortMessage); // 'Kubo node unreachable.'
 * ```
 */
export class KuboUnreachableError extends BaseError {
  static override name = 'KuboUnreachableError';
  override name = 'KuboUnreachableError';
  constructor(url: string, parameters: { cause?: unknown } = {}) {
    super('Kubo node unreachable.', { ...parameters, metaMessages: [`URL: ${url}`] });
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
 * const error = new KuboRpcError('block/put', 'answered bafy… for bafk…');
 * console.log(error.shortMessage); // 'Kubo RPC call block/put failed.'
 * ```
 */
export class KuboRpcError extends BaseError {
  static override name = 'KuboRpcError';
  override name = 'KuboRpcError';
  constructor(call: string, details: string, parameters: { cause?: unknown } = {}) {
    super(`Kubo RPC call ${call} failed.`, { ...parameters, details });
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
 * const error = new ReplicationError('pin', { required: 2, succeeded: 1, nodes: 3 });
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
  constructor(
    operation: string,
    parameters: { required: number; succeeded: number; nodes: number; cid?: CID; cause?: unknown },
  ) {
    super(`Replicated ${operation} reached ${parameters.succeeded} of the ${parameters.required} nodes required.`, {
      cause: parameters.cause,
      details: `${parameters.succeeded}/${parameters.nodes} nodes succeeded, ${parameters.required} required${
        parameters.cid ? ` (${parameters.cid})` : ''
      }`,
    });
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
  constructor(shortMessage: string, parameters: { cause?: unknown; details?: string } = {}) {
    super(shortMessage, parameters);
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
 * const error = new RemotePinningError('pin', { details: 'HTTP 401 from https://pinning.example.org' });
 * console.log(error.shortMessage); // 'Remote pinning: pin failed.'
 * ```
 */
export class RemotePinningError extends BaseError {
  static override name = 'RemotePinningError';
  override name = 'RemotePinningError';
  constructor(operation: string, parameters: { cause?: unknown; details?: string } = {}) {
    super(`Remote pinning: ${operation} failed.`, parameters);
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
  constructor(parameters: { cause?: unknown; details?: string } = {}) {
    super('The identity was shredded: its secret key no longer exists.', { ...parameters, docsPath: 'gdpr.md' });
  }
}
