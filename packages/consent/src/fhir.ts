import type { AuditEvent, Bundle, Consent, Identifier, Reference, Resource } from '@medplum/fhirtypes';
import { PURPOSE_OF_USE_SYSTEM, type PurposeOfUse, purposeOfUse } from './purposeOfUse.js';
import type { AccessScope } from './scope.js';
import { compareTimelineEvents, compareTimelineTimes, type TimelineEvent, type TimelineEventKind } from './timeline.js';

/** Code system of MHR Chain timeline event kinds (`access-granted`, `record-anchored`, …). */
export const MHR_EVENT_SYSTEM = 'https://mhrchain.org/fhir/CodeSystem/timeline-event';
/** Code system of the non-identifying record category codes anchored on chain. */
export const MHR_CATEGORY_SYSTEM = 'https://mhrchain.org/fhir/CodeSystem/record-category';
/** Identifier system of on-chain ids (record ids, grants, transactions). */
export const MHR_CHAIN_ID_SYSTEM = 'urn:ietf:rfc:3986';

/** Options of the FHIR exports. */
export interface FhirExportOptions {
  /** The time the export describes (for expiry), in seconds since the epoch. Default: now. */
  now?: number;
}

/** An account as a FHIR identifier: a `did:pkh` URI naming the chain and address, nothing personal. */
function accountIdentifier(chainId: bigint, address: string): Identifier {
  return { system: MHR_CHAIN_ID_SYSTEM, value: `did:pkh:eip155:${chainId}:${address.toLowerCase()}` };
}

function accountReference<T extends Resource>(chainId: bigint, address: string): Reference<T> {
  return { identifier: accountIdentifier(chainId, address) };
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/** A purpose of use as a FHIR Coding of the HL7 v3 ActReason code system. */
function purposeCoding(purpose: PurposeOfUse) {
  const { code, display } = purposeOfUse(purpose);
  return { system: PURPOSE_OF_USE_SYSTEM, code, display };
}

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

const ACTIONS: Record<TimelineEventKind, AuditEvent['action']> = {
  'identity-registered': 'C',
  'encryption-key-rotated': 'U',
  'record-anchored': 'C',
  'record-superseded': 'U',
  'record-erased': 'D',
  'access-requested': 'C',
  'access-granted': 'C',
  'access-rejected': 'U',
  'access-revoked': 'D',
  'delegation-requested': 'C',
  'delegation-approved': 'U',
  'delegation-rejected': 'U',
  'delegation-revoked': 'D',
  'access-expired': 'D',
  'delegation-expired': 'D',
  'signatures-cancelled': 'U',
};

const DISPLAYS: Record<TimelineEventKind, string> = {
  'identity-registered': 'Identity registered',
  'encryption-key-rotated': 'Encryption key rotated',
  'record-anchored': 'Record anchored',
  'record-superseded': 'Record version anchored',
  'record-erased': 'Record erased',
  'access-requested': 'Access requested',
  'access-granted': 'Access granted',
  'access-rejected': 'Access request rejected',
  'access-revoked': 'Access revoked',
  'delegation-requested': 'Delegation requested',
  'delegation-approved': 'Delegation approved',
  'delegation-rejected': 'Delegation rejected',
  'delegation-revoked': 'Delegation revoked',
  'access-expired': 'Access expired',
  'delegation-expired': 'Delegation expired',
  'signatures-cancelled': 'Signed actions cancelled',
};

/**
 * Exports every timeline event as a FHIR R4 `AuditEvent`: the event kind as type, the block time as `recorded`, the
 * transaction submitter as requesting agent, the patient, counterpart (doctor or colleague) and record as entities,
 * and the chain and transaction as source and identifiers, so an auditor can check each one against the chain.
 *
 * @example
 * ```ts
 * import { timelineToFhirAuditEvents, type TimelineEvent } from '@mhrchain/consent';
 *
 * declare const timeline: TimelineEvent[];
 * for (const audit of timelineToFhirAuditEvents(timeline)) console.log(audit.recorded, audit.type.display);
 * ```
 */
export function timelineToFhirAuditEvents(timeline: readonly TimelineEvent[]): AuditEvent[] {
  return [...timeline].sort(compareTimelineTimes).map((event) => {
    const chain = event.chainId;
    const entity: NonNullable<AuditEvent['entity']> = [
      {
        what: { identifier: accountIdentifier(chain, event.patient) },
        type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '1', display: 'Person' },
        role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '1', display: 'Patient' },
      },
    ];
    const counterpart = 'colleague' in event ? event.colleague : 'doctor' in event ? event.doctor : undefined;
    if (counterpart)
      entity.push({
        what: { identifier: accountIdentifier(chain, counterpart) },
        type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '1', display: 'Person' },
        role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '6', display: 'User' },
      });
    if ('recordId' in event)
      entity.push({
        what: { identifier: { system: MHR_CHAIN_ID_SYSTEM, value: `urn:mhrchain:record:${chain}:${event.recordId}` } },
        type: {
          system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type',
          code: '2',
          display: 'System Object',
        },
        ...('cid' in event ? { detail: [{ type: 'cid', valueString: event.cid }] } : {}),
      });
    if ('scope' in event)
      entity.push({
        type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '4', display: 'Other' },
        detail: [{ type: 'scope', valueString: JSON.stringify(event.scope) }],
      });
    const audit: AuditEvent = {
      resourceType: 'AuditEvent',
      id: `${event.transactionHash.slice(2, 18)}-${event.logIndex}`,
      type: { system: MHR_EVENT_SYSTEM, code: event.kind, display: DISPLAYS[event.kind] },
      action: ACTIONS[event.kind],
      recorded: iso(event.blockTime),
      outcome: '0',
      agent: [{ who: { identifier: accountIdentifier(chain, event.actor) }, requestor: true }],
      ...(event.kind === 'access-requested' ? { purposeOfEvent: [{ coding: [purposeCoding(event.purpose)] }] } : {}),
      source: {
        site: `eip155:${chain}`,
        observer: {
          identifier: { system: MHR_CHAIN_ID_SYSTEM, value: `did:pkh:eip155:${chain}:${event.contract.toLowerCase()}` },
        },
        type: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/security-source-type',
            code: '4',
            display: 'Application Server',
          },
        ],
      },
      entity: [
        ...entity,
        {
          what: {
            identifier: { system: MHR_CHAIN_ID_SYSTEM, value: `urn:mhrchain:tx:${chain}:${event.transactionHash}` },
          },
          type: {
            system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type',
            code: '2',
            display: 'System Object',
          },
          detail: [
            { type: 'blockNumber', valueString: String(event.blockNumber) },
            { type: 'logIndex', valueString: String(event.logIndex) },
          ],
        },
      ],
    };
    return audit;
  });
}

/**
 * Both exports in one FHIR `Bundle` of type `collection`.
 *
 * @example
 * ```ts
 * import { timelineToFhirBundle, type TimelineEvent } from '@mhrchain/consent';
 *
 * declare const timeline: TimelineEvent[];
 * const bundle = timelineToFhirBundle(timeline);
 * JSON.stringify(bundle);
 * ```
 */
export function timelineToFhirBundle(timeline: readonly TimelineEvent[], options: FhirExportOptions = {}): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'collection',
    entry: [...timelineToFhirConsents(timeline, options), ...timelineToFhirAuditEvents(timeline)].map((resource) => ({
      resource,
    })),
  };
}
