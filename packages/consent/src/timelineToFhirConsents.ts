import type { Consent } from '@medplum/fhirtypes';
import { type FhirExportOptions, MHR_CATEGORY_SYSTEM, MHR_CHAIN_ID_SYSTEM } from './fhir.js';
import { accountReference, iso, purposeCoding } from './internal/fhir.js';
import type { AccessScope } from './scope.js';
import { compareTimelineEvents, type TimelineEvent } from './timeline.js';

function provisionData(chainId: bigint, scope: AccessScope): Pick<NonNullable<Consent['provision']>, 'data' | 'code'> {
  if (scope.kind === 'records')
    return {
      data: scope.recordIds.map((recordId) => ({
        meaning: 'instance' as const,
        reference: { identifier: { system: MHR_CHAIN_ID_SYSTEM, value: `urn:mhrchain:record:${chainId}:${recordId}` } },
      })),
    };
  if (scope.kind === 'category')
    return { code: [{ coding: [{ system: MHR_CATEGORY_SYSTEM, code: String(scope.category) }] }] };
  return {};
}

const RECIPIENT_ROLE = {
  coding: [
    {
      system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
      code: 'IRCP',
      display: 'information recipient',
    },
  ],
};
const AUTHOR_ROLE = {
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'AUT', display: 'author' }],
};

function baseConsent(event: TimelineEvent, id: string): Consent {
  return {
    resourceType: 'Consent',
    id,
    identifier: [{ system: MHR_CHAIN_ID_SYSTEM, value: `urn:mhrchain:consent:${event.chainId}:${id}` }],
    status: 'proposed',
    scope: {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/consentscope',
          code: 'patient-privacy',
          display: 'Privacy Consent',
        },
      ],
    },
    category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0', display: 'Patient Consent' }] }],
    patient: accountReference(event.chainId, event.patient),
    dateTime: iso(event.blockTime),
    performer: [accountReference(event.chainId, event.patient)],
    policyRule: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTIN', display: 'opt-in' }],
    },
    sourceReference: {
      identifier: { system: MHR_CHAIN_ID_SYSTEM, value: `urn:mhrchain:tx:${event.chainId}:${event.transactionHash}` },
    },
  };
}

/**
 * Exports the consent decisions of a patient's timeline as FHIR R4 `Consent` resources: one per access request
 * (proposed, then active when granted or rejected), one per later grant, and one per delegation. A grant that was
 * revoked, replaced or has expired is `inactive`; its `provision.period` ends at the revocation or expiry. People
 * appear only as `did:pkh` identifiers.
 *
 * @example
 * ```ts
 * import { timelineToFhirConsents, type TimelineEvent } from '@mhrchain/consent';
 *
 * declare const timeline: TimelineEvent[];
 * const consents = timelineToFhirConsents(timeline);
 * consents.filter((c) => c.status === 'active');
 * ```
 */
export function timelineToFhirConsents(timeline: readonly TimelineEvent[], options: FhirExportOptions = {}): Consent[] {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const events = [...timeline].sort(compareTimelineEvents);
  const consents: Consent[] = [];
  /** The open consent of each doctor (pending request or current grant), by patient and doctor. */
  const byDoctor = new Map<string, { consent: Consent; expiresAt?: number; serial?: number }>();
  /** The delegations by patient and colleague, with the doctor and grant they depend on. */
  const byColleague = new Map<string, { consent: Consent; doctor: string; serial?: number; expiresAt: number }>();
  const key = (patient: string, other: string) => `${patient.toLowerCase()}:${other.toLowerCase()}`;
  const close = (consent: Consent, at: number) => {
    if (consent.status === 'active') {
      consent.status = 'inactive';
      const period = consent.provision?.period;
      if (period && (!period.end || Date.parse(period.end) > at * 1000)) period.end = iso(at);
    }
  };

  for (const event of events) {
    switch (event.kind) {
      case 'access-requested': {
        const consent = baseConsent(event, `request-${event.requestId.slice(2, 18)}`);
        consent.provision = {
          type: 'permit',
          actor: [{ role: RECIPIENT_ROLE, reference: accountReference(event.chainId, event.doctor) }],
          purpose: [purposeCoding(event.purpose)],
          ...provisionData(event.chainId, event.scope),
        };
        consents.push(consent);
        byDoctor.set(key(event.patient, event.doctor), { consent });
        break;
      }
      case 'access-rejected': {
        const open = byDoctor.get(key(event.patient, event.doctor));
        if (open?.consent.status === 'proposed') {
          open.consent.status = 'rejected';
          open.consent.provision = { ...open.consent.provision, type: 'deny' };
        }
        break;
      }
      case 'access-granted': {
        const open = byDoctor.get(key(event.patient, event.doctor));
        if (open && open.consent.status === 'active') close(open.consent, event.blockTime);
        const consent =
          open?.consent.status === 'proposed'
            ? open.consent
            : baseConsent(event, `grant-${event.doctor.slice(2, 10).toLowerCase()}-${event.serial}`);
        if (consent !== open?.consent) consents.push(consent);
        consent.status = 'active';
        consent.dateTime = iso(event.blockTime);
        consent.sourceReference = baseConsent(event, '').sourceReference;
        consent.identifier = [
          ...(consent.identifier ?? []),
          {
            system: MHR_CHAIN_ID_SYSTEM,
            value: `urn:mhrchain:grant:${event.chainId}:${event.contract.toLowerCase()}:${event.patient.toLowerCase()}:${event.doctor.toLowerCase()}:${event.serial}`,
          },
        ];
        consent.provision = {
          ...consent.provision,
          type: 'permit',
          period: { start: iso(event.blockTime), end: iso(event.expiresAt) },
          actor: [{ role: RECIPIENT_ROLE, reference: accountReference(event.chainId, event.doctor) }],
          data: undefined,
          code: undefined,
          ...provisionData(event.chainId, event.scope),
        };
        const provision = consent.provision;
        if (!provision.data) delete provision.data;
        if (!provision.code) delete provision.code;
        if (event.expiresAt <= now) close(consent, event.expiresAt);
        byDoctor.set(key(event.patient, event.doctor), { consent, expiresAt: event.expiresAt, serial: event.serial });
        break;
      }
      case 'access-revoked': {
        const open = byDoctor.get(key(event.patient, event.doctor));
        if (open) close(open.consent, event.blockTime);
        for (const delegation of byColleague.values())
          if (delegation.doctor.toLowerCase() === event.doctor.toLowerCase())
            close(delegation.consent, event.blockTime);
        break;
      }
      case 'delegation-requested': {
        const consent = baseConsent(
          event,
          `delegation-${event.colleague.slice(2, 10).toLowerCase()}-${event.logIndex}-${event.blockNumber}`,
        );
        consent.provision = {
          type: 'permit',
          period: { start: iso(event.blockTime), end: iso(event.expiresAt) },
          actor: [
            { role: RECIPIENT_ROLE, reference: accountReference(event.chainId, event.colleague) },
            { role: AUTHOR_ROLE, reference: accountReference(event.chainId, event.doctor) },
          ],
          ...provisionData(event.chainId, event.scope),
        };
        consents.push(consent);
        const parent = byDoctor.get(key(event.patient, event.doctor));
        byColleague.set(key(event.patient, event.colleague), {
          consent,
          doctor: event.doctor,
          expiresAt: event.expiresAt,
          ...(parent?.serial === undefined ? {} : { serial: parent.serial }),
        });
        break;
      }
      case 'delegation-approved': {
        const delegation = byColleague.get(key(event.patient, event.colleague));
        if (delegation?.consent.status === 'proposed') {
          const parent = byDoctor.get(key(event.patient, delegation.doctor));
          const parentLive = parent?.consent.status === 'active' && parent.serial === delegation.serial;
          delegation.consent.status = parentLive ? 'active' : 'inactive';
          delegation.consent.dateTime = iso(event.blockTime);
          if (delegation.expiresAt <= now) close(delegation.consent, delegation.expiresAt);
        }
        break;
      }
      case 'delegation-rejected': {
        const delegation = byColleague.get(key(event.patient, event.colleague));
        if (delegation?.consent.status === 'proposed') {
          delegation.consent.status = 'rejected';
          delegation.consent.provision = { ...delegation.consent.provision, type: 'deny' };
        }
        break;
      }
      case 'delegation-revoked': {
        const delegation = byColleague.get(key(event.patient, event.colleague));
        if (delegation) {
          if (delegation.consent.status === 'proposed') delegation.consent.status = 'rejected';
          close(delegation.consent, event.blockTime);
        }
        break;
      }
      default:
        break;
    }
  }
  return consents;
}
