import type { CID } from 'multiformats/cid';
import type { Block } from './block.js';
import { CHUNK_SIZE } from './envelopeHeader.js';
import { importAeadKey, seal, sealParts } from './internal/aead.js';
import { concatBytes } from './internal/bytes.js';
import { checkRecipients, sealHeader, wrapAll } from './internal/headerSeal.js';
import { chunkNonce, DATA_KEY_LENGTH, deriveRecordKeys, SALT_LENGTH } from './internal/keySchedule.js';
import { CHUNKS_PER_LEAF, createPayloadBuilder, rawBlock } from './internal/payloadDag.js';
import { type RandomBytes, secureRandom } from './internal/random.js';
import {
  completeMetadata,
  encodeMetadata,
  type RecordMetadata,
  type RecordMetadataInput,
  validateMetadataInput,
} from './metadata.js';

/** Progress of an encryption: plaintext bytes encrypted so far. */
export interface EncryptProgress {
  /** Plaintext bytes encrypted so far. */
  readonly bytes: number;
  /** Payload chunks encrypted so far. */
  readonly chunks: number;
}

/** Parameters of {@link createEncryptStream}. */
export interface EncryptStreamParameters {
  /** What the record says about itself (encrypted into the header). `size` is measured. */
  readonly metadata: RecordMetadataInput;
  /** X25519 public keys (32 bytes each) that can open the record. Duplicates are ignored. */
  readonly recipients: readonly Uint8Array[];
  /** Called after each encrypted chunk. */
  readonly onProgress?: (progress: EncryptProgress) => void;
}

/** The outcome of an encryption: the envelope (header) CID and the payload CID. */
export interface EncryptStreamResult {
  /** CID of the envelope header block (dag-cbor): the record's address, what goes on chain. */
  readonly cid: CID;
  /** The header block bytes. */
  readonly header: Uint8Array;
  /** CID of the encrypted payload (UnixFS file of raw leaves). */
  readonly payloadCid: CID;
  /** The metadata as encrypted into the header (with the measured size). */
  readonly metadata: RecordMetadata;
}

/**
 * A transform from plaintext bytes to the envelope's blocks: payload leaves (in order), payload parent nodes, and
 * last the header block. `result` resolves when the header is out.
 */
export interface EncryptStream {
  /** Write the plaintext here. */
  readonly writable: WritableStream<Uint8Array>;
  /** Read the blocks here; the last one is the header. */
  readonly readable: ReadableStream<Block>;
  /** The envelope and payload CIDs, once the stream has finished. */
  readonly result: Promise<EncryptStreamResult>;
}

/** Encrypted chunks in flight at once (WebCrypto runs them on worker threads). */
const PIPELINE_DEPTH = 8;
/** Payload leaves being hashed at once. */
const LEAVES_IN_FLIGHT = 2;

/**
 * Creates a streaming encryption: pipe plaintext in, get the envelope's blocks out, with bounded memory (a few
 * 64 KiB chunks in flight). A fresh random data key is used for every stream.
 *
 * @throws {@link InvalidParametersError} or {@link InvalidKeyError} for bad metadata or recipients.
 * @example
 * ```ts
 * import { createEncryptStream, createMemoryStorage, generateIdentity } from '@mhrchain/core';
 *
 * const storage = createMemoryStorage();
 * const alice = generateIdentity();
 * const encryption = createEncryptStream({ metadata: { mediaType: 'text/plain' }, recipients: [alice.publicKey] });
 * await new Blob(['hello'])
 *   .stream()
 *   .pipeThrough(encryption)
 *   .pipeTo(new WritableStream({ write: (block) => storage.put(block.cid, block.bytes) }));
 * const { cid } = await encryption.result;
 * ```
 */
export function createEncryptStream(parameters: EncryptStreamParameters): EncryptStream {
  return createEncryptStreamWith(parameters, secureRandom);
}

/** {@link createEncryptStream} with an injected randomness source (golden vectors). Internal. */
export function createEncryptStreamWith(parameters: EncryptStreamParameters, random: RandomBytes): EncryptStream {
  const recipients = checkRecipients(parameters.recipients);
  validateMetadataInput(parameters.metadata);
  const dataKey = random(DATA_KEY_LENGTH);
  const salt = random(SALT_LENGTH);
  const keys = deriveRecordKeys(dataKey, salt);
  const payloadKey = importAeadKey(keys.payloadKey);
  payloadKey.catch(() => {});
  const builder = createPayloadBuilder();
  const inflight: Promise<Uint8Array[]>[] = [];
  let leafParts: Uint8Array[] = [];
  let leafChunks = 0;
  let buffer = new Uint8Array(CHUNK_SIZE);
  let filled = 0;
  let held: Uint8Array | null = null;
  let index = 0;
  let bytes = 0;
  let done = 0;
  let resolveResult!: (result: EncryptStreamResult) => void;
  let rejectResult!: (error: unknown) => void;
  const result = new Promise<EncryptStreamResult>((resolve, reject) => {
    resolveResult = resolve;
    rejectResult = reject;
  });
  result.catch(() => {});

  const submit = (plaintext: Uint8Array, last: boolean) => {
    const nonce = chunkNonce(index++, last);
    const promise = payloadKey.then((key) => sealParts(key, nonce, plaintext));
    promise.catch(() => {});
    inflight.push(promise);
    bytes += plaintext.length;
  };
  // Leaves are hashed with the platform's SHA-256: synchronous `node:crypto` in Node (no thread hop: under CPU
  // contention each hop costs a scheduling delay), WebCrypto in browsers, which overlaps with the next chunks.
  const hashing: Promise<Block>[] = [];
  const emitHashed = async (controller: TransformStreamDefaultController<Block>) => {
    const leaf = await hashing.shift()!;
    controller.enqueue(leaf);
    for (const parent of await builder.add(leaf)) controller.enqueue(parent);
  };
  const startLeaf = async (controller: TransformStreamDefaultController<Block>) => {
    const bytes = leafParts.length === 1 ? leafParts[0]! : concatBytes(leafParts);
    leafParts = [];
    leafChunks = 0;
    const promise = rawBlock(bytes);
    promise.catch(() => {});
    hashing.push(promise);
    while (hashing.length > LEAVES_IN_FLIGHT) await emitHashed(controller);
  };
  const drainOne = async (controller: TransformStreamDefaultController<Block>) => {
    leafParts.push(...(await inflight.shift()!));
    if (++leafChunks === CHUNKS_PER_LEAF) await startLeaf(controller);
    done++;
    parameters.onProgress?.({ bytes: Math.min(bytes, done * CHUNK_SIZE), chunks: done });
  };

  const transform = new TransformStream<Uint8Array, Block>({
    async transform(chunk, controller) {
      if (!(chunk instanceof Uint8Array)) throw new TypeError('Encrypt stream accepts Uint8Array chunks only.');
      let offset = 0;
      while (offset < chunk.length) {
        if (filled === 0 && chunk.length - offset >= CHUNK_SIZE) {
          // A whole chunk in the input: encrypt it in place, no copy (the stream owns what was written to it).
          if (held) submit(held, false);
          held = chunk.subarray(offset, offset + CHUNK_SIZE);
          offset += CHUNK_SIZE;
          while (inflight.length >= PIPELINE_DEPTH) await drainOne(controller);
          continue;
        }
        const n = Math.min(CHUNK_SIZE - filled, chunk.length - offset);
        buffer.set(chunk.subarray(offset, offset + n), filled);
        filled += n;
        offset += n;
        if (filled === CHUNK_SIZE) {
          if (held) submit(held, false);
          held = buffer;
          buffer = new Uint8Array(CHUNK_SIZE);
          filled = 0;
          while (inflight.length >= PIPELINE_DEPTH) await drainOne(controller);
        }
      }
    },
    async flush(controller) {
      try {
        if (held && filled === 0) submit(held, true);
        else {
          if (held) submit(held, false);
          submit(buffer.subarray(0, filled), true);
        }
        held = null;
        while (inflight.length > 0) await drainOne(controller);
        if (leafParts.length > 0) await startLeaf(controller);
        while (hashing.length > 0) await emitHashed(controller);
        const payload = await builder.finish();
        for (const parent of payload.blocks) controller.enqueue(parent);
        const metadata = completeMetadata(parameters.metadata, bytes);
        const stanzas = await wrapAll(dataKey, recipients, random);
        const metadataKey = await importAeadKey(keys.metadataKey);
        const header = await sealHeader({
          keys,
          salt,
          stanzas,
          metadata: await seal(metadataKey, new Uint8Array(12), encodeMetadata(metadata)),
          payload: payload.root,
        });
        controller.enqueue({ cid: header.cid, bytes: header.bytes });
        resolveResult({ cid: header.cid, header: header.bytes, payloadCid: payload.root, metadata });
      } catch (error) {
        rejectResult(error);
        throw error;
      }
    },
  });
  // A failure before flush (bad chunk, aborted source) must reject `result` too.
  return {
    writable: wrapWritable(transform.writable, rejectResult),
    readable: transform.readable,
    result,
  };
}

/** Forwards to `inner`, rejecting `onError` if writing, closing or aborting fails. */
function wrapWritable(inner: WritableStream<Uint8Array>, onError: (error: unknown) => void) {
  const writer = inner.getWriter();
  return new WritableStream<Uint8Array>({
    async write(chunk) {
      try {
        await writer.write(chunk);
      } catch (error) {
        onError(error);
        throw error;
      }
    },
    async close() {
      try {
        await writer.close();
      } catch (error) {
        onError(error);
        throw error;
      }
    },
    async abort(reason) {
      onError(reason);
      await writer.abort(reason);
    },
  });
}
