import { DelegationStatus, GrantStatus } from '@mhrchain/contracts';
import type { ConsentClient } from './client.js';
import { blockTimes, chainNow } from './internal/blockTimes.js';
import { grantees } from './internal/logs.js';
import { type PublishedVersion, type Rotation, rotateRecords } from './internal/publish.js';
import { type ChainRecord, recordsInScope, recordsOf } from './internal/records.js';
import { delegationOf, grantOf } from './internal/state.js';
import { latestDelegationRequest, latestGrant } from './internal/terms.js';

/** Parameters of {@link rotateExpiredAccess}. */
export interface RotateExpiredAccessParameters {
  /** Default `'lazy'`. */
  rotation?: Rotation;
}

/** What {@link rotateExpiredAccess} returns: the record versions published without the expired readers. */
export type RotateExpiredAccessReturnType = PublishedVersion[];

/**
 * Expiry needs no transaction, but the envelopes still name the expired grantee: this publishes new versions,
 * without every grantee whose grant or delegation has expired, of the records whose current version was published
 * before the expiry. Run it when the patient's app starts (any later flow that publishes a version drops expired
 * readers anyway).
 *
 * @example
 * ```ts
 * import { type ConsentClient, rotateExpiredAccess } from '@mhrchain/consent';
 *
 * declare const patient: ConsentClient;
 * const rotated = await rotateExpiredAccess(patient);
 * ```
 */
export async function rotateExpiredAccess(
  client: ConsentClient,
  parameters: RotateExpiredAccessParameters = {},
): Promise<RotateExpiredAccessReturnType> {
  const now = await chainNow(client);
  const records = await recordsOf(client, client.address);
  const affected = new Map<string, ChainRecord>();
  const blockTime = blockTimes(client);
  const publishedAt = (record: ChainRecord) => blockTime(record.versions.at(-1)!.blockNumber);
  for (const account of await grantees(client, client.address)) {
    const grant = await grantOf(client, client.address, account);
    if (Number(grant.status) === GrantStatus.Active && Number(grant.expiresAt) <= now) {
      const latest = await latestGrant(client, client.address, account);
      for (const record of recordsInScope(records, latest?.scope ?? { kind: 'all' }))
        if ((await publishedAt(record)) < Number(grant.expiresAt)) affected.set(record.recordId, record);
    }
    const delegation = await delegationOf(client, client.address, account);
    if (Number(delegation.status) === DelegationStatus.Approved && Number(delegation.expiresAt) <= now) {
      const request = await latestDelegationRequest(client, client.address, account);
      for (const record of recordsInScope(records, request?.scope ?? { kind: 'all' }))
        if ((await publishedAt(record)) < Number(delegation.expiresAt)) affected.set(record.recordId, record);
    }
  }
  return rotateRecords(client, [...affected.values()], parameters.rotation ?? 'lazy');
}
