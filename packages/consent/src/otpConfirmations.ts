import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { InvalidOtpParametersError, OtpRejectedError } from './errors.js';
import { checkDigits } from './hotp.js';
import { constantTimeEqual } from './internal/constantTimeEqual.js';

/**
 * What the patient's app keeps about one issued code. The code itself is not stored, only a salted MAC of it
 * bound to the request.
 */
export interface OtpChallengeRecord {
  /** Random per-challenge MAC key. */
  salt: Uint8Array;
  /** HMAC-SHA-256(salt, binding ‖ code). */
  tag: Uint8Array;
  /** Milliseconds since the epoch after which the code is refused. */
  expiresAt: number;
  /** Wrong attempts still allowed. */
  attemptsLeft: number;
  /** Set once the code was accepted: a code opens one request once. */
  used: boolean;
}

/** Where challenges are kept, keyed by request id. A `Map` works; apps may persist them. */
export interface OtpChallengeStore {
  get(requestId: string): OtpChallengeRecord | undefined;
  set(requestId: string, record: OtpChallengeRecord): unknown;
  delete(requestId: string): unknown;
}

/** Options of {@link createOtpConfirmations}. */
export interface OtpConfirmationsOptions {
  /** How long a code is valid, in milliseconds. Default 5 minutes. */
  ttlMs?: number;
  /** Wrong attempts allowed before the challenge locks. Default 5. */
  maxAttempts?: number;
  /** Code length, 6 to 8. Default 6. */
  digits?: number;
  /** Clock, in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
  /** Source of randomness. Default `crypto.getRandomValues`. */
  randomBytes?: (length: number) => Uint8Array;
  /** Challenge storage. Default an in-memory `Map`. */
  store?: OtpChallengeStore;
}

/** Parameters of {@link OtpConfirmations.issue}. */
export interface IssueOtpParameters {
  /** The access request this code confirms. */
  requestId: string;
  /** Bytes that identify the request exactly (doctor, scope, nonce, chain, contract): see `requestBinding`. */
  binding: Uint8Array;
}

/** What {@link OtpConfirmations.issue} returns: the code to show the patient, who tells it to the doctor. */
export interface IssuedOtp {
  code: string;
  expiresAt: number;
}

/** Parameters of {@link OtpConfirmations.confirm}. */
export interface ConfirmOtpParameters extends IssueOtpParameters {
  /** The code the doctor entered. */
  code: string;
}

/**
 * The patient's side of OTP confirmation: issue a code bound to one access request, and check the code the doctor
 * sends back. Codes are single-use, expire, lock after too many wrong attempts and are compared in constant time.
 */
export interface OtpConfirmations {
  /** Issues a fresh code for a request, replacing any earlier code of that request. */
  issue(parameters: IssueOtpParameters): IssuedOtp;
  /** Accepts the code or throws {@link OtpRejectedError}. Accepting uses the code up. */
  confirm(parameters: ConfirmOtpParameters): void;
  /** Forgets a request's challenge. */
  cancel(requestId: string): void;
}

const defaultRandomBytes = (length: number) => crypto.getRandomValues(new Uint8Array(length));

function uniformCode(randomBytes: (length: number) => Uint8Array, digits: number): string {
  const modulus = 10 ** digits;
  const limit = Math.floor(0x1_0000_0000 / modulus) * modulus; // rejection sampling: no modulo bias
  for (;;) {
    const bytes = randomBytes(4);
    const value = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0);
    if (value < limit) return (value % modulus).toString().padStart(digits, '0');
  }
}

function macOf(salt: Uint8Array, binding: Uint8Array, code: string): Uint8Array {
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, binding.length);
  return hmac(sha256, salt, concatBytes(length, binding, utf8ToBytes(code)));
}

/**
 * Creates the patient app's one-time code book.
 *
 * @example
 * ```ts
 * import { createOtpConfirmations } from '@mhrchain/consent';
 *
 * const otp = createOtpConfirmations();
 * const binding = new TextEncoder().encode('request 7 from 0xabc… for all records');
 * const { code } = otp.issue({ requestId: '7', binding });
 * // …the patient reads `code` to the doctor, whose app sends it back…
 * otp.confirm({ requestId: '7', binding, code }); // throws OtpRejectedError when wrong
 * ```
 */
export function createOtpConfirmations(options: OtpConfirmationsOptions = {}): OtpConfirmations {
  const {
    ttlMs = 5 * 60_000,
    maxAttempts = 5,
    digits = 6,
    now = Date.now,
    randomBytes = defaultRandomBytes,
    store = new Map<string, OtpChallengeRecord>(),
  } = options;
  checkDigits(digits);
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new InvalidOtpParametersError('maxAttempts must be a positive integer');
  }
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new InvalidOtpParametersError('ttlMs must be positive');

  return {
    issue({ requestId, binding }) {
      const code = uniformCode(randomBytes, digits);
      const salt = randomBytes(32);
      const expiresAt = now() + ttlMs;
      store.set(requestId, {
        salt,
        tag: macOf(salt, binding, code),
        expiresAt,
        attemptsLeft: maxAttempts,
        used: false,
      });
      return { code, expiresAt };
    },
    confirm({ requestId, binding, code }) {
      const record = store.get(requestId);
      if (!record) throw new OtpRejectedError({ reason: 'unknown-request' });
      if (record.used) throw new OtpRejectedError({ reason: 'used' });
      if (record.attemptsLeft <= 0) throw new OtpRejectedError({ reason: 'locked' });
      if (now() > record.expiresAt)
        throw new OtpRejectedError({ reason: 'expired', attemptsLeft: record.attemptsLeft });
      const candidate = macOf(record.salt, binding, code);
      if (!constantTimeEqual(candidate, record.tag)) {
        const attemptsLeft = record.attemptsLeft - 1;
        store.set(requestId, { ...record, attemptsLeft });
        throw new OtpRejectedError({ reason: attemptsLeft === 0 ? 'locked' : 'mismatch', attemptsLeft });
      }
      store.set(requestId, { ...record, used: true, attemptsLeft: 0 });
    },
    cancel(requestId) {
      store.delete(requestId);
    },
  };
}
