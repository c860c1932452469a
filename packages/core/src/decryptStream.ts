import { CHUNK_SIZE } from './envelopeHeader.js';
import { DecryptionError } from './errors.js';
import { type AeadKey, importAeadKey, open, TAG_LENGTH } from './internal/aead.js';
import { chunkNonce } from './internal/keySchedule.js';

/** Progress of a decryption: plaintext bytes out so far. */
export interface DecryptProgress {
  /** Plaintext bytes decrypted and verified so far. */
  readonly bytes: number;
  /** Payload chunks decrypted so far. */
  readonly chunks: number;
}

/** Encrypted chunks in flight at once. */
const PIPELINE_DEPTH = 8;
/** Bytes of one full encrypted chunk. */
export const FRAME_SIZE = CHUNK_SIZE + TAG_LENGTH;

/**
 * Decrypts a payload byte stream (the concatenated encrypted chunks) under the record's payload key. Each chunk is
 * authenticated with its index and final flag, so truncation, reordering, duplication and extension all fail; any
 * failure errors the stream with {@link DecryptionError}. Plaintext is released chunk by chunk as it is verified:
 * a consumer must discard what it has read if the stream errors.
 */
export function createPayloadDecryptStream(
  payloadKeyBytes: Uint8Array,
  onProgress?: (progress: DecryptProgress) => void,
): TransformStream<Uint8Array, Uint8Array> {
  let key: Promise<AeadKey> | undefined;
  const inflight: Promise<Uint8Array>[] = [];
  let buffer = new Uint8Array(FRAME_SIZE);
  let filled = 0;
  let held: Uint8Array | null = null;
  let index = 0;
  let bytes = 0;
  let chunks = 0;

  const submit = (frame: Uint8Array, last: boolean) => {
    const i = index++;
    key ??= importAeadKey(payloadKeyBytes);
    const promise = key
      .then((k) => open(k, chunkNonce(i, last), frame))
      .then((plaintext) => {
        // Only an empty record has an empty chunk; a trailing empty final chunk is not canonical.
        if (last && plaintext.length === 0 && i !== 0) throw new Error('empty final chunk');
        return plaintext;
      });
    promise.catch(() => {});
    inflight.push(promise);
  };
  const drainOne = async (controller: TransformStreamDefaultController<Uint8Array>) => {
    const plaintext = await inflight.shift()!;
    bytes += plaintext.length;
    chunks++;
    if (plaintext.length > 0) controller.enqueue(plaintext);
    onProgress?.({ bytes, chunks });
  };
  const fail = (): never => {
    inflight.length = 0;
    throw new DecryptionError();
  };

  return new TransformStream<Uint8Array, Uint8Array>({
    async transform(chunk, controller) {
      try {
        let offset = 0;
        while (offset < chunk.length) {
          if (filled === 0 && chunk.length - offset >= FRAME_SIZE) {
            // A whole encrypted chunk in the input: decrypt it in place, no copy.
            if (held) submit(held, false);
            held = chunk.subarray(offset, offset + FRAME_SIZE);
            offset += FRAME_SIZE;
            while (inflight.length >= PIPELINE_DEPTH) await drainOne(controller);
            continue;
          }
          const n = Math.min(FRAME_SIZE - filled, chunk.length - offset);
          buffer.set(chunk.subarray(offset, offset + n), filled);
          filled += n;
          offset += n;
          if (filled === FRAME_SIZE) {
            if (held) submit(held, false);
            held = buffer;
            buffer = new Uint8Array(FRAME_SIZE);
            filled = 0;
            while (inflight.length >= PIPELINE_DEPTH) await drainOne(controller);
          }
        }
      } catch {
        fail();
      }
    },
    async flush(controller) {
      try {
        if (held && filled === 0) submit(held, true);
        else if (filled === 0) fail();
        else {
          if (held) submit(held, false);
          submit(buffer.subarray(0, filled), true);
        }
        while (inflight.length > 0) await drainOne(controller);
      } catch {
        fail();
      }
    },
  });
}
