import { hexlify } from 'ethers';
import type { ConsentClient } from './client.js';
import { patientAction, type TransactionInfo, transactionInfo } from './internal/transactions.js';

/** What the register flows return. */
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

/** Parameters of {@link attestDoctor}. */
export interface AttestDoctorParameters {
  /** The registered account to attest. */
  doctor: string;
  /** Until when (Unix seconds) the attestation holds. */
  validUntil: number;
}

/**
 * A registrar (hospital, licensing authority) attests that a registered account is a doctor.
 *
 * @example
 * ```ts
 * import { attestDoctor, type ConsentClient } from '@mhrchain/consent';
 *
 * declare const registrar: ConsentClient;
 * await attestDoctor(registrar, { doctor: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC', validUntil: 2_000_000_000 });
 * ```
 */
export async function attestDoctor(
  client: ConsentClient,
  parameters: AttestDoctorParameters,
): Promise<TransactionInfo> {
  const { receipt } = await client.chain.identityRegistry.write.attestDoctor(parameters.doctor, parameters.validUntil);
  return transactionInfo(client, receipt);
}
