import { describe, expect, it } from 'vitest';
import { InvalidOtpParametersError } from './errors.js';
import { createOtpauthUri, parseOtpauthUri } from './otpauthUri.js';
import { totp } from './totp.js';

describe('otpauth URI', () => {
  const secret = new TextEncoder().encode('12345678901234567890');

  it('encodes the secret as RFC 4648 base32 without padding, as authenticator apps expect', () => {
    const uri = createOtpauthUri({ type: 'totp', secret, label: 'patient-7', issuer: 'MHR Chain' });
    expect(uri).toBe(
      'otpauth://totp/MHR%20Chain:patient-7?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=MHR%20Chain&algorithm=SHA1&digits=6&period=30',
    );
  });

  it('round-trips, and the parsed secret yields the same codes', () => {
    const uri = createOtpauthUri({
      type: 'hotp',
      secret,
      label: 'p',
      issuer: 'Clinic',
      algorithm: 'SHA256',
      digits: 8,
      counter: 5,
    });
    const parsed = parseOtpauthUri(uri);
    expect(parsed).toMatchObject({
      type: 'hotp',
      label: 'p',
      issuer: 'Clinic',
      algorithm: 'SHA256',
      digits: 8,
      counter: 5,
    });
    expect(parsed.secret).toEqual(secret);
    const t = parseOtpauthUri(createOtpauthUri({ type: 'totp', secret, label: 'p', issuer: 'Clinic' }));
    expect(totp({ secret: t.secret, time: 59_000, digits: 8 })).toBe('94287082');
  });

  it('rejects malformed URIs with a typed error', () => {
    for (const bad of [
      'not a uri',
      'https://totp/x?secret=GEZDGNBV',
      'otpauth://motp/x?secret=GEZDGNBV',
      'otpauth://totp/x',
      'otpauth://totp/x?secret=!!!!',
      'otpauth://totp/x?secret=GEZDGNBV&algorithm=MD5',
    ]) {
      expect(() => parseOtpauthUri(bad), bad).toThrow(InvalidOtpParametersError);
    }
    expect(() => createOtpauthUri({ type: 'totp', secret, label: 'a:b', issuer: 'x' })).toThrow(
      InvalidOtpParametersError,
    );
  });
});
