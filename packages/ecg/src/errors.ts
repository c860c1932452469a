import { BaseError, type ErrorParameters, InvalidParametersError } from '@mhrchain/core';

/**
 * A WFDB header, signal file or annotation file could not be read (unsupported format, bad field, truncated file).
 *
 * @example
 * ```ts
 * import { InvalidWfdbFileError, parseWfdbHeader } from '@mhrchain/ecg';
 *
 * try {
 *   parseWfdbHeader('');
 * } catch (error) {
 *   if (error instanceof InvalidWfdbFileError) console.log(error.shortMessage);
 * }
 * ```
 */
export class InvalidWfdbFileError extends BaseError {
  static override name = 'InvalidWfdbFileError';
  override name = 'InvalidWfdbFileError';
  constructor(shortMessage: string, parameters: ErrorParameters = {}) {
    super(shortMessage, { ...parameters, docsPath: 'errors.md#ecg-input' });
  }
}

/** @deprecated Use {@link InvalidWfdbFileError} (renamed to follow `docs/errors.md#conventions`). */
export const WfdbFormatError = InvalidWfdbFileError;
/** @deprecated Use {@link InvalidWfdbFileError}. */
export type WfdbFormatError = InvalidWfdbFileError;

/**
 * An ECG codec frame is malformed or truncated, so it cannot be decoded.
 *
 * @example
 * ```ts
 * import { decodeEcgFrame, InvalidEcgFrameError } from '@mhrchain/ecg';
 *
 * try {
 *   decodeEcgFrame(new Uint8Array([1, 2, 3]));
 * } catch (error) {
 *   if (error instanceof InvalidEcgFrameError) console.log(error.shortMessage);
 * }
 * ```
 */
export class InvalidEcgFrameError extends BaseError {
  static override name = 'InvalidEcgFrameError';
  override name = 'InvalidEcgFrameError';
  constructor(shortMessage: string, parameters: ErrorParameters = {}) {
    super(shortMessage, { ...parameters, docsPath: 'spec/ecg-codec.md#1-frame-layout' });
  }
}

/** @deprecated Use {@link InvalidEcgFrameError} (renamed to follow `docs/errors.md#conventions`). */
export const EcgFrameError = InvalidEcgFrameError;
/** @deprecated Use {@link InvalidEcgFrameError}. */
export type EcgFrameError = InvalidEcgFrameError;

/**
 * Parameters given to an ECG encoder, filter, detector or alert monitor are invalid (for instance a sample outside
 * the declared bit depth, or a frame duration of zero). Extends `InvalidParametersError` from `@mhrchain/core`.
 *
 * @example
 * ```ts
 * import { encodeEcg, InvalidEcgParametersError } from '@mhrchain/ecg';
 *
 * try {
 *   encodeEcg(new Int32Array([1, 2]), { sampleRate: 0, channels: 1 });
 * } catch (error) {
 *   if (error instanceof InvalidEcgParametersError) console.log(error.shortMessage);
 * }
 * ```
 */
export class InvalidEcgParametersError extends InvalidParametersError {
  static override name = 'InvalidEcgParametersError';
  override name = 'InvalidEcgParametersError';
  constructor(shortMessage: string, parameters: ErrorParameters = {}) {
    super(shortMessage, { ...parameters, docsPath: 'errors.md#ecg-input' });
  }
}

/** @deprecated Use {@link InvalidEcgParametersError} (renamed to follow `docs/errors.md#conventions`). */
export const EcgParameterError = InvalidEcgParametersError;
/** @deprecated Use {@link InvalidEcgParametersError}. */
export type EcgParameterError = InvalidEcgParametersError;

/**
 * A filter cannot be designed as asked (cutoff at or above Nyquist, non-positive frequency, band edges reversed).
 * A kind of {@link InvalidEcgParametersError}.
 *
 * @example
 * ```ts
 * import { designButterworth, InvalidFilterParametersError } from '@mhrchain/ecg';
 *
 * try {
 *   designButterworth({ type: 'lowpass', cutoff: 200, sampleRate: 360 });
 * } catch (error) {
 *   if (error instanceof InvalidFilterParametersError) console.log(error.shortMessage);
 * }
 * ```
 */
export class InvalidFilterParametersError extends InvalidEcgParametersError {
  static override name = 'InvalidFilterParametersError';
  override name = 'InvalidFilterParametersError';
}

/** @deprecated Use {@link InvalidFilterParametersError} (renamed to follow `docs/errors.md#conventions`). */
export const FilterDesignError = InvalidFilterParametersError;
/** @deprecated Use {@link InvalidFilterParametersError}. */
export type FilterDesignError = InvalidFilterParametersError;
