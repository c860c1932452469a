import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OtpRejectedError } from './errors.js';
import { createOtpConfirmations } from './otpConfirmations.js';

const binding = (text: string) => new TextEncoder().encode(text);

function setup(start = 1_000_000) {
  let clock = start;
  const otp = createOtpConfirmations({ now: () => clock });
  return { otp, advance: (ms: number) => (clock += ms) };
}

function rejection(fn: () => void): OtpRejectedError {
  try {
    fn();
  } catch (error) {
    if (error instanceof OtpRejectedError) return error;
    throw error;
  }
  throw new Error('expected the code to be rejected');
}

const wrongCode = (code: string) => ((Number(code) + 1) % 1_000_000).toString().padStart(6, '0');

describe('createOtpConfirmations', () => {
  it('issues 6-digit codes and accepts the right one once', () => {
    const { otp } = setup();
    const b = binding('request 1');
    const { code, expiresAt } = otp.issue({ requestId: '1', binding: b });
    expect(code).toMatch(/^\d{6}$/);
    expect(expiresAt).toBe(1_000_000 + 300_000);
    otp.confirm({ requestId: '1', binding: b, code });
    expect(rejection(() => otp.confirm({ requestId: '1', binding: b, code })).reason).toBe('used');
  });

  it('locks after five wrong attempts, even for the right code afterwards', () => {
    const { otp } = setup();
    const b = binding('request 2');
    const { code } = otp.issue({ requestId: '2', binding: b });
    const reasons = [];
    for (let i = 0; i < 5; i++)
      reasons.push(rejection(() => otp.confirm({ requestId: '2', binding: b, code: wrongCode(code) })));
    expect(reasons.map((r) => r.reason)).toEqual(['mismatch', 'mismatch', 'mismatch', 'mismatch', 'locked']);
    expect(reasons.map((r) => r.attemptsLeft)).toEqual([4, 3, 2, 1, 0]);
    expect(rejection(() => otp.confirm({ requestId: '2', binding: b, code })).reason).toBe('locked');
  });

  it('refuses an expired code', () => {
    const { otp, advance } = setup();
    const b = binding('request 3');
    const { code } = otp.issue({ requestId: '3', binding: b });
    advance(300_001);
    expect(rejection(() => otp.confirm({ requestId: '3', binding: b, code })).reason).toBe('expired');
  });

  it('accepts a code just before expiry', () => {
    const { otp, advance } = setup();
    const b = binding('request 3b');
    const { code } = otp.issue({ requestId: '3b', binding: b });
    advance(300_000);
    expect(() => otp.confirm({ requestId: '3b', binding: b, code })).not.toThrow();
  });

  it("refuses a code presented for another request or another request's binding", () => {
    const { otp } = setup();
    const a = otp.issue({ requestId: 'a', binding: binding('doctor A, all records, nonce 1') });
    otp.issue({ requestId: 'b', binding: binding('doctor B, all records, nonce 1') });
    expect(
      rejection(() => otp.confirm({ requestId: 'b', binding: binding('doctor B, all records, nonce 1'), code: a.code }))
        .reason,
    ).toBe('mismatch');
    // right code, but the request was changed (e.g. a wider scope) after the code was issued
    expect(
      rejection(() => otp.confirm({ requestId: 'a', binding: binding('doctor A, all records, nonce 2'), code: a.code }))
        .reason,
    ).toBe('mismatch');
    expect(rejection(() => otp.confirm({ requestId: 'c', binding: binding('x'), code: a.code })).reason).toBe(
      'unknown-request',
    );
  });

  it('counts malformed codes as attempts', () => {
    const { otp } = setup();
    const b = binding('request 4');
    otp.issue({ requestId: '4', binding: b });
    const left = ['', '12345', '1234567', 'abcdef'].map(
      (bad) => rejection(() => otp.confirm({ requestId: '4', binding: b, code: bad })).attemptsLeft,
    );
    expect(left).toEqual([4, 3, 2, 1]);
  });

  it('reissuing replaces the old code', () => {
    const { otp } = setup();
    const b = binding('request 5');
    const first = otp.issue({ requestId: '5', binding: b });
    let second = otp.issue({ requestId: '5', binding: b });
    while (second.code === first.code) second = otp.issue({ requestId: '5', binding: b });
    expect(rejection(() => otp.confirm({ requestId: '5', binding: b, code: first.code })).reason).toBe('mismatch');
    otp.confirm({ requestId: '5', binding: b, code: second.code });
  });

  it('does not keep the code in its store', () => {
    const store = new Map();
    const otp = createOtpConfirmations({ store });
    const { code } = otp.issue({ requestId: '6', binding: binding('r6') });
    const serialized = JSON.stringify([...store.values()], (_, v) =>
      v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v,
    );
    expect(serialized.includes(code)).toBe(false);
  });

  it('draws codes uniformly (no modulo bias in the leading digit)', () => {
    const otp = createOtpConfirmations();
    const counts = new Array(10).fill(0);
    const n = 20_000;
    for (let i = 0; i < n; i++) counts[Number(otp.issue({ requestId: 'u', binding: binding('u') }).code[0])]++;
    // chi-square with 9 degrees of freedom; 27.88 is the 0.001 critical value
    const chi = counts.reduce((sum, c) => sum + (c - n / 10) ** 2 / (n / 10), 0);
    expect(chi).toBeLessThan(27.88);
  });

  it('never accepts a wrong code (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }), fc.uint8Array({ maxLength: 64 }), (candidate, bytes) => {
        const { otp } = setup();
        const { code } = otp.issue({ requestId: 'p', binding: bytes });
        if (candidate === code) return;
        expect(() => otp.confirm({ requestId: 'p', binding: bytes, code: candidate })).toThrow(OtpRejectedError);
      }),
    );
  });
});
