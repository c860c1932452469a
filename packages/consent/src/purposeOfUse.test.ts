import { describe, expect, it } from 'vitest';
import { InvalidConsentParametersError, InvalidPurposeError } from './errors.js';
import {
  isPurposeOfUse,
  PURPOSE_OF_USE_SYSTEM,
  PURPOSES_OF_USE,
  type PurposeOfUse,
  purposeOfUse,
  purposeOfUseFromNumber,
} from './purposeOfUse.js';

describe('PURPOSES_OF_USE', () => {
  it('publishes the HL7 v3 PurposeOfUse codes under the numbers ConsentManager uses', () => {
    expect(PURPOSE_OF_USE_SYSTEM).toBe('http://terminology.hl7.org/CodeSystem/v3-ActReason');
    // ConsentManager.PURPOSE_TREAT … PURPOSE_CLINTRCH: these numbers never change meaning
    expect(Object.fromEntries(PURPOSES_OF_USE.map((p) => [p.code, p.number]))).toEqual({
      TREAT: 1,
      ETREAT: 2,
      HPAYMT: 3,
      HRESCH: 4,
      HOPERAT: 5,
      PUBHLTH: 6,
      PATRQT: 7,
      CAREMGT: 8,
      HSYSADMIN: 9,
      CLINTRCH: 10,
    });
  });

  it('round-trips every code through its number', () => {
    for (const { code, number } of PURPOSES_OF_USE) {
      expect(isPurposeOfUse(code)).toBe(true);
      expect(purposeOfUse(code).number).toBe(number);
      expect(purposeOfUseFromNumber(number)).toBe(code);
      expect(purposeOfUseFromNumber(BigInt(number))).toBe(code);
    }
  });

  it.each(['treatment', 'treat', 'hiv-antiretroviral-followup', '', 'TREAT ', `0x${'00'.repeat(31)}01`, 1, undefined])(
    'refuses %o with a typed error',
    (value) => {
      expect(isPurposeOfUse(value)).toBe(false);
      expect(() => purposeOfUse(value as PurposeOfUse)).toThrow(InvalidPurposeError);
      expect(() => purposeOfUse(value as PurposeOfUse)).toThrow(InvalidConsentParametersError);
    },
  );

  it.each([0, 11, 65_535, 1.5, -1])('knows no purpose numbered %d', (number) => {
    expect(() => purposeOfUseFromNumber(number)).toThrow(InvalidPurposeError);
  });
});
