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
