import type { ConsentClient } from './client.js';
import { type TransactionInfo, transactionInfo } from './internal/transactions.js';

/** Parameters of {@link attestDoctor}. */
export interface AttestDoctorParameters {
  /** The registered account to attest. */
  doctor: string;
  /** Until when (Unix seconds) the attestation holds. */
  validUntil: number;
}

/** What {@link attestDoctor} returns: where the attestation landed. */
export type AttestDoctorReturnType = TransactionInfo;

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
): Promise<AttestDoctorReturnType> {
  const { receipt } = await client.chain.identityRegistry.write.attestDoctor(parameters.doctor, parameters.validUntil);
  return transactionInfo(client, receipt);
}
