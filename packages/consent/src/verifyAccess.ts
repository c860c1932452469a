import type { ConsentClient } from './client.js';
import { type AccessViolation, accessViolations } from './internal/reconcile.js';
import { recordsOf } from './internal/records.js';

export type { AccessViolation } from './internal/reconcile.js';

/** What {@link verifyAccess} returns: every violation of the access invariant (none when it holds). */
export type VerifyAccessReturnType = AccessViolation[];

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
export async function verifyAccess(client: ConsentClient): Promise<VerifyAccessReturnType> {
  return accessViolations(client, await recordsOf(client, client.address));
}
