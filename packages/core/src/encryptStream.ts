import type { CID } from 'multiformats/cid';
import type { Block } from './block.js';
import { CHUNK_SIZE } from './envelopeHeader.js';
import { type AeadKey, importAeadKey, seal, TAG_LENGTH } from './internal/aead.js';
import { concatBytes } from './internal/bytes.js';
import { checkRecipients, sealHeader, wrapAll } from './internal/headerSeal.js';
import { chunkNonce, DATA_KEY_LENGTH, deriveRecordKeys, SALT_LENGTH } from './internal/keySchedule.js';
import { giveLeafBuffer, takeLeafBuffer } from './internal/leafBuffers.js';
import { type LeafSealer, leafSealer } from './internal/leafSealer.js';
import { type LocalLeaf, localLeaf } from './internal/localLeaf.js';
import { CHUNKS_PER_LEAF, createPayloadBuilder, rawBlockOfDigest } from './internal/payloadDag.js';
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
  /** Called as the payload is encrypted (after each leaf of up to 15 chunks, about 1 MiB). */
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

/** Bytes of a chunk sealed (ciphertext and tag): where each chunk of a leaf starts. */
const CHUNK_STRIDE = CHUNK_SIZE + TAG_LENGTH;
/** Bytes of a full payload leaf, the size of the buffers leaves are sealed in. */
const LEAF_BYTES = CHUNKS_PER_LEAF * CHUNK_STRIDE;
/** Leaves sealed at once on the caller's thread (WebCrypto runs each leaf's chunks concurrently). */
const LOCAL_LEAVES_IN_FLIGHT = 2;
/** Leaves of a record sealed on the caller's thread before the rest goes to worker threads. */
const LOCAL_LEAVES = 2;
/** Leaves in flight per worker thread (one being sealed, the next ones queued). */
const WORKER_LEAVES_IN_FLIGHT = 4;

/**
 * Creates a streaming encryption: pipe plaintext in, get the envelope's blocks out, with bounded memory (a few
 * payload leaves of about 1 MiB in flight). A fresh random data key is used for every stream. In Node, the leaves of
 * a record after its first two (about 2 MiB) are encrypted and hashed on worker threads, one leaf per task.
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
  const { writable, readable, result } = createEncryptStreamWith(parameters, secureRandom);
  return { writable, readable, result };
}

/**
 * An {@link EncryptStream} whose consumer may give payload leaf bytes back once it no longer needs them (after a
 * storage that copies on put has stored them): the stream then seals later leaves in that memory instead of fresh
 * memory. Internal.
 */
export interface RecyclingEncryptStream extends EncryptStream {
  /**
   * Gives back the bytes of a block this stream produced, which nothing may read or keep any more. Bytes this stream
   * did not hand out in a pooled leaf buffer, or already given back, are ignored.
   */
  recycle(bytes: Uint8Array): void;
}

/**
 * {@link createEncryptStream} with an injected randomness source (golden vectors). With `recycling` (Node), payload
 * leaves are sealed into pooled leaf buffers (on worker threads, in place of their plaintext) and handed out as views
 * of them, and the consumer is expected to give each block's memory back through `recycle` once it is done with it
 * (without that, every leaf costs new memory). Internal.
 */
export function createEncryptStreamWith(
  parameters: EncryptStreamParameters,
  random: RandomBytes,
  recycling = false,
): RecyclingEncryptStream {
  const recipients = checkRecipients(parameters.recipients);
  validateMetadataInput(parameters.metadata);
  const dataKey = random(DATA_KEY_LENGTH);
  const salt = random(SALT_LENGTH);
  const keys = deriveRecordKeys(dataKey, salt);
  const payloadKey = importAeadKey(keys.payloadKey);
  payloadKey.catch(() => {});
  const builder = createPayloadBuilder();
  /** Leaves being sealed, in order. */
  const sealing: Promise<{ block: Block; chunks: number; size: number }>[] = [];
  /** Pooled leaf buffers handed out as blocks' bytes, until given back. */
  const issued = new WeakSet<ArrayBuffer>();
  let sealer: LeafSealer | undefined;
  let key: AeadKey | undefined;
  /** The latest plaintext chunk, held back until it is known whether more follows (it may be the final chunk). */
  let stage: Uint8Array | undefined;
  let staged = 0;
  /** The leaf being filled: sealed on this thread chunk by chunk, or its plaintext gathered for a worker. */
  let local: LocalLeaf | undefined;
  let localInto: Uint8Array | undefined;
  let gather: Uint8Array | undefined;
  let lastChunkSize = 0;
  let leafNonces: Uint8Array[] = [];
  let leafSize = 0;
  let leaves = 0;
  let chunkIndex = 0;
  let bytes = 0;
  let doneBytes = 0;
  let doneChunks = 0;
  let resolveResult!: (result: EncryptStreamResult) => void;
  let rejectResult!: (error: unknown) => void;
  const result = new Promise<EncryptStreamResult>((resolve, reject) => {
    resolveResult = resolve;
    rejectResult = reject;
  });
  result.catch(() => {});

  /**
   * With recycling, a block whose bytes are a view of a pooled leaf buffer is handed out as it is, and the buffer is
   * expected back through `recycle`; a short one gets memory of its own size and its buffer goes back to the pool.
   */
  const issue = (block: Block): Block => {
    const buffer = block.bytes.buffer as ArrayBuffer;
    if (block.bytes.length >= LEAF_BYTES / 2) {
      issued.add(buffer);
      return block;
    }
    const bytes = block.bytes.slice();
    giveLeafBuffer(buffer);
    return { cid: block.cid, bytes };
  };
  const sealInWorker = async (nonces: Uint8Array[], leaf: Uint8Array, finalSize: number): Promise<Block> => {
    const nonceBytes = concatBytes(nonces);
    const buffer = leaf.buffer as ArrayBuffer;
    const sealed = await sealer!.seal(keys.payloadKey, nonceBytes, buffer, finalSize, CHUNK_SIZE, recycling);
    const block = rawBlockOfDigest(sealed.bytes, sealed.digest);
    if (recycling) return issue(block);
    // Sealed into new memory: the plaintext buffer (wiped by the worker) serves a next leaf.
    if (sealed.plaintext) giveLeafBuffer(sealed.plaintext);
    return block;
  };
  const freshLeaf = () => new Uint8Array(takeLeafBuffer(LEAF_BYTES) ?? new ArrayBuffer(LEAF_BYTES));
  /** Hands the full (or final) leaf to its sealer and queues its block. */
  const closeLeaf = () => {
    const chunks = leafNonces.length;
    const size = leafSize;
    const into = localInto;
    const block = local
      ? local.finish().then((b) => (into ? issue(b) : b))
      : sealInWorker(leafNonces, gather!, lastChunkSize);
    local = undefined;
    localInto = undefined;
    gather = undefined;
    leafNonces = [];
    leafSize = 0;
    const promise = block.then((b) => ({ block: b, chunks, size }));
    promise.catch(() => {});
    sealing.push(promise);
  };
  /** Adds the next chunk of plaintext (read before returning: the caller may reuse it). */
  const addChunk = (plaintext: Uint8Array, final: boolean) => {
    if (leafNonces.length === 0) {
      // The first leaves stay on this thread: most records are that small, and a worker hop only pays off for a
      // record of several leaves (measured: 1 MiB is faster on one thread, 64 MiB twice as fast on two workers).
      if (leaves >= LOCAL_LEAVES) sealer ??= leafSealer();
      leaves++;
      if (sealer) gather = freshLeaf();
      else {
        // With recycling, even the first leaves are sealed into pooled memory.
        localInto = recycling && key!.raw ? freshLeaf() : undefined;
        local = localLeaf(key!, localInto);
      }
    }
    const nonce = chunkNonce(chunkIndex++, final);
    // Each chunk's plaintext goes where its ciphertext will be, with room for its tag after it.
    if (gather) gather.set(plaintext, leafNonces.length * CHUNK_STRIDE);
    lastChunkSize = plaintext.length;
    leafNonces.push(nonce);
    leafSize += plaintext.length;
    bytes += plaintext.length;
    if (local) local.add(nonce, plaintext);
    if (final || leafNonces.length === CHUNKS_PER_LEAF) closeLeaf();
  };
  const emitOne = async (controller: TransformStreamDefaultController<Block>) => {
    const { block, chunks, size } = await sealing.shift()!;
    controller.enqueue(block);
    for (const parent of await builder.add(block)) controller.enqueue(parent);
    doneBytes += size;
    doneChunks += chunks;
    parameters.onProgress?.({ bytes: doneBytes, chunks: doneChunks });
  };
  const inFlight = () => (sealer ? sealer.size * WORKER_LEAVES_IN_FLIGHT : LOCAL_LEAVES_IN_FLIGHT);

  const transform = new TransformStream<Uint8Array, Block>({
    async transform(chunk, controller) {
      if (!(chunk instanceof Uint8Array)) throw new TypeError('Encrypt stream accepts Uint8Array chunks only.');
      key ??= await payloadKey;
      const end = chunk.length;
      let offset = 0;
      while (offset < end) {
        if (staged === CHUNK_SIZE) {
          // More bytes follow the staged chunk: it is not the final one.
          addChunk(stage!, false);
          staged = 0;
        } else if (staged === 0 && end - offset > CHUNK_SIZE) {
          // A whole chunk with more bytes after it, sealed in place (no copy).
          addChunk(chunk.subarray(offset, offset + CHUNK_SIZE), false);
          offset += CHUNK_SIZE;
        } else {
          stage ??= new Uint8Array(CHUNK_SIZE);
          const n = Math.min(CHUNK_SIZE - staged, end - offset);
          stage.set(chunk.subarray(offset, offset + n), staged);
          staged += n;
          offset += n;
        }
        while (sealing.length >= inFlight()) await emitOne(controller);
      }
    },
    async flush(controller) {
      try {
        key ??= await payloadKey;
        // The final chunk: what is staged (nothing for an empty record, which has one empty chunk).
        addChunk(stage ? stage.subarray(0, staged) : new Uint8Array(0), true);
        while (sealing.length > 0) await emitOne(controller);
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
    recycle(bytes) {
      const buffer = bytes.buffer as ArrayBuffer;
      if (!issued.has(buffer)) return;
      issued.delete(buffer);
      giveLeafBuffer(buffer);
    },
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
