import { describe, expect, it } from 'vitest';
import type { Hex } from './scope.js';
import type { TimelineEvent } from './timeline.js';
import { timelineToFhirAuditEvents } from './timelineToFhirAuditEvents.js';
import { timelineToFhirBundle } from './timelineToFhirBundle.js';
import { timelineToFhirConsents } from './timelineToFhirConsents.js';

const patient = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const doctor = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';
const colleague = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';
const other = '0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65';
const record = `0x${'aa'.repeat(32)}` as Hex;
const T0 = 1_800_000_000;

let block = 10;
// biome-ignore lint/suspicious/noExplicitAny: test fixture builder over every event kind
function at(event: Record<string, any>, time: number, actor = patient): TimelineEvent {
  block += 1;
  return {
    chainId: 31337n,
    contract: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
    blockNumber: block,
    blockTime: time,
    transactionHash: `0x${block.toString(16).padStart(64, '0')}`,
    logIndex: 0,
    patient,
    actor,
    ...event,
  } as unknown as TimelineEvent;
}

const timeline: TimelineEvent[] = [
  at({ kind: 'identity-registered', encryptionKey: `0x${'01'.repeat(32)}` }, T0),
  at({ kind: 'record-anchored', recordId: record, category: 3, cid: 'bafyreiabc' }, T0 + 10),
  at(
    {
      kind: 'access-requested',
      requestId: `0x${'11'.repeat(32)}`,
      doctor,
      scope: { kind: 'all' },
      purpose: 'TREAT',
      duration: 3600,
    },
    T0 + 20,
    doctor,
  ),
  at({ kind: 'access-granted', doctor, serial: 1, scope: { kind: 'all' }, expiresAt: T0 + 3620 }, T0 + 30),
  at(
    {
      kind: 'delegation-requested',
      doctor,
      colleague,
      scope: { kind: 'records', recordIds: [record] },
      expiresAt: T0 + 3000,
    },
    T0 + 40,
    doctor,
  ),
  at({ kind: 'delegation-approved', colleague }, T0 + 50, other /* a relayer */),
  at(
    {
      kind: 'access-requested',
      requestId: `0x${'22'.repeat(32)}`,
      doctor: other,
      scope: { kind: 'category', category: 3 },
      purpose: 'HRESCH',
      duration: 60,
    },
    T0 + 60,
    other,
  ),
  at({ kind: 'access-rejected', doctor: other }, T0 + 70),
  at({ kind: 'record-superseded', recordId: record, version: 1, cid: 'bafyreidef' }, T0 + 80),
  at({ kind: 'access-revoked', doctor, serial: 1, keyEpoch: 1n }, T0 + 90),
];

describe('timelineToFhirConsents', () => {
  it('follows each request and delegation through its life', () => {
    const before = timelineToFhirConsents(timeline.slice(0, 6), { now: T0 + 60 });
    expect(before.map((c) => c.status)).toEqual(['active', 'active']);
    const grant = before[0]!;
    expect(grant.provision?.period).toEqual({
      start: new Date((T0 + 30) * 1000).toISOString(),
      end: new Date((T0 + 3620) * 1000).toISOString(),
    });
    expect(grant.provision?.actor?.[0]?.reference?.identifier?.value).toBe(
      `did:pkh:eip155:31337:${doctor.toLowerCase()}`,
    );
    expect(grant.patient?.identifier?.value).toBe(`did:pkh:eip155:31337:${patient.toLowerCase()}`);
    expect(before[1]!.provision?.data?.[0]?.reference.identifier?.value).toBe(`urn:mhrchain:record:31337:${record}`);

    const after = timelineToFhirConsents(timeline, { now: T0 + 100 });
    expect(after.map((c) => c.status)).toEqual(['inactive', 'inactive', 'rejected']);
    // revocation ends the grant and, with it, the colleague's delegation
    expect(after[0]!.provision?.period?.end).toBe(new Date((T0 + 90) * 1000).toISOString());
    expect(after[1]!.provision?.period?.end).toBe(new Date((T0 + 90) * 1000).toISOString());
    expect(after[2]!.provision?.type).toBe('deny');
    expect(after[2]!.provision?.code?.[0]?.coding?.[0]?.code).toBe('3');
    // the purpose of each request, as the HL7 PurposeOfUse coding
    expect(after[0]!.provision?.purpose).toEqual([
      { system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT', display: 'treatment' },
    ]);
    expect(after[2]!.provision?.purpose?.map((p) => p.code)).toEqual(['HRESCH']);
  });

  it('marks a grant inactive once it has expired', () => {
    const [grant] = timelineToFhirConsents(timeline.slice(0, 4), { now: T0 + 4000 });
    expect(grant!.status).toBe('inactive');
    const [pending] = timelineToFhirConsents(timeline.slice(0, 3), { now: T0 + 25 });
    expect(pending!.status).toBe('proposed');
  });

  it('does not depend on the order events are given in', () => {
    const shuffled = [...timeline].reverse();
    expect(timelineToFhirConsents(shuffled, { now: T0 + 100 })).toEqual(
      timelineToFhirConsents(timeline, { now: T0 + 100 }),
    );
  });
});

describe('timelineToFhirAuditEvents', () => {
  it('gives one AuditEvent per event, with who, what, when and the transaction', () => {
    const audits = timelineToFhirAuditEvents(timeline);
    expect(audits).toHaveLength(timeline.length);
    expect(audits.map((a) => a.type.code)).toEqual(timeline.map((e) => e.kind));
    const revoke = audits.at(-1)!;
    expect(revoke.action).toBe('D');
    expect(revoke.recorded).toBe(new Date((T0 + 90) * 1000).toISOString());
    expect(revoke.agent[0]!.who?.identifier?.value).toBe(`did:pkh:eip155:31337:${patient.toLowerCase()}`);
    const values = revoke.entity?.map((e) => e.what?.identifier?.value);
    expect(values).toContain(`did:pkh:eip155:31337:${doctor.toLowerCase()}`);
    expect(values).toContain(`urn:mhrchain:tx:31337:${timeline.at(-1)!.transactionHash}`);
    const approval = audits[5]!;
    expect(approval.agent[0]!.who?.identifier?.value).toBe(`did:pkh:eip155:31337:${other.toLowerCase()}`);
    const requested = audits[2]!;
    expect(requested.purposeOfEvent).toEqual([
      {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT', display: 'treatment' }],
      },
    ]);
    expect(audits.filter((a) => a.purposeOfEvent)).toHaveLength(2); // the two requests only
    const superseded = audits[8]!;
    expect(superseded.entity?.find((e) => e.detail?.[0]?.type === 'cid')?.detail?.[0]?.valueString).toBe('bafyreidef');
  });

  it('bundles both exports', () => {
    const bundle = timelineToFhirBundle(timeline, { now: T0 + 100 });
    expect(bundle.type).toBe('collection');
    expect(bundle.entry?.filter((e) => e.resource?.resourceType === 'Consent')).toHaveLength(3);
    expect(bundle.entry?.filter((e) => e.resource?.resourceType === 'AuditEvent')).toHaveLength(timeline.length);
    expect(JSON.parse(JSON.stringify(bundle))).toEqual(bundle);
  });
});
