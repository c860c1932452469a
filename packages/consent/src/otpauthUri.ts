import { base32 } from 'multiformats/bases/base32';
import { InvalidOtpParametersError } from './errors.js';
import type { OtpAlgorithm } from './hotp.js';

/** Parameters of {@link createOtpauthUri}, and what {@link parseOtpauthUri} returns. */
export interface OtpauthParameters {
  /** `'totp'` (authenticator apps) or `'hotp'`. */
  type: 'totp' | 'hotp';
  /** The shared secret. */
  secret: Uint8Array;
  /** The account name shown in the app, e.g. a pseudonymous patient handle. */
  label: string;
  /** The service name shown in the app. */
  issuer: string;
  algorithm?: OtpAlgorithm;
  digits?: number;
  /** TOTP step in seconds. */
  period?: number;
  /** HOTP initial counter. */
  counter?: number;
}

/**
 * Builds a Key URI (`otpauth://`) that authenticator apps import from a QR code.
 *
 * @example
 * ```ts
 * import { createOtpauthUri } from '@mhrchain/consent';
 *
 * createOtpauthUri({ type: 'totp', secret: new Uint8Array(20), label: 'patient-7', issuer: 'MHR Chain' });
 * // 'otpauth://totp/MHR%20Chain:patient-7?secret=AAAA…&issuer=MHR%20Chain&algorithm=SHA1&digits=6&period=30'
 * ```
 */
export function createOtpauthUri(parameters: OtpauthParameters): string {
  const { type, secret, label, issuer, algorithm = 'SHA1', digits = 6, period = 30, counter = 0 } = parameters;
  if (type !== 'totp' && type !== 'hotp') throw new InvalidOtpParametersError(`unknown type ${String(type)}`);
  if (label.includes(':') || issuer.includes(':'))
    throw new InvalidOtpParametersError('label and issuer must not contain ":"');
  const query = new URLSearchParams({ secret: base32.baseEncode(secret).toUpperCase(), issuer, algorithm });
  query.set('digits', String(digits));
  if (type === 'totp') query.set('period', String(period));
  else query.set('counter', String(counter));
  const path = `${encodeURIComponent(issuer)}:${encodeURIComponent(label)}`;
  return `otpauth://${type}/${path}?${query.toString().replaceAll('+', '%20')}`;
}

/**
 * Parses an `otpauth://` Key URI.
 *
 * @example
 * ```ts
 * import { parseOtpauthUri } from '@mhrchain/consent';
 *
 * parseOtpauthUri('otpauth://totp/MHR%20Chain:p7?secret=GEZDGNBV&issuer=MHR%20Chain').label; // 'p7'
 * ```
 */
export function parseOtpauthUri(uri: string): OtpauthParameters {
  let url: URL;
  try {
    url = new URL(uri);
  } catch (cause) {
    throw new InvalidOtpParametersError(`not a URI: ${String(cause)}`);
  }
  if (url.protocol !== 'otpauth:') throw new InvalidOtpParametersError('scheme must be otpauth');
  const type = url.hostname;
  if (type !== 'totp' && type !== 'hotp') throw new InvalidOtpParametersError(`unknown type ${type}`);
  const path = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const colon = path.indexOf(':');
  const label = colon >= 0 ? path.slice(colon + 1) : path;
  const issuer = url.searchParams.get('issuer') ?? (colon >= 0 ? path.slice(0, colon) : '');
  const secretText = url.searchParams.get('secret');
  if (!secretText) throw new InvalidOtpParametersError('secret is missing');
  let secret: Uint8Array;
  try {
    secret = base32.baseDecode(secretText.toLowerCase().replace(/=+$/, ''));
  } catch (cause) {
    throw new InvalidOtpParametersError(`secret is not base32: ${String(cause)}`);
  }
  const algorithm = (url.searchParams.get('algorithm') ?? 'SHA1').toUpperCase();
  if (algorithm !== 'SHA1' && algorithm !== 'SHA256' && algorithm !== 'SHA512') {
    throw new InvalidOtpParametersError(`unknown algorithm ${algorithm}`);
  }
  const digits = Number(url.searchParams.get('digits') ?? 6);
  const result: OtpauthParameters = { type, secret, label, issuer, algorithm, digits };
  if (type === 'totp') result.period = Number(url.searchParams.get('period') ?? 30);
  else result.counter = Number(url.searchParams.get('counter') ?? 0);
  return result;
}
