import { toBeHex, zeroPadValue } from 'ethers';
import type { ConsentClient } from '../client.js';
import { type PurposeOfUse, purposeOfUse } from '../purposeOfUse.js';
import { requestBinding } from '../requestBinding.js';
import type { AccessScope, Hex } from '../scope.js';

/** The pending-code store keeps the purpose as a 32-byte word: the ABI word of its contract number. */
export const purposeWord = (purpose: PurposeOfUse) => zeroPadValue(toBeHex(purposeOfUse(purpose).number), 32) as Hex;

/** The binding a one-time code for `pending` is issued and checked against. */
export function bindingOf(
  client: ConsentClient,
  pending: {
    requestId: Hex;
    doctor: string;
    scope: AccessScope;
    purpose: PurposeOfUse;
    duration: number;
    nonce: Uint8Array;
  },
) {
  return requestBinding({
    chainId: client.chainId,
    consent: client.chain.addresses.consentManager,
    patient: client.address,
    ...pending,
  });
}
