import type { Identity } from '../identity.js';
import { importAeadKey, open, seal } from './aead.js';
import { deriveWrapKey } from './keySchedule.js';
import type { RandomBytes } from './random.js';
import { x25519PublicKey, x25519SharedSecret } from './x25519.js';

/** One recipient's wrapped copy of the data key. Nothing in it names the recipient. */
export interface Stanza {
  /** Ephemeral X25519 public key (32 bytes), fresh for every stanza. */
  readonly epk: Uint8Array;
  /** AES-256-GCM(wrapKey, zero nonce, dataKey): 48 bytes. */
  readonly key: Uint8Array;
}

const ZERO_NONCE = new Uint8Array(12);

/** Wraps `dataKey` for one recipient public key (HPKE-style DHKEM(X25519, HKDF-SHA256) base mode, one-shot). */
export async function wrapForRecipient(
  dataKey: Uint8Array,
  recipient: Uint8Array,
  random: RandomBytes,
): Promise<Stanza> {
  const ephemeralSecret = random(32);
  const epk = x25519PublicKey(ephemeralSecret);
  const shared = x25519SharedSecret(ephemeralSecret, recipient);
  const wrapKey = await importAeadKey(deriveWrapKey(shared, epk, recipient));
  return { epk, key: await seal(wrapKey, ZERO_NONCE, dataKey) };
}

/** Orders stanzas by ephemeral key, which is random: the order reveals nothing about the recipients. */
export function sortStanzas(stanzas: Stanza[]): Stanza[] {
  return stanzas.sort((a, b) => {
    for (let i = 0; i < 32; i++) if (a.epk[i] !== b.epk[i]) return a.epk[i]! - b.epk[i]!;
    return 0;
  });
}

/**
 * Tries every stanza with `identity` (trial decryption, as age does); returns the data keys that open, in order.
 * More than one can open only in a forged header: the caller checks each against the key commitment.
 */
export async function unwrapCandidates(stanzas: readonly Stanza[], identity: Identity): Promise<Uint8Array[]> {
  const found: Uint8Array[] = [];
  for (const stanza of stanzas) {
    let shared: Uint8Array;
    try {
      shared = x25519SharedSecret(identity.secretKey, stanza.epk);
    } catch {
      continue; // low-order ephemeral key: not a stanza we can open
    }
    const wrapKey = await importAeadKey(deriveWrapKey(shared, stanza.epk, identity.publicKey));
    try {
      found.push(await open(wrapKey, ZERO_NONCE, stanza.key));
    } catch {
      // not ours
    }
  }
  return found;
}
