import type { CID } from 'multiformats/cid';
import { BaseError } from './baseError.js';
import type { Block } from './block.js';
import type { DecryptProgress } from './decryptStream.js';
import { createEncryptStreamWith, type EncryptStreamResult } from './encryptStream.js';
import type { EncryptRecordReturnType } from './envelope.js';
import { openEnvelope } from './envelope.js';
import { InvalidBlockError, InvalidParametersError } from './errors.js';
import type { Identity } from './identity.js';
import { collectBytes } from './internal/bytes.js';
import { readPayload } from './internal/payloadDag.js';
import { secureRandom } from './internal/random.js';
import type { RecordMetadata, RecordMetadataInput } from './metadata.js';
import type { Storage, StorageCallOptions } from './storage.js';

/** Block writes in flight while storing. */
const PUT_CONCURRENCY = 8;

/** Progress of storing an envelope. */
export interface StoreProgress {
  /** Plaintext bytes encrypted so far. */
  readonly bytes: number;
  /** Blocks written so far. */
  readonly blocks: number;
}

/** Parameters of {@link storeEnvelope}: the plaintext (`data` or `stream`), its metadata and recipients. */
export interface StoreEnvelopeParameters extends StorageCallOptions {
  /** The plaintext in memory. Give `data` or `stream`. */
  readonly data?: Uint8Array;
  /** The plaintext as a stream (any length, bounded memory). Give `data` or `stream`. */
  readonly stream?: ReadableStream<Uint8Array>;
  /** What the record says about itself (encrypted into the header). */
  readonly metadata: RecordMetadataInput;
  /** X25519 public keys (32 bytes each) that can open the record. */
  readonly recipients: readonly Uint8Array[];
  /** Pin the envelope (header and payload) after writing it. Default: true. */
  readonly pin?: boolean;
  /** Called after each block written. */
  readonly onProgress?: (progress: StoreProgress) => void;
}

/** The stored envelope: its CID (to put on chain), its payload CID, and the metadata that was encrypted. */
export type StoreEnvelopeReturnType = EncryptStreamResult;

/**
 * Encrypts a record and writes its blocks into a storage as they are produced (bounded memory: a 1 GiB stream
 * needs a few MiB), then pins it. Also accepts a record already encrypted by {@link encryptRecord}.
 *
 * @example
 * ```ts
 * import { createMemoryStorage, generateIdentity, storeEnvelope } from '@mhrchain/core';
 *
 * const storage = createMemoryStorage();
 * const patient = generateIdentity();
 * const { cid, payloadCid } = await storeEnvelope(storage, {
 *   stream: new Blob(['{"resourceType":"Patient"}']).stream(),
 *   metadata: { mediaType: 'application/fhir+json', resourceType: 'Patient' },
 *   recipients: [patient.publicKey],
 *   onProgress: ({ bytes }) => console.log(`${bytes} bytes encrypted`),
 * });
 * ```
 */
export async function storeEnvelope(
  storage: Storage,
  parameters: StoreEnvelopeParameters | EncryptRecordReturnType,
): Promise<StoreEnvelopeReturnType> {
  if ('blocks' in parameters) {
    for (const block of parameters.blocks) await storage.put(block.cid, block.bytes);
    await storage.pin(parameters.cid);
    const { cid, header, payloadCid, metadata } = parameters;
    return { cid, header, payloadCid, metadata };
  }
  const { data, stream, signal } = parameters;
  if ((data === undefined) === (stream === undefined))
    throw new InvalidParametersError('Give exactly one of `data` and `stream`.');
  if (data !== undefined && !(data instanceof Uint8Array))
    throw new InvalidParametersError('data must be a Uint8Array.');
  let bytes = 0;
  let blocks = 0;
  // A storage that copies on put lets the stream seal later leaves in the memory of leaves already stored.
  const recycle = storage.copiesOnPut === true;
  const encryption = createEncryptStreamWith(
    {
      metadata: parameters.metadata,
      recipients: parameters.recipients,
      onProgress: (p) => {
        bytes = p.bytes;
      },
    },
    secureRandom,
    recycle,
  );
  const source =
    stream ??
    new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(data!);
        controller.close();
      },
    });
  const options = signal ? { signal } : {};
  // Up to PUT_CONCURRENCY writes in flight: a filesystem blockstore spends most of a put waiting on the disk.
  const inflight = new Set<Promise<void>>();
  /** The first failed put: the error the caller gets, whatever the stream reports after it stops. */
  const puts: { failure?: { readonly error: unknown } } = {};
  const throwIfFailed = () => {
    if (puts.failure) throw puts.failure.error;
  };
  try {
    await source.pipeThrough(encryption).pipeTo(
      new WritableStream<Block>({
        async write(block) {
          throwIfFailed();
          const put = storage.put(block.cid, block.bytes, options).then(
            () => {
              inflight.delete(put);
              if (recycle) encryption.recycle(block.bytes);
              blocks++;
              parameters.onProgress?.({ bytes, blocks });
            },
            (error: unknown) => {
              inflight.delete(put);
              puts.failure ??= { error };
            },
          );
          inflight.add(put);
          while (inflight.size >= PUT_CONCURRENCY) await Promise.race(inflight);
          throwIfFailed();
        },
        async close() {
          await Promise.all(inflight);
          throwIfFailed();
        },
      }),
      options,
    );
  } catch (error) {
    // No write goes on after this call settles; a failed put is what the caller hears of, not what the stopped
    // stream says next (a cancelled enqueue).
    await Promise.allSettled([...inflight]);
    throw puts.failure ? puts.failure.error : error;
  }
  const result = await encryption.result;
  if (parameters.pin !== false) await storage.pin(result.cid, options);
  return result;
}

/** Parameters of {@link loadEnvelope}. */
export interface LoadEnvelopeOptions extends StorageCallOptions {
  /** Called after each decrypted chunk. */
  readonly onProgress?: (progress: DecryptProgress) => void;
  /** Payload blocks fetched ahead of the reader. Default: 8. */
  readonly concurrency?: number;
}

/** An envelope read from storage and opened: its metadata now, its plaintext as a stream. */
export interface LoadEnvelopeReturnType {
  /** The envelope CID. */
  readonly cid: CID;
  /** The payload CID. */
  readonly payloadCid: CID;
  /** The decrypted metadata. */
  readonly metadata: RecordMetadata;
  /** Number of recipients. */
  readonly recipientCount: number;
  /**
   * The plaintext, fetched and decrypted as it is read (bounded memory). Errors with {@link DecryptionError} on any
   * tampering; discard what was read in that case. Read it once.
   */
  readonly stream: ReadableStream<Uint8Array>;
  /** Reads the whole plaintext (from `stream`) into memory; nothing is returned unless every chunk verified. */
  bytes(): Promise<Uint8Array>;
}

/**
 * Reads an envelope from a storage (local node, memory or gateways) and opens it with a recipient's identity.
 *
 * @throws {@link BlockNotFoundError} when the header is not available; {@link DecryptionError} when it cannot be
 * opened with `identity`.
 * @example
 * ```ts
 * import { createMemoryStorage, generateIdentity, loadEnvelope, storeEnvelope } from '@mhrchain/core';
 *
 * const storage = createMemoryStorage();
 * const patient = generateIdentity();
 * const { cid } = await storeEnvelope(storage, {
 *   data: new TextEncoder().encode('hello'),
 *   metadata: { mediaType: 'text/plain' },
 *   recipients: [patient.publicKey],
 * });
 * const record = await loadEnvelope(storage, cid, patient);
 * console.log(record.metadata.mediaType, new TextDecoder().decode(await record.bytes()));
 * ```
 */
export async function loadEnvelope(
  storage: Storage,
  cid: CID,
  identity: Identity,
  options: LoadEnvelopeOptions = {},
): Promise<LoadEnvelopeReturnType> {
  const callOptions = options.signal ? { signal: options.signal } : {};
  const header = await storage.get(cid, callOptions);
  const opened = await openEnvelope({ header, identity });
  const leaves = readPayload((c) => storage.get(c, callOptions), opened.payloadCid, options.concurrency ?? 8);
  const ciphertext = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await leaves.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      } catch (error) {
        controller.error(
          error instanceof BaseError ? error : new InvalidBlockError({ details: 'invalid payload DAG', cause: error }),
        );
      }
    },
    async cancel() {
      await leaves.return(undefined);
    },
  });
  const stream = ciphertext.pipeThrough(
    opened.createDecryptStream(options.onProgress ? { onProgress: options.onProgress } : {}),
  );
  return {
    cid,
    payloadCid: opened.payloadCid,
    metadata: opened.metadata,
    recipientCount: opened.recipientCount,
    stream,
    bytes: () => collectBytes(stream),
  };
}

/** Parameters of {@link rotateEnvelope}. */
export interface RotateEnvelopeParameters extends StorageCallOptions {
  /** The current envelope CID. */
  readonly cid: CID;
  /** A current recipient's identity. */
  readonly identity: Identity;
  /** The recipients of the rotated envelope. */
  readonly recipients: readonly Uint8Array[];
  /** Metadata changes (media type, title, ...); the rest is kept. */
  readonly metadata?: Partial<RecordMetadataInput>;
  /** Pin the new envelope. Default: true. */
  readonly pin?: boolean;
  /** Called after each block written. */
  readonly onProgress?: (progress: StoreProgress) => void;
}

/**
 * Re-encrypts a record under a fresh data key (new payload CID, new envelope CID), streaming from and to the same
 * storage. Use it when a removed recipient must lose the ability to decrypt with a data key it may have kept. The
 * old envelope is left as it is (unpin it if it should go).
 *
 * @example
 * ```ts
 * import { createMemoryStorage, generateIdentity, rotateEnvelope, storeEnvelope } from '@mhrchain/core';
 *
 * const storage = createMemoryStorage();
 * const patient = generateIdentity();
 * const { cid } = await storeEnvelope(storage, {
 *   data: new TextEncoder().encode('hello'),
 *   metadata: { mediaType: 'text/plain' },
 *   recipients: [patient.publicKey, generateIdentity().publicKey],
 * });
 * const rotated = await rotateEnvelope(storage, { cid, identity: patient, recipients: [patient.publicKey] });
 * ```
 */
export async function rotateEnvelope(
  storage: Storage,
  parameters: RotateEnvelopeParameters,
): Promise<StoreEnvelopeReturnType> {
  const signalOptions = parameters.signal ? { signal: parameters.signal } : {};
  const current = await loadEnvelope(storage, parameters.cid, parameters.identity, signalOptions);
  const { mediaType, created, resourceType, title } = current.metadata;
  return storeEnvelope(storage, {
    stream: current.stream,
    metadata: {
      mediaType,
      created,
      ...(resourceType === undefined ? {} : { resourceType }),
      ...(title === undefined ? {} : { title }),
      ...parameters.metadata,
    },
    recipients: parameters.recipients,
    ...(parameters.pin === undefined ? {} : { pin: parameters.pin }),
    ...(parameters.onProgress ? { onProgress: parameters.onProgress } : {}),
    ...signalOptions,
  });
}
