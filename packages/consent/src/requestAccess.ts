import type { ConsentClient } from './client.js';
import { type TransactionInfo, transactionInfo } from './internal/transactions.js';
import { type PurposeOfUse, purposeOfUse } from './purposeOfUse.js';
import { requestIdOf } from './requestBinding.js';
import { type AccessScope, type Hex, toScopeTuple } from './scope.js';

/** Parameters of {@link requestAccess}. */
export interface RequestAccessParameters {
  /** The patient asked. */
  patient: string;
  /** What the doctor asks for. */
  scope: AccessScope;
  /**
   * Why the doctor asks: an HL7 PurposeOfUse code of {@link PURPOSES_OF_USE} (`'TREAT'`, `'ETREAT'`, …). It is
   * public: the chain records its number, and anything else (free text) is refused before any transaction.
   */
  purpose: PurposeOfUse;
  /** How long the access should last, in seconds. */
  duration: number;
}

/** What {@link requestAccess} returns. */
export interface RequestAccessReturnType extends TransactionInfo {
  /** The request id (keccak256 of the event's transaction hash and log index). */
  requestId: Hex;
}

/**
 * A doctor asks a patient for access to a scope, for a purpose of use, during a duration.
 *
 * @throws {@link InvalidPurposeError} when `purpose` is not a code of {@link PURPOSES_OF_USE} (nothing is sent).
 * @example
 * ```ts
 * import { type ConsentClient, requestAccess } from '@mhrchain/consent';
 *
 * declare const doctor: ConsentClient;
 * const { requestId } = await requestAccess(doctor, {
 *   patient: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
 *   scope: { kind: 'category', category: 2 },
 *   purpose: 'TREAT',
 *   duration: 7 * 24 * 3600,
 * });
 * ```
 */
export async function requestAccess(
  client: ConsentClient,
  parameters: RequestAccessParameters,
): Promise<RequestAccessReturnType> {
  const { patient, scope, duration } = parameters;
  const { number: purpose } = purposeOfUse(parameters.purpose);
  const { receipt, events } = await client.chain.consentManager.write.requestAccess(
    patient,
    toScopeTuple(scope),
    purpose,
    duration,
  );
  const event = events.find((e) => e.eventName === 'AccessRequested')!;
  return {
    ...(await transactionInfo(client, receipt)),
    requestId: requestIdOf({ transactionHash: event.transactionHash, logIndex: event.logIndex }),
  };
}
