import type { ConsentClient } from './client.js';

/**
 * Erasure by crypto-shredding: overwrites the client's X25519 secret key in memory with zeros. Once every copy of
 * the key is gone (the app's key store too: for a client created with `identity: { keyStore }`, also
 * `await keyStore.shred()`), no envelope wrapped only for the patient can be opened by anyone; nothing personal was
 * ever on chain. Shared records are erased from third parties by revoking them with eager rotation first.
 *
 * Only a random identity can be shredded. A wallet-derived identity (the default, or `identity: { origin }`) is
 * derived again by the wallet whenever it signs the derivation message, on any device: this call then only clears
 * this process's copy. Use `identity: { keyStore }` when erasure matters.
 *
 * @example
 * ```ts
 * import { type ConsentClient, shredKeys } from '@mhrchain/consent';
 *
 * declare const patient: ConsentClient;
 * shredKeys(patient);
 * ```
 */
export function shredKeys(client: ConsentClient): void {
  client.identity.secretKey.fill(0);
  client.pendingOtp.clear();
}
