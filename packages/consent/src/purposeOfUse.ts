import { InvalidPurposeError } from './errors.js';

/** The HL7 code system the purposes of use come from (v3 ActReason, PurposeOfUse value set). */
export const PURPOSE_OF_USE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';

/**
 * The published vocabulary of purposes an access request may name: HL7 v3 PurposeOfUse codes, each with the stable
 * number `ConsentManager` stores and emits (`PURPOSE_TREAT` = 1 … `PURPOSE_CLINTRCH` = 10). The chain sees only the
 * number; numbers never change meaning, and a new purpose gets the next one.
 *
 * @example
 * ```ts
 * import { PURPOSES_OF_USE } from '@mhrchain/consent';
 *
 * for (const { code, display } of PURPOSES_OF_USE) console.log(code, display); // a select in a doctor's app
 * ```
 */
export const PURPOSES_OF_USE = [
  { code: 'TREAT', number: 1, display: 'treatment' },
  { code: 'ETREAT', number: 2, display: 'Emergency Treatment' },
  { code: 'HPAYMT', number: 3, display: 'healthcare payment' },
  { code: 'HRESCH', number: 4, display: 'healthcare research' },
  { code: 'HOPERAT', number: 5, display: 'healthcare operations' },
  { code: 'PUBHLTH', number: 6, display: 'public health' },
  { code: 'PATRQT', number: 7, display: 'patient requested' },
  { code: 'CAREMGT', number: 8, display: 'care management' },
  { code: 'HSYSADMIN', number: 9, display: 'health system administration' },
  { code: 'CLINTRCH', number: 10, display: 'clinical trial research' },
] as const satisfies readonly { code: string; number: number; display: string }[];

/** A purpose of use: the HL7 code of one entry of {@link PURPOSES_OF_USE} (`'TREAT'`, `'ETREAT'`, …). */
export type PurposeOfUse = (typeof PURPOSES_OF_USE)[number]['code'];

/** One entry of {@link PURPOSES_OF_USE}. */
export type PurposeOfUseDefinition = (typeof PURPOSES_OF_USE)[number];

const byCode = new Map<string, PurposeOfUseDefinition>(PURPOSES_OF_USE.map((p) => [p.code, p]));
const byNumber = new Map<number, PurposeOfUseDefinition>(PURPOSES_OF_USE.map((p) => [p.number, p]));

/**
 * Whether `value` is a purpose of use of the vocabulary (exactly, case included).
 *
 * @example
 * ```ts
 * import { isPurposeOfUse } from '@mhrchain/consent';
 *
 * isPurposeOfUse('TREAT'); // true
 * isPurposeOfUse('treatment'); // false: free text is never a purpose
 * ```
 */
export function isPurposeOfUse(value: unknown): value is PurposeOfUse {
  return typeof value === 'string' && byCode.has(value);
}

/**
 * The entry of a purpose of use: its HL7 code, on-chain number and display.
 *
 * @throws {@link InvalidPurposeError} when `purpose` is not a code of the vocabulary.
 * @example
 * ```ts
 * import { purposeOfUse } from '@mhrchain/consent';
 *
 * purposeOfUse('ETREAT'); // { code: 'ETREAT', number: 2, display: 'Emergency Treatment' }
 * ```
 */
export function purposeOfUse(purpose: PurposeOfUse): PurposeOfUseDefinition {
  const definition = typeof purpose === 'string' ? byCode.get(purpose) : undefined;
  if (!definition) throw new InvalidPurposeError({ purpose });
  return definition;
}

/**
 * The purpose of use a contract number stands for (as read from an `AccessRequested` event).
 *
 * @throws {@link InvalidPurposeError} when the number is not in the vocabulary.
 * @example
 * ```ts
 * import { purposeOfUseFromNumber } from '@mhrchain/consent';
 *
 * purposeOfUseFromNumber(1); // 'TREAT'
 * ```
 */
export function purposeOfUseFromNumber(number: number | bigint): PurposeOfUse {
  const definition = byNumber.get(Number(number));
  if (!definition) throw new InvalidPurposeError({ purpose: number });
  return definition.code;
}
