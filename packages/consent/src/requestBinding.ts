import { AbiCoder, getAddress, getBytes, isHexString, keccak256 } from 'ethers';
import { InvalidConsentParametersError } from './errors.js';
import { type PurposeOfUse, purposeOfUse } from './purposeOfUse.js';
import { type AccessScope, type Hex, scopeHash } from './scope.js';

/**
 * Domain tag of the binding, so its hash never collides with another structure of the protocol. v2: the purpose is
 * the PurposeOfUse number (`uint16`) the contract emits, no longer a free `bytes32`.
 */
const BINDING_TAG = keccak256(new TextEncoder().encode('mhrchain/consent/otp-binding/v2'));

/** Everything that identifies one access request exactly. */
export interface RequestBindingParameters {
  /** The chain the request was made on. */
  chainId: bigint | number;
  /** Address of the Consent contract that holds the request. */
  consent: string;
  /** The request id (see {@link requestIdOf}). */
  requestId: Hex;
  /** The patient asked. */
  patient: string;
  /** The requesting doctor. */
  doctor: string;
  /** What the doctor asked for. */
  scope: AccessScope;
  /** The request's purpose of use (bound as its contract number). */
  purpose: PurposeOfUse;
  /** The requested duration in seconds. */
  duration: number;
  /** A fresh 32-byte value drawn by the patient's app for this code: two codes never share a binding. */
  nonce: Uint8Array;
}

/**
 * The 32-byte binding of a one-time code to one access request: keccak256 of the ABI encoding of a domain tag, chain
 * id, Consent contract, request id, patient, doctor, scope hash, purpose of use (its `uint16` number), duration and a
 * fresh nonce. A code issued
 * under one binding is refused under any other, so a code cannot confirm another request, another doctor, a wider
 * scope, or the same request on another chain or contract.
 *
 * @throws {@link InvalidConsentParametersError} when a field is malformed ({@link InvalidPurposeError} for the purpose).
 * @example
 * ```ts
 * import { requestBinding } from '@mhrchain/consent';
 *
 * const binding = requestBinding({
 *   chainId: 31337n,
 *   consent: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
 *   requestId: `0x${'11'.repeat(32)}`,
 *   patient: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
 *   doctor: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC',
 *   scope: { kind: 'all' },
 *   purpose: 'TREAT',
 *   duration: 86_400,
 *   nonce: crypto.getRandomValues(new Uint8Array(32)),
 * });
 * binding.length; // 32
 * ```
 */
export function requestBinding(parameters: RequestBindingParameters): Uint8Array {
  const { chainId, consent, requestId, patient, doctor, scope, purpose, duration, nonce } = parameters;
  if (!isHexString(requestId, 32)) throw new InvalidConsentParametersError('requestId must be 32 bytes of hex.');
  const { number: purposeNumber } = purposeOfUse(purpose);
  if (!(nonce instanceof Uint8Array) || nonce.length !== 32)
    throw new InvalidConsentParametersError('nonce must be 32 bytes.');
  if (!Number.isInteger(duration) || duration <= 0 || duration > 0xffffffff)
    throw new InvalidConsentParametersError('duration must be a positive uint32.');
  if (BigInt(chainId) <= 0n) throw new InvalidConsentParametersError('chainId must be positive.');
  let addresses: string[];
  try {
    addresses = [getAddress(consent), getAddress(patient), getAddress(doctor)];
  } catch (cause) {
    throw new InvalidConsentParametersError('consent, patient and doctor must be addresses.', { cause });
  }
  const encoded = AbiCoder.defaultAbiCoder().encode(
    ['bytes32', 'uint256', 'address', 'bytes32', 'address', 'address', 'bytes32', 'uint16', 'uint32', 'bytes32'],
    [
      BINDING_TAG,
      BigInt(chainId),
      addresses[0],
      requestId,
      addresses[1],
      addresses[2],
      scopeHash(scope),
      purposeNumber,
      duration,
      nonce,
    ],
  );
  return getBytes(keccak256(encoded));
}

/** Where an `AccessRequested` event sits on chain. */
export interface RequestLocation {
  /** Hash of the transaction that emitted the event. */
  transactionHash: string;
  /** Index of the event in its block. */
  logIndex: number;
}

/**
 * The id of an access request: keccak256(abi.encode(transactionHash, logIndex)) of its `AccessRequested` event.
 * Both apps compute it from the chain alone; every request, even a repeated one of the same doctor, gets its own.
 *
 * @example
 * ```ts
 * import { requestIdOf } from '@mhrchain/consent';
 *
 * requestIdOf({ transactionHash: `0x${'ab'.repeat(32)}`, logIndex: 0 }); // 0x…
 * ```
 */
export function requestIdOf(location: RequestLocation): Hex {
  if (!isHexString(location.transactionHash, 32))
    throw new InvalidConsentParametersError('transactionHash must be 32 bytes of hex.');
  if (!Number.isInteger(location.logIndex) || location.logIndex < 0)
    throw new InvalidConsentParametersError('logIndex must be a non-negative integer.');
  return keccak256(
    AbiCoder.defaultAbiCoder().encode(['bytes32', 'uint256'], [location.transactionHash, location.logIndex]),
  ) as Hex;
}
