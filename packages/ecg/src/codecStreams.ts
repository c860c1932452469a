import { type EncodeEcgParameters, frameSamplesOf, frameTimestamp } from './codec.js';
import { InvalidEcgParametersError } from './errors.js';
import { checkFrameParameters, decodeFrameAt, type EcgFrame, encodeEcgFrame, parseFrameHeader } from './frame.js';

/**
 * A `TransformStream` that turns interleaved samples, in chunks of any size (even splitting a sample set), into
 * frames: one `Uint8Array` per frame, emitted as soon as a frame is full; the last, shorter frame on close.
 *
 * @example
 * ```ts
 * import { createEcgDecoderStream, createEcgEncoderStream } from '@mhrchain/ecg';
 *
 * const source = new ReadableStream<Int16Array>({
 *   start(controller) {
 *     controller.enqueue(new Int16Array([1, 2, 3])); // chunks need not hold whole sample sets
 *     controller.enqueue(new Int16Array([4, 5, 6, 7, 8]));
 *     controller.close();
 *   },
 * });
 * const frames = source.pipeThrough(createEcgEncoderStream({ sampleRate: 2, channels: 2, bitDepth: 12 }));
 * await frames.pipeThrough(createEcgDecoderStream()).pipeTo(
 *   new WritableStream({ write: (frame) => console.log(frame.header.firstSampleIndex, frame.samples) }),
 * );
 * ```
 */
export function createEcgEncoderStream(
  parameters: EncodeEcgParameters,
): TransformStream<Int32Array | Int16Array, Uint8Array> {
  const bitDepth = checkFrameParameters(parameters);
  const frameSamples = frameSamplesOf(parameters);
  const { channels, sampleRate } = parameters;
  const first = parameters.firstSampleIndex ?? 0;
  const buffer = new Int32Array(frameSamples * channels);
  let filled = 0;
  let emitted = 0;
  const emit = (controller: TransformStreamDefaultController<Uint8Array>, count: number) => {
    const timestamp = frameTimestamp(parameters, emitted);
    controller.enqueue(
      encodeEcgFrame(buffer.subarray(0, count), {
        sampleRate,
        channels,
        bitDepth,
        firstSampleIndex: first + emitted,
        ...(timestamp !== undefined ? { timestamp } : {}),
        ...(parameters.version !== undefined ? { version: parameters.version } : {}),
      }),
    );
    emitted += count / channels;
    filled = 0;
  };
  return new TransformStream({
    transform(chunk, controller) {
      if (!(chunk instanceof Int32Array || chunk instanceof Int16Array)) {
        throw new InvalidEcgParametersError('ECG encoder stream chunks must be Int32Array or Int16Array.');
      }
      let pos = 0;
      while (pos < chunk.length) {
        const take = Math.min(buffer.length - filled, chunk.length - pos);
        buffer.set(chunk.subarray(pos, pos + take), filled);
        filled += take;
        pos += take;
        if (filled === buffer.length) emit(controller, filled);
      }
    },
    flush(controller) {
      if (filled % channels !== 0) {
        throw new InvalidEcgParametersError('ECG stream ended inside a sample set.', {
          details: `${filled % channels} samples left over`,
        });
      }
      if (filled > 0) emit(controller, filled);
    },
  });
}

/**
 * A `TransformStream` that turns bytes (frames concatenated, in chunks of any size) into decoded frames. Errors the
 * stream with {@link InvalidEcgFrameError} on a malformed frame, or on bytes left over at the end.
 *
 * @example
 * ```ts
 * import { createEcgDecoderStream, encodeEcg } from '@mhrchain/ecg';
 *
 * const bytes = encodeEcg(new Int32Array(1000), { sampleRate: 250, channels: 1 });
 * const source = new ReadableStream<Uint8Array>({
 *   start(controller) {
 *     controller.enqueue(bytes.subarray(0, 7)); // any split of the bytes
 *     controller.enqueue(bytes.subarray(7));
 *     controller.close();
 *   },
 * });
 * await source.pipeThrough(createEcgDecoderStream()).pipeTo(
 *   new WritableStream({ write: (frame) => console.log(frame.header.firstSampleIndex) }), // 0, 250, 500, 750
 * );
 * ```
 */
export function createEcgDecoderStream(): TransformStream<Uint8Array, EcgFrame> {
  let pending = new Uint8Array(0);
  let length = 0;
  return new TransformStream({
    transform(chunk, controller) {
      if (length + chunk.length > pending.length) {
        const bigger = new Uint8Array(Math.max(pending.length * 2, length + chunk.length, 1024));
        bigger.set(pending.subarray(0, length));
        pending = bigger;
      }
      pending.set(chunk, length);
      length += chunk.length;
      let pos = 0;
      for (;;) {
        const parsed = parseFrameHeader(pending, pos, length);
        if (!parsed || pos + parsed.frameLength > length) break;
        const frame = decodeFrameAt(pending, pos, pos + parsed.frameLength, undefined, parsed);
        controller.enqueue(frame);
        pos += parsed.frameLength;
      }
      if (pos > 0) {
        pending.copyWithin(0, pos, length);
        length -= pos;
      }
    },
    flush() {
      if (length > 0) decodeFrameAt(pending, 0, length);
    },
  });
}
