import { describe, expect, it } from 'vitest';
import { doctor, other, patient, T0, timeline } from '../test/fhirTimeline.js';
import { timelineToFhirAuditEvents } from './timelineToFhirAuditEvents.js';

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
});
