import { BaseError } from '@mhrchain/core';

/**
 * A WFDB header, signal file or annotation file could not be read.
 *
 * @example
 * ```ts
 * import { parseWfdbHeader, WfdbFormatError } from '@mhrchain/ecg';
 *
 * try {
 *   parseWfdbHeader('');
 * } catch (error) {
 *   if (error instanceof WfdbFormatError) console.log(error.shortMessage);
 * }
 * ```
 */
export class WfdbFormatError extends BaseError {
  static override name = 'WfdbFormatError';
  override name = 'WfdbFormatError';
  constructor(shortMessage: string, details?: string) {
    super(shortMessage, { details, docsPath: 'errors.md#ecg-input' });
  }
}

/**
 * An ECG codec frame is malformed or truncated, so it cannot be decoded.
 *
 * @example
 * ```ts
 * import { decodeEcgFrame, EcgFrameError } from '@mhrchain/ecg';
 *
 * try {
 *   decodeEcgFrame(new Uint8Array([1, 2, 3]));
 * } catch (error) {
 *   if (error instanceof EcgFrameError) console.log(error.shortMessage);
 * }
 * ```
 */
export class EcgFrameError extends BaseError {
  static override name = 'EcgFrameError';
  override name = 'EcgFrameError';
  constructor(shortMessage: string, details?: string) {
    super(shortMessage, { details, docsPath: 'spec/ecg-codec.md' });
  }
}

/**
 * Parameters given to an ECG encoder, filter, detector or alert monitor are invalid
 * (for instance a sample outside the declared bit depth, or a frame duration of zero).
 *
 * @example
 * ```ts
 * import { encodeEcg, EcgParameterError } from '@mhrchain/ecg';
 *
 * try {
 *   encodeEcg(new Int32Array([1, 2]), { sampleRate: 0, channels: 1 });
 * } catch (error) {
 *   if (error instanceof EcgParameterError) console.log(error.shortMessage);
 * }
 * ```
 */
export class EcgParameterError extends BaseError {
  static override name = 'EcgParameterError';
  override name = 'EcgParameterError';
  constructor(shortMessage: string, details?: string) {
    super(shortMessage, { details, docsPath: 'errors.md#ecg-input' });
  }
}

/**
 * A filter cannot be designed as asked (cutoff at or above Nyquist, non-positive frequency, band edges reversed).
 *
 * @example
 * ```ts
 * import { designButterworth, FilterDesignError } from '@mhrchain/ecg';
 *
 * try {
 *   designButterworth({ type: 'lowpass', cutoff: 200, sampleRate: 360 });
 * } catch (error) {
 *   if (error instanceof FilterDesignError) console.log(error.shortMessage);
 * }
 * ```
 */
export class FilterDesignError extends BaseError {
  static override name = 'FilterDesignError';
  override name = 'FilterDesignError';
  constructor(shortMessage: string, details?: string) {
    super(shortMessage, { details, docsPath: 'errors.md#ecg-input' });
  }
}
