import type {
  AllergyIntolerance,
  Bundle,
  CodeableConcept,
  Condition,
  DiagnosticReport,
  HumanName,
  MedicationStatement,
  Observation,
  Patient,
  Quantity,
  Resource,
} from '@medplum/fhirtypes';

/** A FHIR resource as a person reads it: a heading and labelled fields (empty ones left out). */
export interface FhirSummary {
  resourceType: string;
  heading: string;
  fields: Array<{ label: string; value: string }>;
  /** The entries of a Bundle, summarised one by one. */
  entries?: FhirSummary[];
}

const concept = (value: CodeableConcept | undefined): string | undefined =>
  value?.text ?? value?.coding?.find((c) => c.display)?.display ?? value?.coding?.[0]?.code;

const quantity = (value: Quantity | undefined): string | undefined =>
  value?.value === undefined ? undefined : `${value.value}${value.unit ? ` ${value.unit}` : ''}`;

const humanName = (names: HumanName[] | undefined): string | undefined => {
  const name = names?.[0];
  if (!name) return undefined;
  return name.text ?? [...(name.prefix ?? []), ...(name.given ?? []), name.family].filter(Boolean).join(' ');
};

function observationValue(observation: Observation): string | undefined {
  if (observation.valueQuantity) return quantity(observation.valueQuantity);
  if (observation.valueString) return observation.valueString;
  if (observation.valueCodeableConcept) return concept(observation.valueCodeableConcept);
  if (observation.valueBoolean !== undefined) return observation.valueBoolean ? 'yes' : 'no';
  if (observation.component?.length)
    return observation.component
      .map((part) => `${concept(part.code) ?? 'value'}: ${quantity(part.valueQuantity) ?? part.valueString ?? '—'}`)
      .join('; ');
  return undefined;
}

function fieldsOf(resource: Resource): { heading: string; fields: Array<[string, string | undefined]> } {
  switch (resource.resourceType) {
    case 'Observation': {
      const r = resource as Observation;
      const range = r.referenceRange?.[0];
      return {
        heading: concept(r.code) ?? 'Observation',
        fields: [
          ['Result', observationValue(r)],
          ['Interpretation', concept(r.interpretation?.[0])],
          [
            'Reference range',
            range ? [quantity(range.low), quantity(range.high)].filter(Boolean).join(' – ') || range.text : undefined,
          ],
          ['Status', r.status],
          ['Taken', r.effectiveDateTime ?? r.issued],
          ['Note', r.note?.map((n) => n.text).join(' ')],
        ],
      };
    }
    case 'Patient': {
      const r = resource as Patient;
      return {
        heading: humanName(r.name) ?? 'Patient',
        fields: [
          ['Born', r.birthDate],
          ['Gender', r.gender],
        ],
      };
    }
    case 'Condition': {
      const r = resource as Condition;
      return {
        heading: concept(r.code) ?? 'Condition',
        fields: [
          ['Clinical status', concept(r.clinicalStatus)],
          ['Since', r.onsetDateTime ?? r.onsetString],
          ['Recorded', r.recordedDate],
        ],
      };
    }
    case 'MedicationStatement': {
      const r = resource as MedicationStatement;
      return {
        heading: concept(r.medicationCodeableConcept) ?? 'Medication',
        fields: [
          [
            'Dosage',
            r.dosage
              ?.map((d) => d.text)
              .filter(Boolean)
              .join('; '),
          ],
          ['Status', r.status],
          ['Since', r.effectivePeriod?.start ?? r.effectiveDateTime],
        ],
      };
    }
    case 'AllergyIntolerance': {
      const r = resource as AllergyIntolerance;
      return {
        heading: `Allergy: ${concept(r.code) ?? 'unspecified'}`,
        fields: [
          ['Criticality', r.criticality],
          [
            'Reaction',
            r.reaction
              ?.flatMap((x) => x.manifestation?.map(concept) ?? [])
              .filter(Boolean)
              .join(', '),
          ],
        ],
      };
    }
    case 'DiagnosticReport': {
      const r = resource as DiagnosticReport;
      return {
        heading: concept(r.code) ?? 'Diagnostic report',
        fields: [
          ['Conclusion', r.conclusion],
          ['Status', r.status],
          ['Issued', r.issued ?? r.effectiveDateTime],
        ],
      };
    }
    default:
      return { heading: resource.resourceType, fields: [['Id', resource.id]] };
  }
}

/** Summarises a FHIR R4 resource (Observation, Patient, Condition, MedicationStatement, AllergyIntolerance, DiagnosticReport, Bundle). */
export function summariseFhir(resource: Resource): FhirSummary {
  if (resource.resourceType === 'Bundle') {
    const bundle = resource as Bundle;
    const entries = (bundle.entry ?? []).flatMap((entry) => (entry.resource ? [summariseFhir(entry.resource)] : []));
    return {
      resourceType: 'Bundle',
      heading: `${entries.length} resource${entries.length === 1 ? '' : 's'}`,
      fields: bundle.type ? [{ label: 'Bundle type', value: bundle.type }] : [],
      entries,
    };
  }
  const { heading, fields } = fieldsOf(resource);
  return {
    resourceType: resource.resourceType,
    heading,
    fields: fields.flatMap(([label, value]) => (value ? [{ label, value }] : [])),
  };
}

/** Parses FHIR JSON; `undefined` when it is not a resource. */
export function parseFhir(text: string): Resource | undefined {
  try {
    const value = JSON.parse(text) as Resource;
    return typeof value?.resourceType === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
