import { InvalidEcgFrameError, InvalidEcgParametersError } from './errors.js';
import type { ByteWriter } from './internal/byteWriter.js';
import { crc16 } from './internal/crc16.js';
import {
  type BodyState,
  chooseOrders,
  createBodyState,
  decodeBody,
  decodeBodyV3,
  encodeBody,
  encodeBodyV3,
} from './internal/frameBody.js';
import { decodeBodyWasm, encodeBodyWasm } from './internal/frameBodyWasm.js';
import { RangeDecoder, RangeEncoder } from './internal/rangeCoder.js';
import { readVarint, type VarintCursor, varintLength, writeVarint } from './internal/varint.js';

/** Format version written by this package by default. */
export const ECG_FRAME_VERSION = 3;
/** Format versions this package reads and writes (see docs/spec/ecg-codec.md). */
export const ECG_FRAME_VERSIONS: readonly number[] = [2, 3];
/** Most channels a frame may carry. */
export const ECG_MAX_CHANNELS = 256;
/** Most samples (all channels together) a frame may carry. */
export const ECG_MAX_FRAME_SAMPLES = 1 << 21;

const MAGIC = 0xe0;
const FLAG_TIMESTAMP = 0x80;
const FLAG_COUNT_IS_RATE = 0x40;
/** Version 2: reserved. Version 3: `first_sample_index` is written divided by the sample count. */
const FLAG_RESERVED = 0x20;
const FLAG_INDEX_IN_FRAMES = 0x20;

/** What every ECG frame says about itself. */
export interface EcgFrameHeader {
  /** Format version (2 or 3). */
  version: number;
  /** Samples per second per channel (integer Hz). */
  sampleRate: number;
  /** Number of channels (leads), interleaved. */
  channels: number;
  /** Bits per sample, 8..24; samples are signed two's complement in that range. */
  bitDepth: number;
  /** Samples per channel in this frame. */
  sampleCount: number;
  /** Index (per channel) of the frame's first sample since the start of the recording. */
  firstSampleIndex: number;
  /** Device clock at the first sample, milliseconds since the Unix epoch, when the device gave one. */
  timestamp: number | undefined;
}

/** A decoded frame. */
export interface EcgFrame {
  /** The frame's header. */
  header: EcgFrameHeader;
  /** Interleaved samples: `samples[t * channels + c]`. */
  samples: Int32Array;
  /** Bytes the frame occupied. */
  byteLength: number;
}

/** Parameters of {@link encodeEcgFrame}. */
export interface EncodeEcgFrameParameters {
  /** Samples per second per channel (positive integer). */
  sampleRate: number;
  /** Number of interleaved channels. */
  channels: number;
  /** Bits per sample, 8..24 (default 16). */
  bitDepth?: number;
  /** Index of the first sample since the start of the recording (default 0). */
  firstSampleIndex?: number;
  /** Device clock at the first sample in ms since the Unix epoch (optional). */
  timestamp?: number;
  /**
   * Frame version to write (default {@link ECG_FRAME_VERSION}, 3). Version 2 codes the same samples about 2 %
   * larger and decodes them about half as fast; write it only for readers that know no later version.
   */
  version?: 2 | 3;
}

function checkUint(value: number, what: string, min = 0): void {
  if (!Number.isSafeInteger(value) || value < min)
    throw new InvalidEcgParametersError(`Invalid ${what}.`, { details: String(value) });
}

/** Validates frame parameters and returns the bit depth. @internal */
export function checkFrameParameters(parameters: EncodeEcgFrameParameters): number {
  const bitDepth = parameters.bitDepth ?? 16;
  checkUint(parameters.sampleRate, 'sample rate', 1);
  checkUint(parameters.channels, 'channel count', 1);
  if (parameters.channels > ECG_MAX_CHANNELS) {
    throw new InvalidEcgParametersError('Too many channels.', {
      details: `${parameters.channels} > ${ECG_MAX_CHANNELS}`,
    });
  }
  if (!Number.isInteger(bitDepth) || bitDepth < 8 || bitDepth > 24) {
    throw new InvalidEcgParametersError('Bit depth must be an integer from 8 to 24.', { details: String(bitDepth) });
  }
  checkUint(parameters.firstSampleIndex ?? 0, 'first sample index');
  if (parameters.timestamp !== undefined) checkUint(parameters.timestamp, 'timestamp');
  const version = parameters.version;
  if (version !== undefined && !ECG_FRAME_VERSIONS.includes(version)) {
    throw new InvalidEcgParametersError('Unsupported ECG frame version.', { details: String(version) });
  }
  return bitDepth;
}

const sharedState: BodyState = createBodyState();

function outsideBitDepth(x: Int32Array, i: number, bitDepth: number): InvalidEcgParametersError {
  return new InvalidEcgParametersError(`Sample outside the ${bitDepth}-bit range.`, {
    details: `samples[${i}] = ${x[i]}`,
  });
}

/** The JavaScript body encoder (where WebAssembly is unavailable). */
function encodeBodyJs(x: Int32Array, channels: number, n: number, bitDepth: number, version: number): Uint8Array {
  if (version === 3) return encodeBodyV3(sharedState, x, channels, n, bitDepth, chooseOrders(x, channels, n));
  const rc = new RangeEncoder(new Uint8Array(64 + Math.ceil(x.length * 1.5)), 0);
  encodeBody(rc, sharedState, x, channels, n, bitDepth, chooseOrders(x, channels, n));
  // finish() may grow the buffer: read `rc.buf` only after it.
  const length = rc.finish();
  return rc.buf.subarray(0, length);
}

/**
 * Encodes one frame of interleaved samples losslessly. The frame is self-describing and decodable on its own.
 *
 * @example
 * ```ts
 * import { decodeEcgFrame, encodeEcgFrame } from '@mhrchain/ecg';
 *
 * const samples = new Int32Array(720).map((_, i) => Math.round(100 * Math.sin(i / 20)));
 * const frame = encodeEcgFrame(samples, { sampleRate: 360, channels: 2, bitDepth: 12, timestamp: Date.now() });
 * decodeEcgFrame(frame).samples; // equal to samples
 * ```
 */
export function encodeEcgFrame(samples: Int32Array | Int16Array, parameters: EncodeEcgFrameParameters): Uint8Array {
  const { bitDepth, n, x } = checkFrameSamples(samples, parameters);
  const { channels } = parameters;
  const version = parameters.version ?? ECG_FRAME_VERSION;
  // Body first (its length goes in the header); the WebAssembly encoder also checks the samples' range.
  let body = encodeBodyWasm(x, channels, n, bitDepth, version);
  if (typeof body === 'number') throw outsideBitDepth(x, body, bitDepth);
  if (body === undefined) {
    const lo = -(2 ** (bitDepth - 1));
    const hi = 2 ** (bitDepth - 1) - 1;
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      if (v < lo || v > hi) throw outsideBitDepth(x, i, bitDepth);
    }
    body = encodeBodyJs(x, channels, n, bitDepth, version);
  }
  return frameOfBody(body, n, parameters, bitDepth);
}

/** @internal Refuses a frame of more than {@link ECG_MAX_FRAME_SAMPLES} samples (all channels together). */
export function checkFrameSampleCount(count: number): void {
  if (count > ECG_MAX_FRAME_SAMPLES) {
    throw new InvalidEcgParametersError('Too many samples for one frame.', {
      details: `${count} > ${ECG_MAX_FRAME_SAMPLES}`,
    });
  }
}

/**
 * Checks a frame's parameters and sample count; returns the bit depth, the number of sample sets and the samples as
 * an `Int32Array`.
 */
function checkFrameSamples(
  samples: Int32Array | Int16Array,
  parameters: EncodeEcgFrameParameters,
): { bitDepth: number; n: number; x: Int32Array } {
  const bitDepth = checkFrameParameters(parameters);
  const { channels } = parameters;
  if (samples.length % channels !== 0) {
    throw new InvalidEcgParametersError('Sample count is not a multiple of the channel count.', {
      details: `${samples.length}`,
    });
  }
  checkFrameSampleCount(samples.length);
  const x = samples instanceof Int32Array ? samples : Int32Array.from(samples);
  return { bitDepth, n: samples.length / channels, x };
}

/** @internal What a frame header says besides its body length (parameters already checked). */
export interface FrameFields {
  channels: number;
  sampleRate: number;
  /** Samples per channel. */
  sampleCount: number;
  firstSampleIndex: number;
  timestamp: number | undefined;
  bitDepth: number;
  /** Frame version (2 or 3). */
  version: 2 | 3;
}

/** Whether a version-3 frame writes its first sample index in frames (a whole number of its sample count). */
function indexInFrames(fields: FrameFields): boolean {
  return fields.version === 3 && fields.sampleCount > 0 && fields.firstSampleIndex % fields.sampleCount === 0;
}

/** The first sample index as the header writes it. */
function storedIndex(fields: FrameFields): number {
  return indexInFrames(fields) ? fields.firstSampleIndex / fields.sampleCount : fields.firstSampleIndex;
}

function headerLengthOf(fields: FrameFields, bodyLength: number): number {
  const { channels, sampleRate, sampleCount, timestamp } = fields;
  return (
    2 +
    varintLength(channels) +
    varintLength(sampleRate) +
    (sampleCount === sampleRate ? 0 : varintLength(sampleCount)) +
    varintLength(storedIndex(fields)) +
    (timestamp !== undefined ? varintLength(timestamp) : 0) +
    varintLength(bodyLength)
  );
}

/**
 * @internal Writes the frame of the body `source[bodyStart, bodyStart + bodyLength)` (header, body, checksum) into
 * `out` at `start`, which must have room for it, and returns where the frame ends.
 */
function writeFrameAt(
  out: Uint8Array,
  start: number,
  fields: FrameFields,
  source: Uint8Array,
  bodyStart: number,
  bodyLength: number,
): number {
  const { channels, sampleRate, sampleCount, timestamp } = fields;
  const countIsRate = sampleCount === sampleRate;
  let flags = fields.bitDepth - 8;
  if (timestamp !== undefined) flags |= FLAG_TIMESTAMP;
  if (countIsRate) flags |= FLAG_COUNT_IS_RATE;
  if (indexInFrames(fields)) flags |= FLAG_INDEX_IN_FRAMES;
  out[start] = MAGIC | fields.version;
  out[start + 1] = flags;
  let pos = writeVarint(out, start + 2, channels);
  pos = writeVarint(out, pos, sampleRate);
  if (!countIsRate) pos = writeVarint(out, pos, sampleCount);
  pos = writeVarint(out, pos, storedIndex(fields));
  if (timestamp !== undefined) pos = writeVarint(out, pos, timestamp);
  pos = writeVarint(out, pos, bodyLength);
  // A plain loop: a view per frame would be the encoder's main garbage.
  for (let i = 0; i < bodyLength; i++) out[pos + i] = source[bodyStart + i]!;
  pos += bodyLength;
  const crc = crc16(out, start, pos);
  out[pos] = crc >>> 8;
  out[pos + 1] = crc & 0xff;
  return pos + 2;
}

/** @internal Appends the frame of the body `source[bodyStart, bodyStart + bodyLength)` to `writer`. */
export function appendFrame(
  writer: ByteWriter,
  fields: FrameFields,
  source: Uint8Array,
  bodyStart: number,
  bodyLength: number,
): void {
  const length = headerLengthOf(fields, bodyLength) + bodyLength + 2;
  writer.length = writeFrameAt(writer.reserve(length), writer.length, fields, source, bodyStart, bodyLength);
}

/** The fields of a frame of `n` sample sets with these (checked) parameters and bit depth. */
function frameFieldsOf(n: number, parameters: EncodeEcgFrameParameters, bitDepth: number): FrameFields {
  return {
    channels: parameters.channels,
    sampleRate: parameters.sampleRate,
    sampleCount: n,
    firstSampleIndex: parameters.firstSampleIndex ?? 0,
    timestamp: parameters.timestamp,
    bitDepth,
    version: parameters.version ?? ECG_FRAME_VERSION,
  };
}

/**
 * The frame of an encoded body of `n` sample sets: header, body and checksum. `parameters` have been checked, and
 * `bitDepth` is what {@link checkFrameParameters} returned for them.
 */
function frameOfBody(body: Uint8Array, n: number, parameters: EncodeEcgFrameParameters, bitDepth: number): Uint8Array {
  const fields = frameFieldsOf(n, parameters, bitDepth);
  const out = new Uint8Array(headerLengthOf(fields, body.length) + body.length + 2);
  writeFrameAt(out, 0, fields, body, 0, body.length);
  return out;
}

/** @internal Result of reading a frame header: the header, where the body starts, and the total frame length. */
export interface ParsedHeader {
  header: EcgFrameHeader;
  bodyStart: number;
  bodyLength: number;
  frameLength: number;
}

/** The varint field at `cursor`: its value, or -1 when more bytes are needed; throws when it is invalid. */
function field(bytes: Uint8Array, cursor: VarintCursor, end: number, what: string): number {
  const value = readVarint(bytes, cursor, end);
  if (value === -2) throw new InvalidEcgFrameError(`Invalid ${what} varint in ECG frame header.`);
  return value;
}

/**
 * Reads a frame header starting at `start`; returns undefined when more bytes are needed to know the frame's
 * length, or throws {@link InvalidEcgFrameError} when the bytes cannot start a valid frame. @internal
 */
export function parseFrameHeader(bytes: Uint8Array, start: number, end: number): ParsedHeader | undefined {
  if (end - start < 2) return undefined;
  const b0 = bytes[start]!;
  if ((b0 & 0xf0) !== MAGIC)
    throw new InvalidEcgFrameError('Not an ECG frame (bad magic).', { details: `0x${b0.toString(16)}` });
  const version = b0 & 0x0f;
  if (!ECG_FRAME_VERSIONS.includes(version))
    throw new InvalidEcgFrameError('Unsupported ECG frame version.', { details: String(version) });
  const flags = bytes[start + 1]!;
  if (version === 2 && flags & FLAG_RESERVED) throw new InvalidEcgFrameError('Reserved ECG frame flag is set.');
  const bitDepth = (flags & 0x1f) + 8;
  if (bitDepth > 24)
    throw new InvalidEcgFrameError('Invalid bit depth in ECG frame header.', { details: String(bitDepth) });
  const cursor: VarintCursor = { pos: start + 2 };
  const channels = field(bytes, cursor, end, 'channel count');
  if (channels === -1) return undefined;
  if (channels < 1 || channels > ECG_MAX_CHANNELS) {
    throw new InvalidEcgFrameError('Invalid channel count in ECG frame header.', { details: String(channels) });
  }
  const sampleRate = field(bytes, cursor, end, 'sample rate');
  if (sampleRate === -1) return undefined;
  if (sampleRate < 1) throw new InvalidEcgFrameError('Invalid sample rate in ECG frame header.');
  let sampleCount = sampleRate;
  if (!(flags & FLAG_COUNT_IS_RATE)) {
    sampleCount = field(bytes, cursor, end, 'sample count');
    if (sampleCount === -1) return undefined;
  }
  if (sampleCount * channels > ECG_MAX_FRAME_SAMPLES) {
    throw new InvalidEcgFrameError('ECG frame declares too many samples.', { details: `${sampleCount} x ${channels}` });
  }
  const storedIndex = field(bytes, cursor, end, 'first sample index');
  if (storedIndex === -1) return undefined;
  let firstSampleIndex = storedIndex;
  if (version === 3 && flags & FLAG_INDEX_IN_FRAMES) {
    firstSampleIndex = storedIndex * sampleCount;
    if (sampleCount === 0 || !Number.isSafeInteger(firstSampleIndex)) {
      throw new InvalidEcgFrameError('Invalid first sample index in ECG frame header.', {
        details: `${storedIndex} frames of ${sampleCount}`,
      });
    }
  }
  let timestamp: number | undefined;
  if (flags & FLAG_TIMESTAMP) {
    timestamp = field(bytes, cursor, end, 'timestamp');
    if (timestamp === -1) return undefined;
  }
  const bodyLength = field(bytes, cursor, end, 'body length');
  if (bodyLength === -1) return undefined;
  const pos = cursor.pos;
  if (bodyLength > 7 * sampleCount * channels + 64) {
    throw new InvalidEcgFrameError('ECG frame body length is impossible for its sample count.', {
      details: String(bodyLength),
    });
  }
  const frameLength = pos - start + bodyLength + 2;
  const header = { version, sampleRate, channels, bitDepth, sampleCount, firstSampleIndex, timestamp };
  return { header, bodyStart: pos, bodyLength, frameLength };
}

/**
 * Reads the header of the frame at the start of `bytes` without decoding samples.
 *
 * @example
 * ```ts
 * import { encodeEcgFrame, readEcgFrameHeader } from '@mhrchain/ecg';
 *
 * const frame = encodeEcgFrame(new Int32Array(360), { sampleRate: 360, channels: 1, firstSampleIndex: 720 });
 * readEcgFrameHeader(frame).firstSampleIndex; // 720
 * ```
 */
export function readEcgFrameHeader(bytes: Uint8Array): EcgFrameHeader {
  const parsed = parseFrameHeader(bytes, 0, bytes.length);
  if (!parsed) throw new InvalidEcgFrameError('ECG frame header is truncated.');
  return parsed.header;
}

/**
 * @internal Parses the header of the frame at `start` and checks that the whole frame lies within `end`.
 */
export function parseFrameAt(bytes: Uint8Array, start: number, end: number): ParsedHeader {
  const parsed = parseFrameHeader(bytes, start, end);
  if (!parsed) throw new InvalidEcgFrameError('ECG frame header is truncated.');
  if (start + parsed.frameLength > end) {
    throw new InvalidEcgFrameError('ECG frame is truncated.', {
      details: `${end - start} of ${parsed.frameLength} bytes`,
    });
  }
  return parsed;
}

/** @internal Whether the checksum of the frame at `start` (whose header is `parsed`) matches. */
export function frameChecksumOk(bytes: Uint8Array, start: number, parsed: ParsedHeader): boolean {
  const crcAt = parsed.bodyStart + parsed.bodyLength;
  return crc16(bytes, start, crcAt) === ((bytes[crcAt]! << 8) | bytes[crcAt + 1]!);
}

/**
 * @internal Decodes the frame at `start`, which must lie entirely within `end`, into `into` when given (which must
 * hold exactly its samples) or a new array. `parsed` is its header when the caller has already parsed it.
 */
export function decodeFrameAt(
  bytes: Uint8Array,
  start: number,
  end: number,
  into?: Int32Array,
  parsed: ParsedHeader = parseFrameAt(bytes, start, end),
): EcgFrame {
  const { header, bodyStart, bodyLength, frameLength } = parsed;
  const crcAt = bodyStart + bodyLength;
  if (!frameChecksumOk(bytes, start, parsed)) throw new InvalidEcgFrameError('ECG frame checksum mismatch.');
  const { channels, sampleCount, bitDepth, version } = header;
  const samples = into?.length === sampleCount * channels ? into : new Int32Array(sampleCount * channels);
  const ok =
    decodeBodyWasm(bytes, bodyStart, crcAt, samples, channels, sampleCount, bitDepth, version) ??
    (version === 3
      ? decodeBodyV3(bytes, bodyStart, crcAt, sharedState, samples, channels, sampleCount, bitDepth)
      : decodeBody(new RangeDecoder(bytes, bodyStart, crcAt), sharedState, samples, channels, sampleCount, bitDepth));
  if (!ok) {
    throw new InvalidEcgFrameError(
      'ECG frame body is corrupt (a sample outside its bit depth, or an impossible coder state).',
    );
  }
  return { header, samples, byteLength: frameLength };
}

/**
 * Decodes exactly one frame. Malformed, truncated or corrupted input throws {@link InvalidEcgFrameError}.
 *
 * @example
 * ```ts
 * import { decodeEcgFrame, encodeEcgFrame } from '@mhrchain/ecg';
 *
 * const frame = encodeEcgFrame(new Int16Array([1, -2, 3, -4]), { sampleRate: 250, channels: 2 });
 * const { header, samples } = decodeEcgFrame(frame);
 * // header.sampleRate === 250, samples: Int32Array [1, -2, 3, -4]
 * ```
 */
export function decodeEcgFrame(bytes: Uint8Array): EcgFrame {
  const frame = decodeFrameAt(bytes, 0, bytes.length);
  if (frame.byteLength !== bytes.length) {
    throw new InvalidEcgFrameError('Trailing bytes after the ECG frame.', {
      details: `${bytes.length - frame.byteLength} bytes`,
    });
  }
  return frame;
}
