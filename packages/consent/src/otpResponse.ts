import { assertPublicKey, type Identity, type TypedDataSigner } from '@mhrchain/core';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, randomBytes } from '@noble/hashes/utils.js';
import { getAddress, isHexString, type TypedDataDomain, verifyTypedData } from 'ethers';
import { InvalidConsentParametersError, InvalidOtpResponseError } from './errors.js';
import type { Hex } from './scope.js';

const MAGIC = /* @__PURE__ */ new TextEncoder().encode('MHRO');
const VERSION = 1;
const HEADER_LENGTH = MAGIC.length + 1 + 32 + 24;
const INFO = /* @__PURE__ */ new TextEncoder().encode('mhrchain/consent/otp-response/v1');

/** What a doctor's app answers to a one-time code challenge. */
export interface OtpResponse {
  /** The chain of the request. */
  chainId: bigint;
  /** The Consent contract of the request. */
  consent: string;
  /** The request the code was given for. */
  requestId: Hex;
  /** The patient asked (checksummed). */
  patient: string;
  /** The doctor who entered the code and signed the response (checksummed). */
  doctor: string;
  /** The code the doctor entered. */
  code: string;
}

/** Parameters of {@link sealOtpResponse}. */
export interface SealOtpResponseParameters {
  /** The patient's X25519 public key, as published in the identity registry. */
  patientPublicKey: Uint8Array;
  chainId: bigint | number;
  consent: string;
  requestId: Hex;
  patient: string;
  /** The code the patient showed or told the doctor. */
  code: string;
  /** The doctor's wallet: signs the response, so an eavesdropper who heard the code cannot answer in its name. */
  signer: TypedDataSigner;
}

/** The EIP-712 message a doctor signs inside a sealed response. */
function typedResponse(response: Omit<OtpResponse, 'doctor'>) {
  const domain: TypedDataDomain = {
    name: 'MHR Chain OTP response',
    version: '1',
    chainId: response.chainId,
    verifyingContract: response.consent,
  };
  const types = {
    OtpResponse: [
      { name: 'patient', type: 'address' },
      { name: 'requestId', type: 'bytes32' },
      { name: 'code', type: 'string' },
    ],
  };
  return { domain, types, value: { patient: response.patient, requestId: response.requestId, code: response.code } };
}

function deriveKey(shared: Uint8Array, ephemeralPublicKey: Uint8Array, recipientPublicKey: Uint8Array): Uint8Array {
  return hkdf(sha256, shared, concatBytes(ephemeralPublicKey, recipientPublicKey), INFO, 32);
}

function isAllZero(bytes: Uint8Array): boolean {
  let acc = 0;
  for (const byte of bytes) acc |= byte;
  return acc === 0;
}

/**
 * The doctor's app answers a code challenge: signs `{patient, requestId, code}` (EIP-712, bound to chain and
 * Consent contract) with the doctor's wallet and seals it to the patient's X25519 key (ephemeral X25519 +
 * HKDF-SHA-256 + XChaCha20-Poly1305). Only the patient's app can read the code; the bytes may travel over any channel
 * (relay server, QR code, message queue) and are never written on chain.
 *
 * @throws {@link InvalidConsentParametersError} for a malformed code, address or request id.
 * @example
 * ```ts
 * import { generateIdentity } from '@mhrchain/core';
 * import { sealOtpResponse } from '@mhrchain/consent';
 * import { Wallet } from 'ethers';
 *
 * const patientKey = generateIdentity();
 * const sealed = await sealOtpResponse({
 *   patientPublicKey: patientKey.publicKey,
 *   chainId: 31337n,
 *   consent: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
 *   requestId: `0x${'11'.repeat(32)}`,
 *   patient: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
 *   code: '492039',
 *   signer: Wallet.createRandom(),
 * });
 * ```
 */
export async function sealOtpResponse(parameters: SealOtpResponseParameters): Promise<Uint8Array> {
  const { patientPublicKey, requestId, code, signer } = parameters;
  if (!/^\d{6,8}$/.test(code)) throw new InvalidConsentParametersError('A one-time code is 6 to 8 digits.');
  if (!isHexString(requestId, 32)) throw new InvalidConsentParametersError('requestId must be 32 bytes of hex.');
  const recipient = assertPublicKey(patientPublicKey);
  let patient: string;
  let consent: string;
  try {
    patient = getAddress(parameters.patient);
    consent = getAddress(parameters.consent);
  } catch (cause) {
    throw new InvalidConsentParametersError('patient and consent must be addresses.', { cause });
  }
  const chainId = BigInt(parameters.chainId);
  const { domain, types, value } = typedResponse({ chainId, consent, requestId, patient, code });
  const doctor = getAddress(await signer.getAddress());
  const signature = await signer.signTypedData(domain, types, value);
  const plaintext = new TextEncoder().encode(
    JSON.stringify({ chainId: chainId.toString(), consent, requestId, patient, doctor, code, signature }),
  );
  const ephemeralSecret = x25519.utils.randomSecretKey();
  const ephemeralPublic = x25519.getPublicKey(ephemeralSecret);
  const key = deriveKey(x25519.getSharedSecret(ephemeralSecret, recipient), ephemeralPublic, recipient);
  const nonce = randomBytes(24);
  const header = concatBytes(MAGIC, Uint8Array.of(VERSION), ephemeralPublic, nonce);
  const ciphertext = xchacha20poly1305(key, nonce, header).encrypt(plaintext);
  return concatBytes(header, ciphertext);
}

/** Parameters of {@link openOtpResponse}. */
export interface OpenOtpResponseParameters {
  /** The patient's X25519 identity. */
  identity: Identity;
  /** The bytes the doctor's app sent. */
  sealed: Uint8Array;
}

/**
 * The patient's app opens a sealed response and checks the doctor's signature. It does not check the code: pass
 * the result to {@link OtpConfirmations.confirm} (or use `approveWithOtp`, which does both and grants).
 *
 * @throws {@link InvalidOtpResponseError} when the bytes are not a response sealed to this identity, were altered, or
 * the signature is not the named doctor's.
 * @example
 * ```ts
 * import { generateIdentity } from '@mhrchain/core';
 * import { openOtpResponse } from '@mhrchain/consent';
 *
 * const identity = generateIdentity();
 * declare const sealed: Uint8Array; // from the doctor's app
 * const { requestId, doctor, code } = openOtpResponse({ identity, sealed });
 * ```
 */
export function openOtpResponse(parameters: OpenOtpResponseParameters): OtpResponse {
  const { identity, sealed } = parameters;
  try {
    if (!(sealed instanceof Uint8Array) || sealed.length < HEADER_LENGTH + 16) throw new Error('too short');
    for (let i = 0; i < MAGIC.length; i++) if (sealed[i] !== MAGIC[i]) throw new Error('magic');
    if (sealed[MAGIC.length] !== VERSION) throw new Error('version');
    const ephemeralPublic = sealed.subarray(MAGIC.length + 1, MAGIC.length + 33);
    const nonce = sealed.subarray(MAGIC.length + 33, HEADER_LENGTH);
    const shared = x25519.getSharedSecret(identity.secretKey, ephemeralPublic);
    if (isAllZero(shared)) throw new Error('low order');
    const key = deriveKey(shared, ephemeralPublic, identity.publicKey);
    const plaintext = xchacha20poly1305(key, nonce, sealed.subarray(0, HEADER_LENGTH)).decrypt(
      sealed.subarray(HEADER_LENGTH),
    );
    const body = JSON.parse(new TextDecoder().decode(plaintext)) as Record<string, unknown>;
    const { chainId, consent, requestId, patient, doctor, code, signature } = body;
    if (
      typeof chainId !== 'string' ||
      typeof consent !== 'string' ||
      typeof requestId !== 'string' ||
      typeof patient !== 'string' ||
      typeof doctor !== 'string' ||
      typeof code !== 'string' ||
      typeof signature !== 'string' ||
      !isHexString(requestId, 32) ||
      !/^\d{6,8}$/.test(code)
    )
      throw new Error('shape');
    const response: OtpResponse = {
      chainId: BigInt(chainId),
      consent: getAddress(consent),
      requestId: requestId.toLowerCase() as Hex,
      patient: getAddress(patient),
      doctor: getAddress(doctor),
      code,
    };
    const { domain, types, value } = typedResponse(response);
    if (getAddress(verifyTypedData(domain, types, value, signature)) !== response.doctor) throw new Error('signer');
    return response;
  } catch (cause) {
    throw new InvalidOtpResponseError({ cause });
  }
}
