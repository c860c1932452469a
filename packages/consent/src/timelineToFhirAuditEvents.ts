import type { AuditEvent } from '@medplum/fhirtypes';
import { MHR_CHAIN_ID_SYSTEM, MHR_EVENT_SYSTEM } from './fhir.js';
import { accountIdentifier, iso, purposeCoding } from './internal/fhir.js';
import { compareTimelineTimes, type TimelineEvent, type TimelineEventKind } from './timeline.js';

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
