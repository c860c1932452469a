import { GrantStatus } from '@mhrchain/contracts';
import type { ConsentClient } from '../client.js';
import { type AccessScope, isScopeWithin } from '../scope.js';
import { type PublishedVersion, releaseTo } from './publish.js';
import { reconcileRecords } from './reconcile.js';
import { recordsInScope, recordsOf } from './records.js';
import { grantOf } from './state.js';
import { latestGrant } from './terms.js';

/** Whether two scopes cover exactly the same records. */
function sameScope(a: AccessScope, b: AccessScope): boolean {
  return isScopeWithin(a, b) && isScopeWithin(b, a);
}

/** Whether the chain holds a live grant to `doctor` with exactly this scope and expiry. */
export async function grantLanded(
  client: ConsentClient,
  doctor: string,
  scope: AccessScope,
  expiresAt: number,
): Promise<boolean> {
  const grant = await grantOf(client, client.address, doctor);
  if (Number(grant.status) !== GrantStatus.Active || Number(grant.expiresAt) !== expiresAt) return false;
  const latest = await latestGrant(client, client.address, doctor);
  return latest !== undefined && latest.expiresAt === expiresAt && sameScope(latest.scope, scope);
}

/**
 * What follows a grant that landed: the key release for its scope, and, when it replaced a wider grant, the records
 * of the old scope it no longer covers re-published without the doctor. Idempotent.
 */
export async function finishGrant(
  client: ConsentClient,
  doctor: string,
  scope: AccessScope,
  previousScope: AccessScope | undefined,
): Promise<PublishedVersion[]> {
  const released = await releaseTo(client, doctor, scope);
  if (previousScope && !sameScope(previousScope, scope)) {
    const records = recordsInScope(await recordsOf(client, client.address), previousScope);
    await reconcileRecords(client, records);
  }
  return released;
}
