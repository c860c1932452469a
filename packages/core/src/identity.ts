import { x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { Signature, TypedDataDomain, TypedDataField } from 'ethers';
import { IdentityDerivationError, InvalidKeyError } from './errors.js';
import { x25519PublicKey, x25519SharedSecret } from './internal/x25519.js';

/**
 * An X25519 encryption identity. Records are encrypted to its `publicKey`; its `secretKey` opens them.
 * Keep `secretKey` secret (or derive it again from the wallet with {@link deriveIdentityFromSigner}).
 */
export interface Identity {
  /** The 32-byte X25519 public key: what others encrypt to, and how recipients are identified. */
  readonly publicKey: Uint8Array;
  /** The 32-byte X25519 secret key. */
  readonly secretKey: Uint8Array;
}

/** The part of an ethers `Signer` that {@link deriveIdentityFromSigner} needs. */
export interface TypedDataSigner {
  /** The signer's address. */
  getAddress(): Promise<string>;
  /** Signs EIP-712 typed data (ethers v6 `Signer.signTypedData`). */
  signTypedData(
    domain: TypedDataDomain,
    types: Record<string, TypedDataField[]>,
    value: Record<string, unknown>,
  ): Promise<string>;
}

/**
 * The fixed EIP-712 message signed by {@link deriveIdentityFromSigner}. It has no chain id and no verifying
 * contract, so the same wallet derives the same key on every chain. Changing any byte of it changes every derived key.
 */
export const identityDerivationMessage: {
  readonly domain: Readonly<TypedDataDomain>;
  readonly types: Readonly<Record<string, readonly Readonly<TypedDataField>[]>>;
  readonly primaryType: string;
  readonly value: Readonly<{ purpose: string; version: number }>;
} = {
  domain: { name: 'MHR Chain', version: '1' },
  types: {
    EncryptionKey: [
      { name: 'purpose', type: 'string' },
      { name: 'version', type: 'uint256' },
    ],
  },
  primaryType: 'EncryptionKey',
  value: {
    purpose:
      'Derive my MHR Chain encryption key. Sign this only in an app you trust: this signature opens my health records.',
    version: 1,
  },
};

/** Fresh mutable copies of the derivation message, as signers and ethers expect. */
function derivationMessage() {
  const { domain, types, value } = identityDerivationMessage;
  return {
    domain: { ...domain },
    types: Object.fromEntries(Object.entries(types).map(([k, fields]) => [k, fields.map((f) => ({ ...f }))])),
    value: { ...value },
  };
}

const KEY_LENGTH = 32;
const textEncoder = new TextEncoder();
const DERIVE_SALT = textEncoder.encode('mhrchain/identity/v1');
const DERIVE_INFO = textEncoder.encode('mhrchain/identity/v1/x25519-secret-key');

/**
 * Generates a new random X25519 identity.
 *
 * @example
 * ```ts
 * import { generateIdentity } from '@mhrchain/core';
 *
 * const alice = generateIdentity();
 * console.log(alice.publicKey.length); // 32
 * ```
 */
export function generateIdentity(): Identity {
  return importIdentity(x25519.utils.randomSecretKey());
}

/**
 * Rebuilds an identity from its 32-byte X25519 secret key.
 *
 * @throws {@link InvalidKeyError} when the key is not 32 bytes.
 * @example
 * ```ts
 * import { generateIdentity, importIdentity } from '@mhrchain/core';
 *
 * const saved = generateIdentity().secretKey;
 * const identity = importIdentity(saved);
 * ```
 */
export function importIdentity(secretKey: Uint8Array): Identity {
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== KEY_LENGTH)
    throw new InvalidKeyError('An X25519 secret key is 32 bytes.', {
      details: `got ${secretKey instanceof Uint8Array ? `${secretKey.length} bytes` : typeof secretKey}`,
    });
  const copy = Uint8Array.from(secretKey);
  return Object.freeze({ publicKey: x25519PublicKey(copy), secretKey: copy });
}

/**
 * Derives the encryption identity of an Ethereum wallet: the signer signs the fixed EIP-712 message
 * {@link identityDerivationMessage}; HKDF-SHA256 over the signature's canonical `r || s` gives the X25519 secret key.
 *
 * The same signer always gives the same key (ECDSA signatures are deterministic, RFC 6979), so a wallet user never
 * manages a second secret. The signature is checked against the signer's address before use.
 *
 * @throws {@link IdentityDerivationError} when the signer fails or returns a signature not made by its address.
 * @example
 * ```ts
 * import { Wallet } from 'ethers';
 * import { deriveIdentityFromSigner } from '@mhrchain/core';
 *
 * const identity = await deriveIdentityFromSigner(Wallet.createRandom());
 * ```
 */
export async function deriveIdentityFromSigner(signer: TypedDataSigner): Promise<Identity> {
  // Loaded on first use: ethers is most of the cost of importing @mhrchain/core otherwise.
  const { getBytes, Signature, verifyTypedData } = await import('ethers');
  const { domain, types, value } = derivationMessage();
  let address: string;
  let signature: string;
  try {
    address = await signer.getAddress();
    signature = await signer.signTypedData(domain, types, value);
  } catch (cause) {
    throw new IdentityDerivationError('The signer could not sign the key derivation message.', { cause });
  }
  let parsed: Signature;
  let recovered: string;
  try {
    parsed = Signature.from(signature);
    recovered = verifyTypedData(domain, types, value, parsed);
  } catch (cause) {
    throw new IdentityDerivationError('The signer returned an invalid signature.', { cause });
  }
  if (recovered.toLowerCase() !== address.toLowerCase())
    throw new IdentityDerivationError('The signature was not made by the signer address.', {
      details: `expected ${address}, recovered ${recovered}`,
    });
  // `Signature.from` normalises s to the lower half, so malleated signatures derive the same key.
  const ikm = new Uint8Array([...getBytes(parsed.r), ...getBytes(parsed.s)]);
  return importIdentity(hkdf(sha256, ikm, DERIVE_SALT, DERIVE_INFO, KEY_LENGTH));
}

/**
 * Checks that `publicKey` is a usable X25519 public key (32 bytes, not a low-order point) and returns a copy.
 *
 * @throws {@link InvalidKeyError} otherwise.
 * @example
 * ```ts
 * import { assertPublicKey, generateIdentity } from '@mhrchain/core';
 *
 * const key = assertPublicKey(generateIdentity().publicKey);
 * ```
 */
export function assertPublicKey(publicKey: Uint8Array): Uint8Array {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== KEY_LENGTH)
    throw new InvalidKeyError('An X25519 public key is 32 bytes.', {
      details: `got ${publicKey instanceof Uint8Array ? `${publicKey.length} bytes` : typeof publicKey}`,
    });
  try {
    // Rejects the low-order points (the shared secret would be independent of our key).
    x25519SharedSecret(LOW_ORDER_PROBE, publicKey);
  } catch (cause) {
    throw new InvalidKeyError('The X25519 public key is a low-order point.', { cause });
  }
  return Uint8Array.from(publicKey);
}

const LOW_ORDER_PROBE = /* @__PURE__ */ new Uint8Array(32).fill(7);
