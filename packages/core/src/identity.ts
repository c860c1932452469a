import { x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { Signature, TypedDataDomain, TypedDataField } from 'ethers';
import { IdentityDerivationError, InvalidKeyError, InvalidParametersError } from './errors.js';
import { x25519PublicKey, x25519SharedSecret } from './internal/x25519.js';

/**
 * An X25519 encryption identity. Records are encrypted to its `publicKey`; its `secretKey` opens them.
 * Keep `secretKey` secret. A wallet-derived identity ({@link deriveBoundIdentity}, legacy
 * {@link deriveIdentityFromSigner}) can be derived again from the wallet; a random one ({@link generateIdentity},
 * an identity key store) exists only where it is kept.
 */
export interface Identity {
  /** The 32-byte X25519 public key: what others encrypt to, and how recipients are identified. */
  readonly publicKey: Uint8Array;
  /** The 32-byte X25519 secret key. */
  readonly secretKey: Uint8Array;
}

/** The part of an ethers `Signer` that {@link deriveBoundIdentity} and {@link deriveIdentityFromSigner} need. */
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
 * Derives the legacy (v1) encryption identity of an Ethereum wallet: the signer signs the fixed EIP-712 message
 * {@link identityDerivationMessage}; HKDF-SHA256 over the signature's canonical `r || s` gives the X25519 secret key.
 *
 * The same signer always gives the same key (ECDSA signatures are deterministic, RFC 6979), so a wallet user never
 * manages a second secret. The signature is checked against the signer's address before use.
 *
 * Legacy: the message binds no origin, chain or contract, so any site that obtains this one signature holds the
 * account's key everywhere, for good; and the wallet can always derive the key again, so it can never be shredded.
 * It stays for accounts whose records are wrapped for a v1 key. New accounts should use {@link deriveBoundIdentity}
 * (bound to origin, chain and IdentityRegistry) or, when erasure matters, a random identity in an identity key store.
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
  const { domain, types, value } = derivationMessage();
  return deriveFromTypedData(signer, domain, types, value, DERIVE_SALT, DERIVE_INFO);
}

/**
 * Has `signer` sign the typed data, checks the signature against the signer's address, and returns the identity whose
 * secret key is HKDF-SHA256 over the signature's canonical `r || s`.
 */
async function deriveFromTypedData(
  signer: TypedDataSigner,
  domain: TypedDataDomain,
  types: Record<string, TypedDataField[]>,
  value: Record<string, unknown>,
  salt: Uint8Array,
  info: Uint8Array,
): Promise<Identity> {
  // Loaded on first use: ethers is most of the cost of importing @mhrchain/core otherwise.
  const { getBytes, Signature, verifyTypedData } = await import('ethers');
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
  return importIdentity(hkdf(sha256, ikm, salt, info, KEY_LENGTH));
}

/** Parameters of {@link deriveBoundIdentity}. */
export interface DeriveBoundIdentityParameters {
  /** The account's wallet. */
  readonly signer: TypedDataSigner;
  /** The chain the identity is used on (EIP-155 chain id). */
  readonly chainId: bigint | number;
  /** The IdentityRegistry contract address on that chain (the EIP-712 `verifyingContract`). */
  readonly contract: string;
  /**
   * The application the identity belongs to: its web origin exactly as `location.origin` gives it
   * (`'https://ehr.example'`: scheme, host and port, no path, no trailing slash) or an application id
   * (`'org.example.ehr'`). Compared byte for byte: two spellings are two identities.
   */
  readonly origin: string;
}

/** The EIP-712 typed data {@link deriveBoundIdentity} has the wallet sign (what the wallet shows the user). */
export interface BoundIdentityMessage {
  readonly domain: {
    readonly name: string;
    readonly version: string;
    readonly chainId: bigint;
    readonly verifyingContract: string;
  };
  readonly types: { readonly EncryptionKey: readonly { readonly name: string; readonly type: string }[] };
  readonly primaryType: 'EncryptionKey';
  readonly value: { readonly origin: string; readonly purpose: string };
}

/** The `purpose` line of every {@link boundIdentityMessage}: what the wallet shows above the origin. */
export const boundIdentityPurpose =
  'Derive my MHR Chain encryption key for the app named in "origin". Sign this only in that app: this signature opens my health records.';

const BOUND_SALT = textEncoder.encode('mhrchain/identity/v2');
const BOUND_INFO = textEncoder.encode('mhrchain/identity/v2/x25519-secret-key');
const MAX_ORIGIN_LENGTH = 256;

/**
 * The EIP-712 typed data behind {@link deriveBoundIdentity} for one chain, IdentityRegistry and origin: domain
 * `{ name: 'MHR Chain identity', version: '2', chainId, verifyingContract }`, message `EncryptionKey { string origin;
 * string purpose }`. Changing any byte of it changes the derived key.
 *
 * @throws {@link InvalidParametersError} for an empty or over-long origin, a bad chain id or contract address.
 * @example
 * ```ts
 * import { boundIdentityMessage } from '@mhrchain/core';
 *
 * const message = boundIdentityMessage({
 *   chainId: 31337n,
 *   contract: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
 *   origin: 'https://ehr.example',
 * });
 * console.log(message.domain.version); // '2'
 * ```
 */
export function boundIdentityMessage(parameters: Omit<DeriveBoundIdentityParameters, 'signer'>): BoundIdentityMessage {
  const { origin } = parameters;
  if (
    typeof origin !== 'string' ||
    origin.length === 0 ||
    origin.length > MAX_ORIGIN_LENGTH ||
    origin.trim() !== origin
  )
    throw new InvalidParametersError('The identity origin must be a non-empty string without surrounding spaces.', {
      details: typeof origin === 'string' ? `got ${JSON.stringify(origin.slice(0, 300))}` : `got ${typeof origin}`,
    });
  let chainId: bigint;
  try {
    chainId = BigInt(parameters.chainId);
  } catch (cause) {
    throw new InvalidParametersError('The chain id must be an integer.', { cause });
  }
  if (chainId <= 0n) throw new InvalidParametersError('The chain id must be positive.', { details: `got ${chainId}` });
  if (typeof parameters.contract !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(parameters.contract))
    throw new InvalidParametersError('The IdentityRegistry address must be a 20-byte hex address.', {
      details: `got ${String(parameters.contract)}`,
    });
  return {
    // The address is lower-cased: EIP-712 encodes it as 20 bytes, so its checksum spelling never changes the key.
    domain: { name: 'MHR Chain identity', version: '2', chainId, verifyingContract: parameters.contract.toLowerCase() },
    types: {
      EncryptionKey: [
        { name: 'origin', type: 'string' },
        { name: 'purpose', type: 'string' },
      ],
    },
    primaryType: 'EncryptionKey',
    value: { origin, purpose: boundIdentityPurpose },
  };
}

/**
 * Derives the encryption identity of an Ethereum wallet for one application on one deployment (derivation v2): the
 * signer signs the EIP-712 typed data {@link boundIdentityMessage}, whose domain binds the chain id and the
 * IdentityRegistry address and whose message binds the application's `origin`; HKDF-SHA256 over the signature's
 * canonical `r || s` gives the X25519 secret key. The signature is checked against the signer's address before use.
 *
 * A signature made for one origin, chain or registry does not give the identity of another, so an app that obtains
 * its own signature learns only its own key. The binding is only as strong as the user's reading of the wallet
 * prompt: a site can still ask the wallet to sign a message naming another origin (wallets show the origin field but
 * do not check it against the requesting site). Like {@link deriveIdentityFromSigner}, the key can always be
 * derived again from the wallet, on any device, and so can never be shredded: use an identity key store
 * (`createFileIdentityKeyStore` from `@mhrchain/core/node`, `createIndexedDbIdentityKeyStore`) when erasure matters.
 *
 * Prefer it to {@link deriveIdentityFromSigner} for new accounts; an account registered with a v1 key keeps using v1
 * (the two keys differ, and records wrapped for one cannot be opened with the other).
 *
 * @throws {@link InvalidParametersError} for a bad origin, chain id or contract address.
 * @throws {@link IdentityDerivationError} when the signer fails or returns a signature not made by its address.
 * @example
 * ```ts
 * import { Wallet } from 'ethers';
 * import { deriveBoundIdentity } from '@mhrchain/core';
 *
 * const identity = await deriveBoundIdentity({
 *   signer: Wallet.createRandom(),
 *   chainId: 31337n,
 *   contract: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
 *   origin: 'https://ehr.example',
 * });
 * ```
 */
export async function deriveBoundIdentity(parameters: DeriveBoundIdentityParameters): Promise<Identity> {
  const { domain, types, value } = boundIdentityMessage(parameters);
  return deriveFromTypedData(
    parameters.signer,
    { ...domain },
    { EncryptionKey: types.EncryptionKey.map((f) => ({ ...f })) },
    { ...value },
    BOUND_SALT,
    BOUND_INFO,
  );
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
