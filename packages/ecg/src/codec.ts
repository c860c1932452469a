import { InvalidEcgFrameError, InvalidEcgParametersError } from './errors.js';
import {
  checkFrameParameters,
  checkFrameSampleCount,
  decodeFrameAt,
  ECG_FRAME_VERSION,
  type EcgFrameHeader,
  type EncodeEcgFrameParameters,
  encodeEcgFrame,
  type FrameFields,
  type ParsedHeader,
  parseFrameAt,
} from './frame.js';
import { appendFramePair, decodeFramePairAt } from './framePair.js';
import { ByteWriter } from './internal/byteWriter.js';

/** Parameters of {@link encodeEcg} and {@link createEcgEncoderStream}. */
export interface EncodeEcgParameters extends EncodeEcgFrameParameters {
  /** Samples per channel in each frame (default: one second, `sampleRate`). */
  frameSamples?: number;
  /**
   * Device clock at sample index `firstSampleIndex`, in ms since the Unix epoch. Each frame then carries
   * `timestamp + round((frameFirstIndex - firstSampleIndex) * 1000 / sampleRate)`.
   */
  timestamp?: number;
}

/** @internal Resolves the frame length in samples per channel. */
export function frameSamplesOf(parameters: EncodeEcgParameters): number {
  const frameSamples = parameters.frameSamples ?? parameters.sampleRate;
  if (!Number.isSafeInteger(frameSamples) || frameSamples < 1) {
    throw new InvalidEcgParametersError('Frame length must be a positive integer number of samples.', {
      details: String(frameSamples),
    });
  }
  return frameSamples;
}

/** @internal The timestamp of the frame starting `offset` samples after the first. */
export function frameTimestamp(parameters: EncodeEcgParameters, offset: number): number | undefined {
  if (parameters.timestamp === undefined) return undefined;
  return parameters.timestamp + Math.round((offset * 1000) / parameters.sampleRate);
}

/**
 * Encodes interleaved samples into a sequence of self-describing frames (concatenated), one second each by default.
 *
 * @example
 * ```ts
 * import { decodeEcg, encodeEcg } from '@mhrchain/ecg';
 *
 * const samples = new Int16Array(3600 * 2).map((_, i) => (i * 7) % 50);
 * const bytes = encodeEcg(samples, { sampleRate: 360, channels: 2, bitDepth: 12 });
 * decodeEcg(bytes).samples; // equal to samples
 * ```
 */
export function encodeEcg(samples: Int32Array | Int16Array, parameters: EncodeEcgParameters): Uint8Array {
  const bitDepth = checkFrameParameters(parameters);
  const frameSamples = frameSamplesOf(parameters);
  const { channels } = parameters;
  if (samples.length % channels !== 0) {
    throw new InvalidEcgParametersError('Sample count is not a multiple of the channel count.', {
      details: `${samples.length}`,
    });
  }
  const total = samples.length / channels;
  checkFrameSampleCount(Math.min(frameSamples, total) * channels);
  const first = parameters.firstSampleIndex ?? 0;
  // Every frame goes straight into one output (about half a byte per sample at 12 bits; it grows if needed).
  const writer = new ByteWriter(samples.length * 0.6 + 64 * Math.ceil(total / frameSamples));
  const fieldsAt = (start: number, fields: FrameFields): FrameFields => {
    fields.sampleCount = Math.min(frameSamples, total - start);
    fields.firstSampleIndex = first + start;
    fields.timestamp = frameTimestamp(parameters, start);
    return fields;
  };
  const fieldsOf = (): FrameFields => ({
    channels,
    sampleRate: parameters.sampleRate,
    sampleCount: 0,
    firstSampleIndex: 0,
    timestamp: undefined,
    bitDepth,
    version: parameters.version ?? ECG_FRAME_VERSION,
  });
  const fields = fieldsOf();
  const fields2 = fieldsOf();
  let start = 0;
  // Two full frames at a time (the same bytes as one at a time, faster with WebAssembly).
  for (; start + 2 * frameSamples <= total; start += 2 * frameSamples) {
    const a = fieldsAt(start, fields);
    appendFramePair(writer, samples, start * channels, a, fieldsAt(start + frameSamples, fields2));
  }
  for (; start < total; start += frameSamples) {
    const a = fieldsAt(start, fields);
    writer.append(encodeEcgFrame(samples.subarray(start * channels, (start + a.sampleCount) * channels), a));
  }
  return writer.result();
}

/** Result of {@link decodeEcg}. */
export interface DecodeEcgReturnType {
  /** Interleaved samples of all frames, in order. */
  samples: Int32Array;
  /** Channel count (the same in every frame). */
  channels: number;
  /** Sample rate (the same in every frame). */
  sampleRate: number;
  /** Index of the first sample. */
  firstSampleIndex: number;
  /** Every frame's header, in order. */
  frames: EcgFrameHeader[];
}

/**
 * Decodes a sequence of concatenated frames that form one contiguous recording (same rate and channels, each frame
 * starting where the previous ended). Throws {@link InvalidEcgFrameError} otherwise.
 *
 * @example
 * ```ts
 * import { decodeEcg, encodeEcg } from '@mhrchain/ecg';
 *
 * const bytes = encodeEcg(new Int32Array([5, 6, 7, 8]), { sampleRate: 2, channels: 1, frameSamples: 2 });
 * decodeEcg(bytes).frames.length; // 2
 * ```
 */
export function decodeEcg(bytes: Uint8Array): DecodeEcgReturnType {
  // First the headers (to check continuity and size the output), then every body straight into its place.
  const parsedFrames: ParsedHeader[] = [];
  const starts: number[] = [];
  let pos = 0;
  let total = 0;
  while (pos < bytes.length) {
    const parsed = parseFrameAt(bytes, pos, bytes.length);
    const h = parsed.header;
    const previous = parsedFrames[parsedFrames.length - 1]?.header;
    if (previous) {
      if (h.channels !== previous.channels || h.sampleRate !== previous.sampleRate) {
        throw new InvalidEcgFrameError('ECG frames change channel count or sample rate mid-recording.');
      }
      if (h.firstSampleIndex !== previous.firstSampleIndex + previous.sampleCount) {
        throw new InvalidEcgFrameError('ECG frames are not contiguous.', {
          details: `expected ${previous.firstSampleIndex + previous.sampleCount}, got ${h.firstSampleIndex}`,
        });
      }
    }
    parsedFrames.push(parsed);
    starts.push(pos);
    total += h.sampleCount * h.channels;
    pos += parsed.frameLength;
  }
  const samples = new Int32Array(total);
  let offset = 0;
  // Two frames at a time (the same samples and errors as one at a time, faster with WebAssembly).
  for (let f = 0; f < parsedFrames.length; f += 2) {
    const parsed = parsedFrames[f]!;
    const next = parsedFrames[f + 1];
    const count = parsed.header.sampleCount * parsed.header.channels;
    if (next) {
      decodeFramePairAt(bytes, starts[f]!, parsed, starts[f + 1]!, next, samples, offset);
      offset += count + next.header.sampleCount * next.header.channels;
    } else {
      decodeFrameAt(bytes, starts[f]!, bytes.length, samples.subarray(offset, offset + count), parsed);
      offset += count;
    }
  }
  const frames = parsedFrames.map((parsed) => parsed.header);
  const first = frames[0];
  return {
    samples,
    channels: first?.channels ?? 0,
    sampleRate: first?.sampleRate ?? 0,
    firstSampleIndex: first?.firstSampleIndex ?? 0,
    frames,
  };
}
