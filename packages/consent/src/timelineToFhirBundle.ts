import type { Bundle } from '@medplum/fhirtypes';
import type { FhirExportOptions } from './fhir.js';
import type { TimelineEvent } from './timeline.js';
import { timelineToFhirAuditEvents } from './timelineToFhirAuditEvents.js';
import { timelineToFhirConsents } from './timelineToFhirConsents.js';

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
