import { describe, expect, it } from 'vitest';
import { T0, timeline } from '../test/fhirTimeline.js';
import { timelineToFhirBundle } from './timelineToFhirBundle.js';

describe('timelineToFhirBundle', () => {
  it('bundles both exports', () => {
    const bundle = timelineToFhirBundle(timeline, { now: T0 + 100 });
    expect(bundle.type).toBe('collection');
    expect(bundle.entry?.filter((e) => e.resource?.resourceType === 'Consent')).toHaveLength(3);
    expect(bundle.entry?.filter((e) => e.resource?.resourceType === 'AuditEvent')).toHaveLength(timeline.length);
    expect(JSON.parse(JSON.stringify(bundle))).toEqual(bundle);
  });
});
