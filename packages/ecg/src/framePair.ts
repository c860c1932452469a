import {
  appendFrame,
  decodeFrameAt,
  encodeEcgFrame,
  type FrameFields,
  frameChecksumOk,
  type ParsedHeader,
} from './frame.js';
import type { ByteWriter } from './internal/byteWriter.js';
import { decodeBodiesWasm, encodeBodiesWasm, wasmFrameBodyAvailable } from './internal/frameBodyWasm.js';

/**
 * Two consecutive frames at once, for the one-shot codec: frames of the same shape (channels, sample count, bit
 * depth) are coded side by side by the WebAssembly module, whose two-lane instructions compute both frames'
 * predictions together. The bytes and samples are exactly those of one frame at a time; whenever the pair cannot
 * be done together (other shapes, no WebAssembly, bad input) the frames go one at a time, in order, so the same
 * errors are thrown for the same frame.
 */

/**
 * @internal Appends two consecutive frames of the same shape to `writer`: `fields` and `fields2` describe them
 * (their parameters checked), and their samples are `samples[offset, …)`, the second frame's right after the
 * first's. The same bytes as two {@link encodeEcgFrame} calls, and the same error for the same frame.
 */
export function appendFramePair(
  writer: ByteWriter,
  samples: Int32Array | Int16Array,
  offset: number,
  fields: FrameFields,
  fields2: FrameFields,
): void {
  const { channels, sampleCount, bitDepth, version } = fields;
  const bodies = encodeBodiesWasm(samples, offset, channels, sampleCount, bitDepth, version);
  if (bodies) {
    appendFrame(writer, fields, bodies.bytes, bodies.at, bodies.length);
    appendFrame(writer, fields2, bodies.bytes, bodies.at2, bodies.length2);
    return;
  }
  // One at a time (no module, a body that does not fit, or a sample out of range: reported for its frame).
  const count = sampleCount * channels;
  writer.append(encodeEcgFrame(samples.subarray(offset, offset + count), fields));
  writer.append(encodeEcgFrame(samples.subarray(offset + count, offset + 2 * count), fields2));
}

/**
 * @internal Decodes the frames at `start` and `start2` (both lying within `bytes`, with their parsed headers) into
 * `samples` from `offset`, the second frame's samples right after the first's; throws what two
 * {@link decodeFrameAt} calls throw.
 */
export function decodeFramePairAt(
  bytes: Uint8Array,
  start: number,
  parsed: ParsedHeader,
  start2: number,
  parsed2: ParsedHeader,
  samples: Int32Array,
  offset: number,
): void {
  const a = parsed.header;
  const b = parsed2.header;
  if (
    a.channels === b.channels &&
    a.sampleCount === b.sampleCount &&
    a.bitDepth === b.bitDepth &&
    a.version === b.version &&
    wasmFrameBodyAvailable() &&
    frameChecksumOk(bytes, start, parsed) &&
    frameChecksumOk(bytes, start2, parsed2) &&
    decodeBodiesWasm(
      bytes,
      parsed.bodyStart,
      parsed.bodyStart + parsed.bodyLength,
      parsed2.bodyStart,
      parsed2.bodyStart + parsed2.bodyLength,
      samples,
      offset,
      a.channels,
      a.sampleCount,
      a.bitDepth,
      a.version,
    ) === true
  )
    return;
  const count = a.sampleCount * a.channels;
  const count2 = b.sampleCount * b.channels;
  decodeFrameAt(bytes, start, bytes.length, samples.subarray(offset, offset + count), parsed);
  decodeFrameAt(bytes, start2, bytes.length, samples.subarray(offset + count, offset + count + count2), parsed2);
}
