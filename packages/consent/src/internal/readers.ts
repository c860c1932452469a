import type { ConsentClient } from '../client.js';
import { grantees } from './logs.js';
import type { ChainRecord } from './records.js';
import { canRead, delegationOf, grantOf } from './state.js';

/** Who, besides the patient, may read `record` now (grants and live delegations, as the chain says). */
export async function currentReaders(client: ConsentClient, record: ChainRecord, candidates: readonly string[]) {
  const readers: string[] = [];
  for (const account of candidates)
    if (await canRead(client, record.patient, account, record.recordId)) readers.push(account);
  return readers;
}

/** Who may read a new record of `category` from the start: live grants and delegations covering the category. */
export async function readersForCategory(client: ConsentClient, patient: string, category: number) {
  const readers: string[] = [];
  for (const account of await grantees(client, patient)) {
    const grant = await grantOf(client, patient, account);
    // The contract's view: granted, unrevoked, unexpired, and the doctor still attested.
    const live = await client.chain.consentManager.read.isGrantActive(patient, account);
    if (live && (grant.kind === 0n || (grant.kind === 1n && Number(grant.category) === category))) {
      readers.push(account);
      continue;
    }
    if (await client.chain.delegationRegistry.read.isDelegationActive(patient, account)) {
      const delegation = await delegationOf(client, patient, account);
      if (delegation.kind === 0n || (delegation.kind === 1n && Number(delegation.category) === category))
        readers.push(account);
    }
  }
  return readers;
}
