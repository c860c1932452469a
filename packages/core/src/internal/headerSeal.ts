import type { CID } from 'multiformats/cid';
import type { Block } from '../block.js';
import {
  CHUNK_SIZE,
  decodeHeader,
  ENVELOPE_AEAD,
  ENVELOPE_TYPE,
  ENVELOPE_VERSION,
  type EnvelopeHeaderNode,
  encodeHeader,
  encodeUnsignedHeader,
  MAX_RECIPIENTS,
  type UnsignedHeader,
} from '../envelopeHeader.js';
import { DecryptionError, InvalidParametersError } from '../errors.js';
import { assertPublicKey, type Identity } from '../identity.js';
import { decodeMetadata, type RecordMetadata } from '../metadata.js';
import { importAeadKey, open } from './aead.js';
import { equalBytes } from './bytes.js';
import { deriveRecordKeys, headerMac, type RecordKeys } from './keySchedule.js';
import type { RandomBytes } from './random.js';
import { type Stanza, sortStanzas, unwrapCandidates, wrapForRecipient } from './recipients.js';

/** Validates and de-duplicates recipient public keys. */
export function checkRecipients(recipients: readonly Uint8Array[] | undefined, name = 'recipients'): Uint8Array[] {
  if (!Array.isArray(recipients) || recipients.length === 0)
    throw new InvalidParametersError(`At least one recipient is required (${name}).`);
  const seen = new Set<string>();
  const out: Uint8Array[] = [];
  for (const recipient of recipients) {
    const key = assertPublicKey(recipient);
    const hex = Array.from(key, (b) => b.toString(16).padStart(2, '0')).join('');
    if (seen.has(hex)) continue;
    seen.add(hex);
    out.push(key);
  }
  if (out.length > MAX_RECIPIENTS) throw new InvalidParametersError(`At most ${MAX_RECIPIENTS} recipients.`);
  return out;
}

/** Wraps the data key for every recipient, in random order. */
export async function wrapAll(dataKey: Uint8Array, recipients: readonly Uint8Array[], random: RandomBytes) {
  const stanzas: Stanza[] = [];
  for (const recipient of recipients) stanzas.push(await wrapForRecipient(dataKey, recipient, random));
  return sortStanzas(stanzas);
}

/** Builds, MACs and encodes a header. */
export async function sealHeader(parameters: {
  keys: RecordKeys;
  salt: Uint8Array;
  stanzas: readonly Stanza[];
  metadata: Uint8Array;
  payload: CID;
}): Promise<Block & { node: EnvelopeHeaderNode }> {
  const { keys, salt, stanzas, metadata, payload } = parameters;
  if (stanzas.length > MAX_RECIPIENTS) throw new InvalidParametersError(`At most ${MAX_RECIPIENTS} recipients.`);
  const unsigned: UnsignedHeader = {
    type: ENVELOPE_TYPE,
    version: ENVELOPE_VERSION,
    aead: ENVELOPE_AEAD,
    chunkSize: CHUNK_SIZE,
    salt,
    recipients: stanzas,
    metadata,
    payload,
    commitment: keys.commitment,
  };
  const node: EnvelopeHeaderNode = { ...unsigned, mac: headerMac(keys.macKey, encodeUnsignedHeader(unsigned)) };
  const block = await encodeHeader(node);
  return { ...block, node };
}

/** A header opened with a recipient's identity. Holds the data key: internal only. */
export interface UnlockedHeader {
  readonly node: EnvelopeHeaderNode;
  readonly dataKey: Uint8Array;
  readonly keys: RecordKeys;
  readonly metadata: RecordMetadata;
}

const ZERO_NONCE = new Uint8Array(12);

/**
 * Opens a header: finds the stanza for `identity`, checks the key commitment and the header MAC, decrypts the
 * metadata. Every failure is the one opaque {@link DecryptionError}.
 */
export async function unlockHeader(bytes: Uint8Array, identity: Identity): Promise<UnlockedHeader> {
  try {
    const node = decodeHeader(bytes);
    for (const dataKey of await unwrapCandidates(node.recipients, identity)) {
      const keys = deriveRecordKeys(dataKey, node.salt);
      if (!equalBytes(keys.commitment, node.commitment)) continue;
      const { mac, ...unsigned } = node;
      if (!equalBytes(headerMac(keys.macKey, encodeUnsignedHeader(unsigned)), mac)) break;
      const metadataKey = await importAeadKey(keys.metadataKey);
      const metadata = decodeMetadata(await open(metadataKey, ZERO_NONCE, node.metadata));
      return { node, dataKey, keys, metadata };
    }
  } catch {
    // fall through: one opaque error whatever went wrong
  }
  throw new DecryptionError();
}
