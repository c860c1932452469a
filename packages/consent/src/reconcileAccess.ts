import type { ConsentClient } from './client.js';
import type { PublishedVersion } from './internal/publish.js';
import { reconcileRecords } from './internal/reconcile.js';
import { recordsOf } from './internal/records.js';

/** What {@link reconcileAccess} returns: the record versions re-published for exactly the readers the chain allows. */
export type ReconcileAccessReturnType = PublishedVersion[];

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
export async function reconcileAccess(client: ConsentClient): Promise<ReconcileAccessReturnType> {
  return reconcileRecords(client, await recordsOf(client, client.address));
}
