import type { TimelineEvent, TimelineEventBase } from '@mhrchain/consent';
import { describe, expect, it } from 'vitest';
import { delegationsOf, purposeOfGrant } from './sharing.js';

const patient = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const doctor = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';
const colleague = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';
let block = 0;
const at = (actor: string): TimelineEventBase => {
  block++;
  return {
    chainId: 31337n,
    contract: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
    blockNumber: block,
    blockTime: 1_800_000_000 + block,
    transactionHash: `0x${block.toString(16).padStart(64, '0')}`,
    logIndex: 0,
    patient,
    actor,
  };
};
const requested = (): TimelineEvent => ({
  ...at(doctor),
  kind: 'delegation-requested',
  doctor,
  colleague,
  serial: 3,
  scope: { kind: 'category', category: 2 },
  expiresAt: 1_900_000_000,
});

describe('sharing state from the timeline', () => {
  it('a delegation is pending, then live once approved, and gone once revoked or rejected', () => {
    const asked = requested();
    expect(delegationsOf([asked]).map((d) => d.status)).toEqual(['pending']);
    const approved: TimelineEvent = { ...at(patient), kind: 'delegation-approved', colleague };
    expect(delegationsOf([asked, approved])).toEqual([
      {
        doctor,
        colleague,
        serial: 3,
        scope: { kind: 'category', category: 2 },
        expiresAt: 1_900_000_000,
        status: 'active',
      },
    ]);
    const revoked: TimelineEvent = { ...at(patient), kind: 'delegation-revoked', colleague };
    expect(delegationsOf([asked, approved, revoked])).toEqual([]);
    const rejected: TimelineEvent = { ...at(patient), kind: 'delegation-rejected', colleague };
    expect(delegationsOf([requested(), rejected])).toEqual([]);
  });

  it("a delegation ends with the doctor's grant", () => {
    const asked = requested();
    const approved: TimelineEvent = { ...at(patient), kind: 'delegation-approved', colleague };
    const revoked: TimelineEvent = { ...at(patient), kind: 'access-revoked', doctor, serial: 1, keyEpoch: 2n };
    expect(delegationsOf([asked, approved, revoked])).toEqual([]);
    const expired: TimelineEvent = { ...at(patient), kind: 'access-expired', doctor, serial: 1, expiresAt: 1 };
    expect(delegationsOf([requested(), expired])).toEqual([]);
  });

  it("a grant's purpose is the one of the request it answered, none for a direct grant", () => {
    const request: TimelineEvent = {
      ...at(doctor),
      kind: 'access-requested',
      requestId: `0x${'01'.repeat(32)}`,
      doctor,
      scope: { kind: 'all' },
      purpose: 'ETREAT',
      duration: 3600,
    };
    const grant: TimelineEvent = {
      ...at(patient),
      kind: 'access-granted',
      doctor,
      serial: 1,
      scope: { kind: 'all' },
      expiresAt: 1_900_000_000,
      replacedSerial: undefined,
    };
    expect(purposeOfGrant([request, grant], doctor, grant.transactionHash)).toBe('ETREAT');
    const direct: TimelineEvent = { ...grant, ...at(patient), serial: 2 };
    expect(purposeOfGrant([request, grant, direct], doctor, direct.transactionHash)).toBeUndefined();
  });
});
