import type { ConsentClient } from './client.js';

/**
 * Erasure by crypto-shredding: overwrites the client's X25519 secret key in memory with zeros. Once every copy of
 * the key is gone (the app's key store too: delete it there), no envelope wrapped only for the patient can be opened
 * by anyone; nothing personal was ever on chain. Shared records are erased from third parties by revoking them with
 * eager rotation first. A key derived from a wallet cannot be shredded (the wallet derives it again): use a
 * generated identity when erasure matters.
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
