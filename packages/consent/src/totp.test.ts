import { describe, expect, it } from 'vitest';
import { InvalidOtpParametersError } from './errors.js';
import type { OtpAlgorithm } from './hotp.js';
import { totp, verifyTotp } from './totp.js';

const seeds: Record<OtpAlgorithm, Uint8Array> = {
  SHA1: new TextEncoder().encode('12345678901234567890'),
  SHA256: new TextEncoder().encode('12345678901234567890123456789012'),
  SHA512: new TextEncoder().encode('1234567890123456789012345678901234567890123456789012345678901234'),
};

// RFC 6238 Appendix B
const vectors: Array<[number, OtpAlgorithm, string]> = [
  [59, 'SHA1', '94287082'],
  [59, 'SHA256', '46119246'],
  [59, 'SHA512', '90693936'],
  [1111111109, 'SHA1', '07081804'],
  [1111111109, 'SHA256', '68084774'],
  [1111111109, 'SHA512', '25091201'],
  [1111111111, 'SHA1', '14050471'],
  [1111111111, 'SHA256', '67062674'],
  [1111111111, 'SHA512', '99943326'],
  [1234567890, 'SHA1', '89005924'],
  [1234567890, 'SHA256', '91819424'],
  [1234567890, 'SHA512', '93441116'],
  [2000000000, 'SHA1', '69279037'],
  [2000000000, 'SHA256', '90698825'],
  [2000000000, 'SHA512', '38618901'],
  [20000000000, 'SHA1', '65353130'],
  [20000000000, 'SHA256', '77737706'],
  [20000000000, 'SHA512', '47863826'],
];

describe('totp (RFC 6238 Appendix B)', () => {
  for (const [seconds, algorithm, code] of vectors) {
    it(`${algorithm} at ${seconds}s -> ${code}`, () => {
      expect(totp({ secret: seeds[algorithm], time: seconds * 1000, digits: 8, algorithm })).toBe(code);
      expect(verifyTotp({ secret: seeds[algorithm], time: seconds * 1000, digits: 8, algorithm, code })).toBe(0);
    });
  }

  it('accepts one step of drift by default and no more', () => {
    const secret = seeds.SHA1;
    const code = totp({ secret, time: 1_000_000_000 });
    expect(verifyTotp({ secret, code, time: 1_000_000_000 + 30_000 })).toBe(-1);
    expect(verifyTotp({ secret, code, time: 1_000_000_000 - 30_000 })).toBe(1);
    expect(verifyTotp({ secret, code, time: 1_000_000_000 + 60_000 })).toBeNull();
    expect(verifyTotp({ secret, code, time: 1_000_000_000 + 60_000, window: 2 })).toBe(-2);
  });

  it('rejects wrong, short, long and non-numeric codes', () => {
    const secret = seeds.SHA1;
    const time = 1_234_567_890_000;
    const code = totp({ secret, time });
    const wrong = ((Number(code) + 1) % 1_000_000).toString().padStart(6, '0');
    for (const candidate of [wrong, code.slice(0, 5), `${code}0`, '', 'abcdef', `${code}\0`]) {
      expect(verifyTotp({ secret, code: candidate, time, window: 0 })).toBeNull();
    }
  });

  it('rejects impossible parameters', () => {
    expect(() => totp({ secret: seeds.SHA1, period: 0 })).toThrow(InvalidOtpParametersError);
    expect(() => totp({ secret: seeds.SHA1, time: -1 })).toThrow(InvalidOtpParametersError);
    expect(() => verifyTotp({ secret: seeds.SHA1, code: '000000', window: 11 })).toThrow(InvalidOtpParametersError);
  });
});
