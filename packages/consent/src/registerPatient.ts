import { hexlify } from 'ethers';
import type { ConsentClient } from './client.js';
import { patientAction, type TransactionInfo, transactionInfo } from './internal/transactions.js';

/** What {@link registerPatient} and `registerDoctor` return: where the registration landed. */
export type RegisterReturnType = TransactionInfo;

/**
 * Registers the client's account as a patient: publishes its X25519 public key in the identity registry, so
 * doctors' apps can seal one-time code responses to it. Gasless when the client has a relayer.
 *
 * @example
 * ```ts
 * import { type ConsentClient, registerPatient } from '@mhrchain/consent';
 *
 * declare const patient: ConsentClient;
 * const { transactionHash } = await registerPatient(patient);
 * ```
 */
export async function registerPatient(client: ConsentClient): Promise<RegisterReturnType> {
  const encryptionKey = hexlify(client.identity.publicKey);
  const receipt = await patientAction(client, 'Register', { account: client.address, encryptionKey }, () =>
    client.chain.identityRegistry.write.register(encryptionKey),
  );
  return transactionInfo(client, receipt);
}
