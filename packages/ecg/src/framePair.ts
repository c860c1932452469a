import {
  checkFrameSamples,
  decodeFrameAt,
  type EncodeEcgFrameParameters,
  encodeEcgFrame,
  frameChecksumOk,
  frameOfBody,
  type ParsedHeader,
} from './frame.js';
import { decodeBodiesWasm, encodeBodiesWasm, wasmFrameBodyAvailable } from './internal/frameBodyWasm.js';

/**
 * Two consecutive frames at once, for the one-shot codec: frames of the same shape (channels, sample count, bit
 * depth) are coded side by side by the WebAssembly module, whose two-lane instructions compute both frames'
 * predictions together. The bytes and samples are exactly those of one frame at a time; whenever the pair cannot
 * be done together (other shapes, no WebAssembly, bad input) the frames go one at a time, in order, so the same
 * errors are thrown for the same frame.
 */

/** @internal Encodes two frames; the same bytes as two {@link encodeEcgFrame} calls. */
export function encodeFramePair(
  samples: Int32Array | Int16Array,
  parameters: EncodeEcgFrameParameters,
  samples2: Int32Array | Int16Array,
  parameters2: EncodeEcgFrameParameters,
): [Uint8Array, Uint8Array] {
  // Without the module, straight to one at a time (nothing checked or computed twice).
  if (!wasmFrameBodyAvailable()) return [encodeEcgFrame(samples, parameters), encodeEcgFrame(samples2, parameters2)];
  const first = checkFrameSamples(samples, parameters);
  let second: ReturnType<typeof checkFrameSamples>;
  try {
    second = checkFrameSamples(samples2, parameters2);
  } catch {
    // One at a time: the first frame's own errors come first.
    return [encodeEcgFrame(first.x, parameters), encodeEcgFrame(samples2, parameters2)];
  }
  if (first.n === second.n && first.bitDepth === second.bitDepth && parameters.channels === parameters2.channels) {
    const bodies = encodeBodiesWasm(first.x, second.x, parameters.channels, first.n, first.bitDepth);
    if (bodies) {
      // The first frame is copied out of the module's memory before anything else runs there.
      const frame = frameOfBody(bodies[0], first.n, parameters, first.bitDepth);
      return [frame, frameOfBody(bodies[1], second.n, parameters2, second.bitDepth)];
    }
  }
  return [encodeEcgFrame(first.x, parameters), encodeEcgFrame(second.x, parameters2)];
}

/**
 * @internal Decodes the frames at `start` and `start2` (both lying within `bytes`, with their parsed headers) into
 * `into` and `into2`, which hold exactly their samples; throws what two {@link decodeFrameAt} calls throw.
 */
export function decodeFramePairAt(
  bytes: Uint8Array,
  start: number,
  parsed: ParsedHeader,
  into: Int32Array,
  start2: number,
  parsed2: ParsedHeader,
  into2: Int32Array,
): void {
  const a = parsed.header;
  const b = parsed2.header;
  if (
    a.channels === b.channels &&
    a.sampleCount === b.sampleCount &&
    a.bitDepth === b.bitDepth &&
    wasmFrameBodyAvailable() &&
    frameChecksumOk(bytes, start, parsed) &&
    frameChecksumOk(bytes, start2, parsed2) &&
    decodeBodiesWasm(
      bytes,
      [
        parsed.bodyStart,
        parsed.bodyStart + parsed.bodyLength,
        parsed2.bodyStart,
        parsed2.bodyStart + parsed2.bodyLength,
      ],
      into,
      into2,
      a.channels,
      a.sampleCount,
      a.bitDepth,
    ) === true
  )
    return;
  decodeFrameAt(bytes, start, bytes.length, into, parsed);
  decodeFrameAt(bytes, start2, bytes.length, into2, parsed2);
}
