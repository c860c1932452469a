import { type MhrChain, ScopeKind } from '@mhrchain/contracts';
import { getBytes } from 'ethers';

/** Parameters of {@link readStreamRecipients}. */
export interface ReadStreamRecipientsParameters {
  /** The consent and identity contracts (a provider is enough). */
  readonly chain: Pick<MhrChain, 'consentManager' | 'identityRegistry'>;
  /** The patient's address. */
  readonly patient: string;
  /** The doctors to consider (for instance every doctor the patient ever granted). */
  readonly doctors: readonly string[];
  /** The record category of the stream: grants of that category cover it; grants of every category always do. */
  readonly category?: number;
}

/** The doctors a stream may be shared with now, and until when. */
export interface ReadStreamRecipientsReturnType {
  /** Their X25519 public keys, from the identity registry: pass them to `createLivePublisher` or `rekey`. */
  readonly recipients: Uint8Array[];
  /** Their addresses, in the same order. */
  readonly doctors: string[];
  /** The earliest grant expiry among them (Unix seconds): rekey then. Undefined when there is none. */
  readonly nextExpiry: number | undefined;
}

/**
 * Reads from the chain which of `doctors` hold a live grant of `patient` covering the stream (granted, not revoked,
 * not expired, scope of every category or of `category`), and their registered encryption keys. Call it when
 * consent changes (or at `nextExpiry`) and `rekey` the publisher with the result.
 *
 * @example
 * ```ts
 * import type { MhrChain } from '@mhrchain/contracts';
 * import { type LivePublisher, readStreamRecipients } from '@mhrchain/ecg/live';
 *
 * declare const chain: MhrChain;
 * declare const publisher: LivePublisher;
 * const { recipients, nextExpiry } = await readStreamRecipients({
 *   chain,
 *   patient: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
 *   doctors: ['0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC'],
 *   category: 3,
 * });
 * await publisher.rekey(recipients);
 * ```
 */
export async function readStreamRecipients(
  parameters: ReadStreamRecipientsParameters,
): Promise<ReadStreamRecipientsReturnType> {
  const { chain, patient, category } = parameters;
  const rows = await Promise.all(
    parameters.doctors.map(async (doctor) => {
      const [active, grant, identity] = await Promise.all([
        chain.consentManager.read.isGrantActive(patient, doctor),
        chain.consentManager.read.grantOf(patient, doctor),
        chain.identityRegistry.read.identityOf(doctor),
      ]);
      const kind = Number(grant.kind);
      const covers = kind === ScopeKind.All || (kind === ScopeKind.Category && Number(grant.category) === category);
      const key = getBytes(identity.encryptionKey);
      const registered = key.some((b) => b !== 0);
      return active && covers && registered ? { doctor, key, expiresAt: Number(grant.expiresAt) } : undefined;
    }),
  );
  const kept = rows.filter((row) => row !== undefined);
  return {
    recipients: kept.map((row) => row.key),
    doctors: kept.map((row) => row.doctor),
    nextExpiry: kept.length > 0 ? Math.min(...kept.map((row) => row.expiresAt)) : undefined,
  };
}
