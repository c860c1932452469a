import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { InvalidOtpParametersError } from './errors.js';

/** Hash functions allowed by RFC 4226 / RFC 6238. */
export type OtpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';

/** Parameters of {@link hotp}. */
export interface HotpParameters {
  /** The shared secret (at least 16 bytes; RFC 4226 recommends 20). */
  secret: Uint8Array;
  /** The moving factor. */
  counter: bigint | number;
  /** Code length, 6 to 8 digits. Default 6. */
  digits?: number;
  /** Default `'SHA1'`, the one authenticator apps support everywhere. */
  algorithm?: OtpAlgorithm;
}

const hashes = { SHA1: sha1, SHA256: sha256, SHA512: sha512 } as const;

/** @internal */
export function checkDigits(digits: number): void {
  if (!Number.isInteger(digits) || digits < 6 || digits > 8) {
    throw new InvalidOtpParametersError(`digits must be 6, 7 or 8, got ${digits}`);
  }
}

/**
 * HMAC-based one-time password (RFC 4226), generalised to SHA-256 and SHA-512 as RFC 6238 does.
 *
 * @example
 * ```ts
 * import { hotp } from '@mhrchain/consent';
 *
 * const secret = new TextEncoder().encode('12345678901234567890');
 * hotp({ secret, counter: 0 }); // '755224'
 * ```
 */
export function hotp(parameters: HotpParameters): string {
  const { secret, counter, digits = 6, algorithm = 'SHA1' } = parameters;
  checkDigits(digits);
  const hash = hashes[algorithm];
  if (!hash) throw new InvalidOtpParametersError(`unknown algorithm ${String(algorithm)}`);
  if (secret.length < 16) throw new InvalidOtpParametersError('secret must be at least 16 bytes');
  const moving = BigInt(counter);
  if (moving < 0n || moving > 0xffff_ffff_ffff_ffffn) {
    throw new InvalidOtpParametersError('counter must fit in 64 unsigned bits');
  }
  const message = new Uint8Array(8);
  new DataView(message.buffer).setBigUint64(0, moving);
  const mac = hmac(hash, secret, message);
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return (binary % 10 ** digits).toString().padStart(digits, '0');
}
