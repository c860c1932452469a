import { describe, expect, it } from 'vitest';
import { InvalidOtpParametersError } from './errors.js';
import { hotp } from './hotp.js';

const secret = new TextEncoder().encode('12345678901234567890');

describe('hotp (RFC 4226 Appendix D)', () => {
  const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
  expected.forEach((code, counter) => {
    it(`counter ${counter} -> ${code}`, () => {
      expect(hotp({ secret, counter })).toBe(code);
      expect(hotp({ secret, counter: BigInt(counter) })).toBe(code);
    });
  });

  it('rejects impossible parameters with a typed error', () => {
    expect(() => hotp({ secret, counter: 0, digits: 5 })).toThrow(InvalidOtpParametersError);
    expect(() => hotp({ secret, counter: 0, digits: 9 })).toThrow(InvalidOtpParametersError);
    expect(() => hotp({ secret: secret.slice(0, 15), counter: 0 })).toThrow(InvalidOtpParametersError);
    expect(() => hotp({ secret, counter: -1 })).toThrow(InvalidOtpParametersError);
    expect(() => hotp({ secret, counter: 2n ** 64n })).toThrow(InvalidOtpParametersError);
    // @ts-expect-error an algorithm outside the RFCs
    expect(() => hotp({ secret, counter: 0, algorithm: 'MD5' })).toThrow(InvalidOtpParametersError);
  });
});
