import type { Bundle, Observation } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { parseFhir, summariseFhir } from './fhirSummary.js';

const hemoglobin: Observation = {
  resourceType: 'Observation',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '718-7', display: 'Hemoglobin [Mass/volume] in Blood' }] },
  valueQuantity: { value: 14.2, unit: 'g/dL' },
  referenceRange: [{ low: { value: 13.5, unit: 'g/dL' }, high: { value: 17.5, unit: 'g/dL' } }],
  effectiveDateTime: '2026-11-30T08:15:00+01:00',
};

describe('FHIR summaries', () => {
  it('reads an Observation as its test name, value with unit and reference range', () => {
    const summary = summariseFhir(hemoglobin);
    expect(summary.heading).toBe('Hemoglobin [Mass/volume] in Blood');
    expect(summary.fields).toEqual([
      { label: 'Result', value: '14.2 g/dL' },
      { label: 'Reference range', value: '13.5 g/dL – 17.5 g/dL' },
      { label: 'Status', value: 'final' },
      { label: 'Taken', value: '2026-11-30T08:15:00+01:00' },
    ]);
  });

  it('summarises each entry of a Bundle', () => {
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { resource: hemoglobin },
        {
          resource: { resourceType: 'Patient', name: [{ given: ['Alex'], family: 'Morgan' }], birthDate: '1980-02-01' },
        },
      ],
    };
    const summary = summariseFhir(bundle);
    expect(summary.heading).toBe('2 resources');
    expect(summary.entries?.map((entry) => entry.heading)).toEqual([
      'Hemoglobin [Mass/volume] in Blood',
      'Alex Morgan',
    ]);
  });

  it('refuses JSON that is not a resource', () => {
    expect(parseFhir('{"hello":1}')).toBeUndefined();
    expect(parseFhir('not json')).toBeUndefined();
    expect(parseFhir(JSON.stringify(hemoglobin))?.resourceType).toBe('Observation');
  });
});
