import { anvilTest } from '@mhrchain/contracts/testing';
import { describe, expect } from 'vitest';
import { note, setUp, useCrashWorld } from '../test/crashWorld.js';
import { addRecord } from './addRecord.js';
import { approveDelegation } from './approveDelegation.js';
import { getTimeline } from './getTimeline.js';
import { grantAccess } from './grantAccess.js';
import { requestDelegation } from './requestDelegation.js';
import { revokeAccess } from './revokeAccess.js';
import { timelineToFhirAuditEvents } from './timelineToFhirAuditEvents.js';

useCrashWorld();

describe('getTimeline', () => {
  anvilTest(
    'shows grants and delegations that expired, at their expiry, and grants replaced or revoked as such',
    async ({ anvil, mhrChain }) => {
      const world = await setUp(anvil, mhrChain);
      const { doctorA, doctorB, patient } = world;
      await addRecord(patient, { data: note('r'), metadata: { mediaType: 'text/plain' }, category: 1 });
      const now = (await anvil.provider.getBlock('latest'))!.timestamp;
      // A: granted for an hour, its delegation to B for half an hour; both run out.
      await grantAccess(patient, { doctor: doctorA.address, scope: { kind: 'all' }, expiresAt: now + 3600 });
      await requestDelegation(doctorA, {
        patient: patient.address,
        colleague: doctorB.address,
        scope: { kind: 'all' },
        expiresAt: now + 1800,
      });
      await approveDelegation(patient, { colleague: doctorB.address });
      // B: a grant replaced by a narrower one, then revoked: neither expires.
      await grantAccess(patient, { doctor: doctorB.address, scope: { kind: 'all' }, expiresAt: now + 3600 });
      await grantAccess(patient, {
        doctor: doctorB.address,
        scope: { kind: 'category', category: 1 },
        expiresAt: now + 3600,
      });
      await revokeAccess(patient, { doctor: doctorB.address });

      expect((await getTimeline(patient)).filter((e) => e.kind.endsWith('-expired'))).toEqual([]);
      await anvil.increaseTime(7200);

      const timeline = await getTimeline(patient);
      const expired = timeline.filter((e) => e.kind.endsWith('-expired'));
      expect(expired.map((e) => [e.kind, e.blockTime])).toEqual([
        ['delegation-expired', now + 1800],
        ['access-expired', now + 3600],
      ]);
      expect(expired[1]).toMatchObject({ doctor: doctorA.address, serial: 1, expiresAt: now + 3600 });
      // In time order, after everything that happened before them.
      const times = timeline.map((e) => e.blockTime);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      const grantsOfB = timeline.filter((e) => e.kind === 'access-granted' && e.doctor === doctorB.address);
      expect(grantsOfB.map((e) => (e.kind === 'access-granted' ? e.replacedSerial : null))).toEqual([undefined, 1]);
      // The delegation request carries the serial an approval or rejection names.
      const [asked] = timeline.filter((e) => e.kind === 'delegation-requested');
      expect(asked).toMatchObject({ doctor: doctorA.address, colleague: doctorB.address, serial: 1 });
      // The FHIR audit export shows them too.
      const audits = timelineToFhirAuditEvents(timeline).map((a) => a.type.display);
      expect(audits).toContain('Access expired');
      expect(audits).toContain('Delegation expired');
    },
  );
});
