import { getBytes } from 'ethers';
import type { ConsentClient } from '../client.js';
import { InvalidConsentParametersError } from '../errors.js';

/** The grant of (patient, doctor) as `ConsentManager.grantOf` returns it. */
export async function grantOf(client: ConsentClient, patient: string, doctor: string) {
  return client.chain.consentManager.read.grantOf(patient, doctor);
}

/** The request of (patient, doctor) as `ConsentManager.requestOf` returns it. */
export async function requestOf(client: ConsentClient, patient: string, doctor: string) {
  return client.chain.consentManager.read.requestOf(patient, doctor);
}

/** The delegation of (patient, colleague) as `DelegationRegistry.delegationOf` returns it. */
export async function delegationOf(client: ConsentClient, patient: string, colleague: string) {
  return client.chain.delegationRegistry.read.delegationOf(patient, colleague);
}

/** Whether `reader` may read `recordId` of `patient` now, through a grant or a live delegation. */
export async function canRead(client: ConsentClient, patient: string, reader: string, recordId: string) {
  return client.chain.delegationRegistry.read.canRead(patient, reader, recordId);
}

/**
 * The X25519 public key `account` registered. An account that never registered reads as the all-zero key, which no
 * one can seal to: refused here with a typed error that says why.
 */
export async function encryptionKeyOf(client: ConsentClient, account: string): Promise<Uint8Array> {
  const identity = await client.chain.identityRegistry.read.identityOf(account);
  const key = getBytes(identity.encryptionKey);
  if (key.every((b) => b === 0)) {
    throw new InvalidConsentParametersError(`${account} has no encryption key on chain: it never registered.`, {
      details: account,
    });
  }
  return key;
}
