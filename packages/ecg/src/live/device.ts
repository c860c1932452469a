import { ed25519 } from '@noble/curves/ed25519.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { InvalidLiveParametersError } from './errors.js';
import { fromHex, STREAM_ID_LENGTH, toHex } from './internal/wire.js';

/** The Ed25519 key pair of a wearable: it signs the stream's key announcements, so nobody else can inject keys. */
export interface LiveDeviceKey {
  /** 32-byte Ed25519 public key (goes into the {@link LiveStreamDescriptor}). */
  readonly publicKey: Uint8Array;
  /** 32-byte Ed25519 secret key (stays on the device). */
  readonly secretKey: Uint8Array;
}

/**
 * What a doctor needs to subscribe to a live stream: where it is and who signs it. Plain JSON (strings and
 * numbers), so it can travel in a QR code, a consent record or a message. It holds no secret.
 */
export interface LiveStreamDescriptor {
  /** 16-byte stream id, hex. */
  readonly streamId: string;
  /** The transport topic of the stream. */
  readonly topic: string;
  /** The device's Ed25519 public key, hex. */
  readonly devicePublicKey: string;
  /** Samples per second per channel. */
  readonly sampleRate: number;
  /** Interleaved channels (leads). */
  readonly channels: number;
  /** Bits per sample. */
  readonly bitDepth: number;
}

/**
 * Generates a wearable's device key (or derives it from a 32-byte seed).
 *
 * @example
 * ```ts
 * import { generateLiveDeviceKey } from '@mhrchain/ecg/live';
 *
 * const device = generateLiveDeviceKey();
 * console.log(device.publicKey.length); // 32
 * ```
 */
export function generateLiveDeviceKey(seed?: Uint8Array): LiveDeviceKey {
  if (seed !== undefined && (!(seed instanceof Uint8Array) || seed.length !== 32)) {
    throw new InvalidLiveParametersError('A device key seed is 32 bytes.');
  }
  const { secretKey, publicKey } = ed25519.keygen(seed);
  return { secretKey, publicKey };
}

/**
 * Generates a random 16-byte stream id, hex.
 *
 * @example
 * ```ts
 * import { generateStreamId } from '@mhrchain/ecg/live';
 *
 * console.log(generateStreamId().length); // 32
 * ```
 */
export function generateStreamId(): string {
  return toHex(randomBytes(STREAM_ID_LENGTH));
}

/**
 * The default topic of a stream: `mhrchain/ecg/v1/<streamId>`.
 *
 * @example
 * ```ts
 * import { liveStreamTopic } from '@mhrchain/ecg/live';
 *
 * liveStreamTopic('00112233445566778899aabbccddeeff'); // 'mhrchain/ecg/v1/00112233445566778899aabbccddeeff'
 * ```
 */
export function liveStreamTopic(streamId: string): string {
  return `mhrchain/ecg/v1/${streamId}`;
}

/** Checks a descriptor and returns its binary stream id and device key. @internal */
export function parseDescriptor(descriptor: LiveStreamDescriptor): {
  streamId: Uint8Array;
  devicePublicKey: Uint8Array;
} {
  const streamId = typeof descriptor?.streamId === 'string' ? fromHex(descriptor.streamId) : undefined;
  if (!streamId || streamId.length !== STREAM_ID_LENGTH) {
    throw new InvalidLiveParametersError('A stream id is 16 bytes of hex.', { details: String(descriptor?.streamId) });
  }
  const devicePublicKey =
    typeof descriptor.devicePublicKey === 'string' ? fromHex(descriptor.devicePublicKey) : undefined;
  if (devicePublicKey?.length !== 32) {
    throw new InvalidLiveParametersError('A device public key is 32 bytes of hex.', {
      details: String(descriptor.devicePublicKey),
    });
  }
  if (typeof descriptor.topic !== 'string' || descriptor.topic.length === 0) {
    throw new InvalidLiveParametersError('A stream descriptor needs a topic.');
  }
  for (const name of ['sampleRate', 'channels', 'bitDepth'] as const) {
    const value = descriptor[name];
    if (!Number.isSafeInteger(value) || value < 1)
      throw new InvalidLiveParametersError(`Invalid ${name}.`, { details: String(value) });
  }
  return { streamId, devicePublicKey };
}
