import { InvalidOtpParametersError } from './errors.js';
import { hotp, type OtpAlgorithm } from './hotp.js';
import { constantTimeEqual } from './internal/constantTimeEqual.js';

/** Parameters of {@link totp}. */
export interface TotpParameters {
  /** The shared secret. */
  secret: Uint8Array;
  /** Time in milliseconds since the Unix epoch. Default `Date.now()`. */
  time?: number;
  /** Time step in seconds. Default 30. */
  period?: number;
  /** Code length, 6 to 8. Default 6. */
  digits?: number;
  /** Default `'SHA1'`. */
  algorithm?: OtpAlgorithm;
}

function counterAt(time: number, period: number): number {
  if (!Number.isInteger(period) || period <= 0)
    throw new InvalidOtpParametersError('period must be a positive integer');
  if (!Number.isFinite(time) || time < 0) throw new InvalidOtpParametersError('time must be a non-negative number');
  return Math.floor(time / 1000 / period);
}

/**
 * Time-based one-time password (RFC 6238): the code authenticator apps show.
 *
 * @example
 * ```ts
 * import { totp } from '@mhrchain/consent';
 *
 * const secret = new TextEncoder().encode('12345678901234567890');
 * totp({ secret, time: 59_000, digits: 8 }); // '94287082'
 * ```
 */
export function totp(parameters: TotpParameters): string {
  const { secret, time = Date.now(), period = 30, digits = 6, algorithm = 'SHA1' } = parameters;
  return hotp({ secret, counter: counterAt(time, period), digits, algorithm });
}

/** Parameters of {@link verifyTotp}. */
export interface VerifyTotpParameters extends TotpParameters {
  /** The code the user typed. */
  code: string;
  /** How many time steps before and after `time` are accepted, for clock drift. Default 1. */
  window?: number;
}

/**
 * Checks a TOTP code in constant time, accepting `window` steps of clock drift either side. Returns the matching
 * step offset (so callers can refuse a code reused within the same step), or `null` when no step matches.
 *
 * @example
 * ```ts
 * import { totp, verifyTotp } from '@mhrchain/consent';
 *
 * const secret = crypto.getRandomValues(new Uint8Array(20));
 * const code = totp({ secret, time: 1_000_000 });
 * verifyTotp({ secret, code, time: 1_020_000 }); // 0 or -1 depending on the step boundary
 * ```
 */
export function verifyTotp(parameters: VerifyTotpParameters): number | null {
  const { secret, code, time = Date.now(), period = 30, digits = 6, algorithm = 'SHA1', window = 1 } = parameters;
  if (!Number.isInteger(window) || window < 0 || window > 10) {
    throw new InvalidOtpParametersError('window must be an integer from 0 to 10');
  }
  const counter = counterAt(time, period);
  const typed = new TextEncoder().encode(code.padEnd(digits, '\0').slice(0, digits));
  let match: number | null = null;
  // every step is computed and compared, so timing does not reveal which one matched
  for (let offset = -window; offset <= window; offset++) {
    if (counter + offset < 0) continue;
    const expected = new TextEncoder().encode(hotp({ secret, counter: counter + offset, digits, algorithm }));
    if (constantTimeEqual(expected, typed) && code.length === digits && match === null) match = offset;
  }
  return match;
}
