import { describe, expect, it } from 'vitest';
import { doctor, patient, record, T0, timeline } from '../test/fhirTimeline.js';
import { timelineToFhirConsents } from './timelineToFhirConsents.js';

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
