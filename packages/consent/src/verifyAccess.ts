import type { ConsentClient } from './client.js';
import type { PublishedVersion } from './internal/publish.js';
import { type AccessViolation, accessViolations, reconcileRecords } from './internal/reconcile.js';
import { recordsOf } from './internal/records.js';

export type { AccessViolation } from './internal/reconcile.js';

/**
 * The access invariant, checked: lists every current version of the patient's records that an account can open
 * while the chain gives it no live grant or delegation covering that record (a revoked, expired, narrowed or
 * de-attested reader, an ended delegation), and every current version whose readers this journal does not know
 * (published elsewhere). Empty means the chain shows at least all the access the stored versions give.
 * Readers are known from the journal's access ledger, written before each version is anchored.
 *
 * @example
 * ```ts
 * import { type ConsentClient, reconcileAccess, verifyAccess } from '@mhrchain/consent';
 *
 * declare const patient: ConsentClient;
 * const violations = await verifyAccess(patient);
 * if (violations.length) await reconcileAccess(patient);
 * ```
 */
export async function verifyAccess(client: ConsentClient): Promise<AccessViolation[]> {
  return accessViolations(client, await recordsOf(client, client.address));
}

/**
 * Restores the access invariant: every record {@link verifyAccess} flags is re-published (lazy rotation: a new header
 * over the same payload) for exactly the readers the chain allows now. Returns the versions published.
 *
 * @example
 * ```ts
 * import { type ConsentClient, reconcileAccess } from '@mhrchain/consent';
 *
 * declare const patient: ConsentClient;
 * const published = await reconcileAccess(patient); // e.g. after a doctor's attestation was withdrawn
 * ```
 */
export async function reconcileAccess(client: ConsentClient): Promise<PublishedVersion[]> {
  return reconcileRecords(client, await recordsOf(client, client.address));
}
