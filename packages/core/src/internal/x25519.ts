import type * as NodeCrypto from 'node:crypto';
import { x25519 } from '@noble/curves/ed25519.js';
import { nodeBuiltin } from './nodeBuiltin.js';

/**
 * X25519 (RFC 7748): `@noble/curves` everywhere, and in Node the OpenSSL implementation through `node:crypto`
 * (about 50× faster, which matters when a header has many recipient stanzas to try). Both give identical results;
 * low-order public keys are rejected by both (noble before the ladder, OpenSSL by the all-zero check).
 */
const nodeCrypto = nodeBuiltin<typeof NodeCrypto>('node:crypto');

const PKCS8_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20,
]);
const SPKI_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00]);

const der = (prefix: Uint8Array, key: Uint8Array) => {
  const out = new Uint8Array(prefix.length + key.length);
  out.set(prefix);
  out.set(key, prefix.length);
  return out;
};

let useNode = nodeCrypto !== undefined;

/** Turns the `node:crypto` path on or off (tests compare both). Returns the previous setting. */
export function setNodeX25519(enabled: boolean): boolean {
  const previous = useNode;
  useNode = enabled && nodeCrypto !== undefined;
  return previous;
}

function privateKeyObject(secretKey: Uint8Array) {
  return nodeCrypto!.createPrivateKey({ key: Buffer.from(der(PKCS8_PREFIX, secretKey)), format: 'der', type: 'pkcs8' });
}

/** The public key of a 32-byte secret key. */
export function x25519PublicKey(secretKey: Uint8Array): Uint8Array {
  if (!useNode) return x25519.getPublicKey(secretKey);
  const spki = nodeCrypto!.createPublicKey(privateKeyObject(secretKey)).export({ format: 'der', type: 'spki' });
  return new Uint8Array(spki.subarray(SPKI_PREFIX.length));
}

/** The shared secret of a secret key and a peer's public key; throws for low-order public keys. */
export function x25519SharedSecret(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  if (!useNode) return x25519.getSharedSecret(secretKey, publicKey);
  if (publicKey.length !== 32) throw new RangeError('X25519 public key must be 32 bytes');
  const shared = nodeCrypto!.diffieHellman({
    privateKey: privateKeyObject(secretKey),
    publicKey: nodeCrypto!.createPublicKey({
      key: Buffer.from(der(SPKI_PREFIX, publicKey)),
      format: 'der',
      type: 'spki',
    }),
  });
  return new Uint8Array(shared);
}
