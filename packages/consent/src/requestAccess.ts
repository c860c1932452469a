import { encodeBytes32String, isHexString } from 'ethers';
import type { ConsentClient } from './client.js';
import { InvalidConsentParametersError } from './errors.js';
import { type TransactionInfo, transactionInfo } from './internal/chain.js';
import { requestIdOf } from './requestBinding.js';
import { type AccessScope, type Hex, toScopeTuple } from './scope.js';

/** Parameters of {@link requestAccess}. */
export interface RequestAccessParameters {
  /** The patient asked. */
  patient: string;
  /** What the doctor asks for. */
  scope: AccessScope;
  /**
   * Purpose code: 32 bytes of hex, or a short code (≤ 31 ASCII bytes, e.g. `'treatment'`). It is public: never put
   * anything personal in it.
   */
  purpose: string;
  /** How long the access should last, in seconds. */
  duration: number;
}

/** What {@link requestAccess} returns. */
export interface RequestAccessReturnType extends TransactionInfo {
  /** The request id (keccak256 of the event's transaction hash and log index). */
  requestId: Hex;
}

/** A purpose code as bytes32. */
export function purposeCode(purpose: string): Hex {
  if (isHexString(purpose, 32)) return purpose.toLowerCase() as Hex;
  if (!/^[\x20-\x7e]{1,31}$/.test(purpose))
    throw new InvalidConsentParametersError('purpose is 32 bytes of hex or 1 to 31 printable ASCII characters.');
  return encodeBytes32String(purpose) as Hex;
}

/**
 * A doctor asks a patient for access to a scope, for a purpose, during a duration.
 *
 * @example
 * ```ts
 * import { type ConsentClient, requestAccess } from '@mhrchain/consent';
 *
 * declare const doctor: ConsentClient;
 * const { requestId } = await requestAccess(doctor, {
 *   patient: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
 *   scope: { kind: 'category', category: 2 },
 *   purpose: 'treatment',
 *   duration: 7 * 24 * 3600,
 * });
 * ```
 */
export async function requestAccess(
  client: ConsentClient,
  parameters: RequestAccessParameters,
): Promise<RequestAccessReturnType> {
  const { patient, scope, duration } = parameters;
  const { receipt, events } = await client.chain.consentManager.write.requestAccess(
    patient,
    toScopeTuple(scope) as never,
    purposeCode(parameters.purpose),
    duration,
  );
  const event = events.find((e) => e.eventName === 'AccessRequested')!;
  return {
    ...(await transactionInfo(client, receipt)),
    requestId: requestIdOf({ transactionHash: event.transactionHash, logIndex: event.logIndex }),
  };
}
