import type { ConsentClient } from './client.js';
import { type TransactionInfo, transactionInfo } from './internal/transactions.js';
import { type AccessScope, toScopeTuple } from './scope.js';

/** Parameters of {@link requestDelegation}. */
export interface RequestDelegationParameters {
  /** The patient whose records are to be shared. */
  patient: string;
  /** The colleague (an attested doctor) to share with. */
  colleague: string;
  /** What to share: at most the doctor's own scope. */
  scope: AccessScope;
  /** When the delegation ends (Unix seconds): at most the doctor's own expiry. */
  expiresAt: number;
}

/** What {@link requestDelegation} returns: where the request landed. */
export type RequestDelegationReturnType = TransactionInfo;

/**
 * A doctor with a live grant asks the patient to let a colleague read part of what the doctor may read. Nothing is
 * shared until the patient approves ({@link approveDelegation}).
 *
 * @example
 * ```ts
 * import { type ConsentClient, requestDelegation } from '@mhrchain/consent';
 *
 * declare const doctor: ConsentClient;
 * await requestDelegation(doctor, {
 *   patient: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
 *   colleague: '0x90F79bf6EB2c4f870365E785982E1f101E93b906',
 *   scope: { kind: 'category', category: 2 },
 *   expiresAt: Math.floor(Date.now() / 1000) + 3600,
 * });
 * ```
 */
export async function requestDelegation(
  client: ConsentClient,
  parameters: RequestDelegationParameters,
): Promise<RequestDelegationReturnType> {
  const { receipt } = await client.chain.delegationRegistry.write.requestDelegation(
    parameters.patient,
    parameters.colleague,
    toScopeTuple(parameters.scope),
    parameters.expiresAt,
  );
  return transactionInfo(client, receipt);
}
