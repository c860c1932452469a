import type { ConsentClient } from './client.js';
import { type RegisterReturnType, registerPatient } from './registerPatient.js';

/**
 * Registers the client's account as a doctor: publishes its X25519 public key, to which patients' apps wrap record
 * keys. The account becomes a doctor once a registrar attests it ({@link attestDoctor}).
 *
 * @example
 * ```ts
 * import { type ConsentClient, registerDoctor } from '@mhrchain/consent';
 *
 * declare const doctor: ConsentClient;
 * await registerDoctor(doctor);
 * ```
 */
export async function registerDoctor(client: ConsentClient): Promise<RegisterReturnType> {
  return registerPatient(client);
}
