import type { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import type { Block } from './block.js';
import { createPayloadDecryptStream, type DecryptProgress } from './decryptStream.js';
import {
  createEncryptStreamWith,
  type EncryptProgress,
  type EncryptStreamParameters,
  type EncryptStreamResult,
} from './encryptStream.js';
import { InvalidParametersError } from './errors.js';
import type { Identity } from './identity.js';
import { collectBytes, concatBytes, iterateStream } from './internal/bytes.js';
import { unlockHeader } from './internal/headerSeal.js';
import { type RandomBytes, secureRandom } from './internal/random.js';
import type { RecordMetadata, RecordMetadataInput } from './metadata.js';

/** Parameters of {@link encryptRecord}. */
export interface EncryptRecordParameters {
  /** The plaintext. */
  readonly data: Uint8Array;
  /** What the record says about itself (encrypted into the header). `size` is measured. */
  readonly metadata: RecordMetadataInput;
  /** X25519 public keys (32 bytes each) that can open the record. */
  readonly recipients: readonly Uint8Array[];
  /** Called as the payload is encrypted (after each leaf of up to 15 chunks, about 1 MiB). */
  readonly onProgress?: (progress: EncryptProgress) => void;
}

/** An encrypted record held in memory: the header, the payload and every block to store. */
export interface EncryptRecordReturnType extends EncryptStreamResult {
  /** The encrypted payload bytes (the concatenated encrypted chunks). */
  readonly payload: Uint8Array;
  /** Every block of the envelope: payload leaves, payload parents, header last. */
  readonly blocks: readonly Block[];
}

/**
 * Encrypts a record held in memory into an envelope (for large data use {@link createEncryptStream} or
 * `storeEnvelope` with a stream).
 *
 * @throws {@link InvalidParametersError} or {@link InvalidKeyError} for bad data, metadata or recipients.
 * @example
 * ```ts
 * import { encryptRecord, generateIdentity } from '@mhrchain/core';
 *
 * const alice = generateIdentity();
 * const record = await encryptRecord({
 *   data: new TextEncoder().encode('{"resourceType":"Observation"}'),
 *   metadata: { mediaType: 'application/fhir+json', resourceType: 'Observation' },
 *   recipients: [alice.publicKey],
 * });
 * console.log(record.cid.toString()); // the envelope CID
 * ```
 */
export async function encryptRecord(parameters: EncryptRecordParameters): Promise<EncryptRecordReturnType> {
  return encryptRecordWith(parameters, secureRandom);
}

/** {@link encryptRecord} with an injected randomness source (golden vectors). Internal. */
export async function encryptRecordWith(
  parameters: EncryptRecordParameters,
  random: RandomBytes,
): Promise<EncryptRecordReturnType> {
  if (!(parameters?.data instanceof Uint8Array)) throw new InvalidParametersError('data must be a Uint8Array.');
  const streamParameters: EncryptStreamParameters = {
    metadata: parameters.metadata,
    recipients: parameters.recipients,
    ...(parameters.onProgress ? { onProgress: parameters.onProgress } : {}),
  };
  const encryption = createEncryptStreamWith(streamParameters, random);
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(parameters.data);
      controller.close();
    },
  });
  const blocks: Block[] = [];
  for await (const block of iterateStream(source.pipeThrough(encryption))) blocks.push(block);
  const result = await encryption.result;
  const payload = concatBytes(blocks.filter((b) => b.cid.code === raw.code).map((b) => b.bytes));
  return { ...result, payload, blocks };
}

/** Parameters of {@link openEnvelope}. */
export interface OpenEnvelopeParameters {
  /** The envelope header block bytes. */
  readonly header: Uint8Array;
  /** A recipient's identity. */
  readonly identity: Identity;
}

/** An envelope opened by one of its recipients: its metadata, and a way to decrypt its payload. */
export interface OpenedEnvelope {
  /** The decrypted metadata. */
  readonly metadata: RecordMetadata;
  /** CID of the encrypted payload. */
  readonly payloadCid: CID;
  /** Number of recipients (stanzas) of this envelope. */
  readonly recipientCount: number;
  /** A transform from the payload bytes (concatenated encrypted chunks) to the plaintext. */
  createDecryptStream(options?: {
    onProgress?: (progress: DecryptProgress) => void;
  }): TransformStream<Uint8Array, Uint8Array>;
}

/**
 * Opens an envelope header with a recipient's identity: checks the key commitment and header MAC and decrypts the
 * metadata. The payload is decrypted separately, as a stream.
 *
 * @throws {@link DecryptionError} for any failure (not a recipient, tampered, malformed).
 * @example
 * ```ts
 * import { encryptRecord, generateIdentity, openEnvelope } from '@mhrchain/core';
 *
 * const alice = generateIdentity();
 * const record = await encryptRecord({
 *   data: new TextEncoder().encode('hello'),
 *   metadata: { mediaType: 'text/plain' },
 *   recipients: [alice.publicKey],
 * });
 * const opened = await openEnvelope({ header: record.header, identity: alice });
 * const payload = new ReadableStream<Uint8Array>({
 *   start(controller) {
 *     controller.enqueue(record.payload);
 *     controller.close();
 *   },
 * });
 * const plaintext = payload.pipeThrough(opened.createDecryptStream());
 * ```
 */
export async function openEnvelope(parameters: OpenEnvelopeParameters): Promise<OpenedEnvelope> {
  const unlocked = await unlockHeader(parameters.header, parameters.identity);
  const payloadKey = unlocked.keys.payloadKey;
  return {
    metadata: unlocked.metadata,
    payloadCid: unlocked.node.payload,
    recipientCount: unlocked.node.recipients.length,
    createDecryptStream: (options) => createPayloadDecryptStream(payloadKey, options?.onProgress),
  };
}

/** Parameters of {@link decryptRecord}. */
export interface DecryptRecordParameters {
  /** The envelope header block bytes. */
  readonly header: Uint8Array;
  /** The encrypted payload: bytes or a stream of bytes (concatenated encrypted chunks). */
  readonly payload: Uint8Array | ReadableStream<Uint8Array>;
  /** A recipient's identity. */
  readonly identity: Identity;
  /** Called after each decrypted chunk. */
  readonly onProgress?: (progress: DecryptProgress) => void;
}

/** A decrypted record. */
export interface DecryptRecordReturnType {
  /** The plaintext. */
  readonly data: Uint8Array;
  /** The decrypted metadata. */
  readonly metadata: RecordMetadata;
}

/**
 * Decrypts a whole record into memory. Nothing is returned unless every chunk verified.
 *
 * @throws {@link DecryptionError} for any failure: not a recipient, any tampering, truncation or extension.
 * @example
 * ```ts
 * import { decryptRecord, encryptRecord, generateIdentity } from '@mhrchain/core';
 *
 * const alice = generateIdentity();
 * const record = await encryptRecord({
 *   data: new TextEncoder().encode('hello'),
 *   metadata: { mediaType: 'text/plain' },
 *   recipients: [alice.publicKey],
 * });
 * const { data, metadata } = await decryptRecord({ header: record.header, payload: record.payload, identity: alice });
 * ```
 */
export async function decryptRecord(parameters: DecryptRecordParameters): Promise<DecryptRecordReturnType> {
  const opened = await openEnvelope(parameters);
  const source =
    parameters.payload instanceof Uint8Array
      ? new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(parameters.payload as Uint8Array);
            controller.close();
          },
        })
      : parameters.payload;
  const options = parameters.onProgress ? { onProgress: parameters.onProgress } : {};
  const data = await collectBytes(source.pipeThrough(opened.createDecryptStream(options)));
  return { data, metadata: opened.metadata };
}
