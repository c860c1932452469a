import { getBytes } from 'ethers';
import type { ConsentClient } from '../client.js';

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

/** The X25519 public key `account` registered. */
export async function encryptionKeyOf(client: ConsentClient, account: string): Promise<Uint8Array> {
  const identity = await client.chain.identityRegistry.read.identityOf(account);
  return getBytes(identity.encryptionKey);
}
