import { Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import { describeRefusal, openWithdrawal, parseCodeReply, withdrawalText } from './requestFlow.js';

const requestId = `0x${'ab'.repeat(32)}` as const;
const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe("the doctor's request flow", () => {
  it('a withdrawal names the doctor whose wallet signed it, for that request only', async () => {
    const doctor = Wallet.createRandom();
    const signature = await doctor.signMessage(withdrawalText(requestId));
    expect(openWithdrawal(encode({ requestId, signature }))).toEqual({ doctor: doctor.address, requestId });
    // The same signature offered for another request recovers someone else.
    const other = `0x${'cd'.repeat(32)}`;
    expect(openWithdrawal(encode({ requestId: other, signature }))?.doctor).not.toBe(doctor.address);
    expect(openWithdrawal(encode({ requestId }))).toBeUndefined();
    expect(openWithdrawal(new TextEncoder().encode('not json'))).toBeUndefined();
  });

  it('reads code replies and words refusals with the attempts left', () => {
    expect(parseCodeReply(encode({ requestId, outcome: 'granted' }))).toEqual({ requestId, outcome: 'granted' });
    expect(parseCodeReply(encode({ requestId, outcome: 'failed', extra: 1 }))).toEqual({
      requestId,
      outcome: 'failed',
    });
    expect(parseCodeReply(encode({ requestId, outcome: 'maybe' }))).toBeUndefined();
    expect(parseCodeReply(encode({ requestId, outcome: 'refused', reason: 'mismatch' }))).toBeUndefined();
    const refused = parseCodeReply(encode({ requestId, outcome: 'refused', reason: 'mismatch', attemptsLeft: 1 }));
    expect(refused?.outcome).toBe('refused');
    expect(describeRefusal(refused as Extract<typeof refused, { outcome: 'refused' }>)).toBe(
      "Wrong code: the patient's page did not accept it (1 attempt left). Check the digits and try again.",
    );
    expect(describeRefusal({ requestId, outcome: 'refused', reason: 'expired', attemptsLeft: 3 })).toMatch(
      /^This code has expired/,
    );
  });
});
