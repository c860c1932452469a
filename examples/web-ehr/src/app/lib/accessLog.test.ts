import type { TimelineEvent, TimelineEventBase } from '@mhrchain/consent';
import { describe, expect, it } from 'vitest';
import { accessLog, describeEvent, purposeText } from './accessLog.js';

const patient = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const doctor = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';
const colleague = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';
const names: Record<string, string> = { [patient.toLowerCase()]: 'Alex', [doctor.toLowerCase()]: 'Dr. Rivera' };
const name = (address: string | undefined) => names[address?.toLowerCase() ?? ''] ?? `${address?.slice(0, 6)}…`;

const base = (blockNumber: number, actor: string): TimelineEventBase => ({
  chainId: 31337n,
  contract: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  blockNumber,
  blockTime: 1_800_000_000 + blockNumber,
  transactionHash: `0x${blockNumber.toString(16).padStart(64, '0')}`,
  logIndex: 0,
  patient,
  actor,
});

describe('access log wording', () => {
  it('names doctors, purposes, scopes and durations, and says "You" for the patient', () => {
    const requested: TimelineEvent = {
      ...base(5, doctor),
      kind: 'access-requested',
      requestId: `0x${'ab'.repeat(32)}`,
      doctor,
      scope: { kind: 'category', category: 3 },
      purpose: 'ETREAT',
      duration: 7 * 86_400,
    };
    expect(describeEvent(requested, name)).toBe(
      'Dr. Rivera asked to read Imaging records for 7 days, for Emergency Treatment (ETREAT).',
    );
    const revoked: TimelineEvent = { ...base(6, patient), kind: 'access-revoked', doctor, serial: 1, keyEpoch: 2n };
    expect(describeEvent(revoked, name)).toMatch(/^You revoked the access of Dr\. Rivera/);
    const rejected: TimelineEvent = { ...base(7, patient), kind: 'access-rejected', doctor };
    expect(describeEvent(rejected, name)).toBe('You declined the request of Dr. Rivera.');
    const delegated: TimelineEvent = { ...base(8, doctor), kind: 'delegation-approved', colleague };
    expect(describeEvent(delegated, name)).toBe('Dr. Rivera approved sharing with 0x90F7….');
  });

  it('lists the newest event first, one line per event', () => {
    const events: TimelineEvent[] = [
      { ...base(1, patient), kind: 'identity-registered', encryptionKey: '0x01' },
      { ...base(2, patient), kind: 'record-anchored', recordId: '0x02', category: 1, cid: 'bafy' },
    ];
    const log = accessLog(events, name);
    expect(log.map((entry) => entry.text)).toEqual([
      'A record was added to Notes.',
      'You registered your encryption key.',
    ]);
    expect(new Set(log.map((entry) => entry.key)).size).toBe(2);
  });

  it('makes one line of the records one transaction encrypts again', () => {
    const superseded = (logIndex: number, transaction: number): TimelineEvent => ({
      ...base(transaction, patient),
      logIndex,
      kind: 'record-superseded',
      recordId: `0x${String(logIndex).padStart(64, '0')}`,
      version: 1,
      cid: 'bafy',
    });
    const log = accessLog([superseded(0, 9), superseded(1, 9), superseded(2, 9), superseded(0, 10)], name);
    expect(log.map((entry) => entry.text)).toEqual([
      'A record was encrypted again for the people who may read it now (version 1).',
      '3 records were encrypted again for the people who may read them now.',
    ]);
  });

  it('capitalises purpose displays and keeps the HL7 code', () => {
    expect(purposeText('TREAT')).toBe('Treatment (TREAT)');
    expect(purposeText('HRESCH')).toBe('Healthcare research (HRESCH)');
  });
});
