import { BaseError, type ErrorParameters, InvalidParametersError } from '@mhrchain/core';

/** Why a message on a live stream topic was rejected. */
export type LiveMessageRejection =
  /** Not a live stream message at all, or truncated. */
  | 'malformed'
  /** A well-formed message for another stream. */
  | 'foreign-stream'
  /** A key announcement whose signature is not the stream device's. */
  | 'bad-signature'
  /** A frame whose authentication failed (tampered, injected, or sealed under another key). */
  | 'bad-frame'
  /** A frame of an epoch whose key this subscriber does not hold (not, or no longer, authorised). */
  | 'no-key'
  /** A frame sequence number already seen: a replay. */
  | 'replay'
  /** A frame older than the newest one seen and not seen before: reordered or delayed. */
  | 'late'
  /** A key announcement for an epoch older than the current one. */
  | 'stale-epoch'
  /** The frame decrypted but its ECG payload could not be decoded. */
  | 'undecodable';

/**
 * A message on a live stream topic was rejected. The stream goes on; the subscription counts these by
 * {@link LiveMessageRejectedError.reason}.
 *
 * @example
 * ```ts
 * import { LiveMessageRejectedError } from '@mhrchain/ecg/live';
 *
 * const error = new LiveMessageRejectedError({ reason: 'replay', details: 'sequence 41' });
 * console.log(error.reason); // 'replay'
 * ```
 */
export class LiveMessageRejectedError extends BaseError {
  static override name = 'LiveMessageRejectedError';
  override name = 'LiveMessageRejectedError';
  /** Why the message was rejected. */
  readonly reason: LiveMessageRejection;
  constructor(parameters: { reason: LiveMessageRejection } & ErrorParameters) {
    const { reason, ...rest } = parameters;
    super(`Live stream message rejected: ${reason}.`, {
      ...rest,
      docsPath: 'live-streaming.md#what-the-doctors-side-checks',
    });
    this.reason = reason;
  }
}

/** @deprecated Use {@link LiveMessageRejectedError} (renamed to follow `docs/errors.md#conventions`). */
export const LiveMessageError = LiveMessageRejectedError;
/** @deprecated Use {@link LiveMessageRejectedError}. */
export type LiveMessageError = LiveMessageRejectedError;

/**
 * The subscriber's identity is not among the recipients of the stream's current key: it may not read the stream.
 *
 * @example
 * ```ts
 * import { LiveAccessDeniedError } from '@mhrchain/ecg/live';
 *
 * const error = new LiveAccessDeniedError({ epoch: 3 });
 * console.log(error.epoch); // 3
 * ```
 */
export class LiveAccessDeniedError extends BaseError {
  static override name = 'LiveAccessDeniedError';
  override name = 'LiveAccessDeniedError';
  /** The key epoch this identity cannot open. */
  readonly epoch: number;
  constructor(parameters: { epoch: number }) {
    super('This identity is not authorised for the stream key.', {
      details: `epoch ${parameters.epoch}`,
      docsPath: 'live-streaming.md#keys',
    });
    this.epoch = parameters.epoch;
  }
}

/**
 * Parameters given to a live stream function are invalid. Extends `InvalidParametersError` from `@mhrchain/core`.
 *
 * @example
 * ```ts
 * import { InvalidLiveParametersError } from '@mhrchain/ecg/live';
 *
 * console.log(new InvalidLiveParametersError('frameSamples must be positive.').shortMessage);
 * ```
 */
export class InvalidLiveParametersError extends InvalidParametersError {
  static override name = 'InvalidLiveParametersError';
  override name = 'InvalidLiveParametersError';
  constructor(shortMessage: string, parameters: ErrorParameters = {}) {
    super(shortMessage, { ...parameters, docsPath: 'errors.md#live-streaming' });
  }
}

/** @deprecated Use {@link InvalidLiveParametersError} (renamed to follow `docs/errors.md#conventions`). */
export const LiveParameterError = InvalidLiveParametersError;
/** @deprecated Use {@link InvalidLiveParametersError}. */
export type LiveParameterError = InvalidLiveParametersError;

/**
 * The transport failed: could not connect, publish or subscribe, or is closed.
 *
 * @example
 * ```ts
 * import { LiveTransportError } from '@mhrchain/ecg/live';
 *
 * console.log(new LiveTransportError('Transport closed.').shortMessage);
 * ```
 */
export class LiveTransportError extends BaseError {
  static override name = 'LiveTransportError';
  override name = 'LiveTransportError';
  constructor(shortMessage: string, parameters: ErrorParameters = {}) {
    super(shortMessage, { ...parameters, docsPath: 'live-streaming.md#transport' });
  }
}

/**
 * A local Mosquitto broker could not be started.
 *
 * @example
 * ```ts
 * import { MosquittoStartError } from '@mhrchain/ecg/live';
 *
 * console.log(new MosquittoStartError('mosquitto exited.').shortMessage);
 * ```
 */
export class MosquittoStartError extends BaseError {
  static override name = 'MosquittoStartError';
  override name = 'MosquittoStartError';
  constructor(shortMessage: string, parameters: ErrorParameters = {}) {
    super(shortMessage, { ...parameters, docsPath: 'live-streaming.md#transport' });
  }
}

/**
 * An archived segment failed verification: its CID is not in the anchored batch, the batch is not on chain, or
 * its content does not match.
 *
 * @example
 * ```ts
 * import { SegmentVerificationError } from '@mhrchain/ecg/live';
 *
 * console.log(new SegmentVerificationError('Batch not anchored.').shortMessage);
 * ```
 */
export class SegmentVerificationError extends BaseError {
  static override name = 'SegmentVerificationError';
  override name = 'SegmentVerificationError';
  constructor(shortMessage: string, parameters: ErrorParameters = {}) {
    super(shortMessage, { ...parameters, docsPath: 'live-streaming.md#archive-and-anchors' });
  }
}
