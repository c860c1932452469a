import type { Identifier, Reference, Resource } from '@medplum/fhirtypes';
import { MHR_CHAIN_ID_SYSTEM } from '../fhir.js';
import { PURPOSE_OF_USE_SYSTEM, type PurposeOfUse, purposeOfUse } from '../purposeOfUse.js';

/** An account as a FHIR identifier: a `did:pkh` URI naming the chain and address, nothing personal. */
export function accountIdentifier(chainId: bigint, address: string): Identifier {
  return { system: MHR_CHAIN_ID_SYSTEM, value: `did:pkh:eip155:${chainId}:${address.toLowerCase()}` };
}

/** An account as a FHIR reference (by identifier). */
export function accountReference<T extends Resource>(chainId: bigint, address: string): Reference<T> {
  return { identifier: accountIdentifier(chainId, address) };
}

/** Unix seconds as an ISO 8601 instant. */
export const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/** A purpose of use as a FHIR Coding of the HL7 v3 ActReason code system. */
export function purposeCoding(purpose: PurposeOfUse) {
  const { code, display } = purposeOfUse(purpose);
  return { system: PURPOSE_OF_USE_SYSTEM, code, display };
}
