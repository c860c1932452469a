import { decryptRecord, encryptRecord, type Identity } from '@mhrchain/core';
import { ed25519 } from '@noble/curves/ed25519.js';
import {
  KEY_LENGTH,
  type MessagePrefix,
  PREFIX_LENGTH,
  readPrefix,
  SIGNATURE_LENGTH,
  TYPE_KEY,
  writePrefix,
} from './wire.js';

/** Media type of the core envelope that carries an epoch key. */
export const EPOCH_KEY_MEDIA_TYPE = 'application/vnd.mhrchain.ecg-live-key';

/**
 * Builds a key announcement: the epoch key sealed into a core envelope (one X25519 stanza per recipient, core's
 * anonymous recipient wrapping), prefixed with stream id, epoch and first sequence, signed by the device key.
 */
export async function createKeyAnnouncement(parameters: {
  streamId: Uint8Array;
  epoch: number;
  firstSequence: number;
  epochKey: Uint8Array;
  recipients: readonly Uint8Array[];
  deviceSecretKey: Uint8Array;
}): Promise<Uint8Array> {
  const record = await encryptRecord({
    data: parameters.epochKey,
    metadata: { mediaType: EPOCH_KEY_MEDIA_TYPE, created: new Date(0) },
    recipients: parameters.recipients,
  });
  const { header, payload } = record;
  const bodyLength = PREFIX_LENGTH + 4 + header.length + 4 + payload.length;
  const out = new Uint8Array(bodyLength + SIGNATURE_LENGTH);
  writePrefix(out, {
    type: TYPE_KEY,
    streamId: parameters.streamId,
    epoch: parameters.epoch,
    sequence: parameters.firstSequence,
  });
  const view = new DataView(out.buffer);
  view.setUint32(PREFIX_LENGTH, header.length);
  out.set(header, PREFIX_LENGTH + 4);
  view.setUint32(PREFIX_LENGTH + 4 + header.length, payload.length);
  out.set(payload, PREFIX_LENGTH + 8 + header.length);
  out.set(ed25519.sign(out.subarray(0, bodyLength), parameters.deviceSecretKey), bodyLength);
  return out;
}

/** A verified key announcement: `key` is undefined when the identity is not a recipient. */
export interface OpenedKeyAnnouncement extends MessagePrefix {
  key: Uint8Array | undefined;
}

/**
 * Verifies the device signature of a key announcement and, when `identity` is a recipient, returns the epoch key.
 * Returns `'malformed'` or `'bad-signature'` for rejected messages.
 */
export async function openKeyAnnouncement(
  bytes: Uint8Array,
  devicePublicKey: Uint8Array,
  identity: Identity,
): Promise<OpenedKeyAnnouncement | 'malformed' | 'bad-signature'> {
  const prefix = readPrefix(bytes);
  if (!prefix || prefix.type !== TYPE_KEY || bytes.length < PREFIX_LENGTH + 8 + SIGNATURE_LENGTH) return 'malformed';
  const bodyLength = bytes.length - SIGNATURE_LENGTH;
  let signatureOk = false;
  try {
    signatureOk = ed25519.verify(bytes.subarray(bodyLength), bytes.subarray(0, bodyLength), devicePublicKey);
  } catch {
    signatureOk = false;
  }
  if (!signatureOk) return 'bad-signature';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(PREFIX_LENGTH);
  if (PREFIX_LENGTH + 8 + headerLength > bodyLength) return 'malformed';
  const header = bytes.subarray(PREFIX_LENGTH + 4, PREFIX_LENGTH + 4 + headerLength);
  const payloadLength = view.getUint32(PREFIX_LENGTH + 4 + headerLength);
  if (PREFIX_LENGTH + 8 + headerLength + payloadLength !== bodyLength) return 'malformed';
  const payload = bytes.subarray(PREFIX_LENGTH + 8 + headerLength, bodyLength);
  try {
    const { data, metadata } = await decryptRecord({ header, payload, identity });
    if (metadata.mediaType !== EPOCH_KEY_MEDIA_TYPE || data.length !== KEY_LENGTH) return { ...prefix, key: undefined };
    return { ...prefix, key: data };
  } catch {
    return { ...prefix, key: undefined };
  }
}
