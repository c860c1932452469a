import type { ConsentClient } from './client.js';
import { patientAction, type TransactionInfo, transactionInfo } from './internal/transactions.js';

/** The contracts that verify the patient's signed (relayed) actions. */
const SIGNED_BY_PATIENT = ['consentManager', 'delegationRegistry', 'recordRegistry', 'identityRegistry'] as const;

/** How far each nonce moves: far past any signature the SDK hands out, well within the contracts' limit. */
const JUMP = 1n << 16n;

/** Parameters of {@link cancelSignedActions}. */
export interface CancelSignedActionsParameters {
  /** The contracts whose pending signatures to cancel (default: every contract a patient signs for). */
  contracts?: readonly (typeof SIGNED_BY_PATIENT)[number][];
}

/** What {@link cancelSignedActions} returns: one transaction per contract whose signatures were cancelled. */
export type CancelSignedActionsReturnType = TransactionInfo[];

/**
 * Cancels every signed action of the client's account that was not relayed yet (a grant, revoke, approval or record
 * anchor handed to a relayer who has not submitted it): each contract's nonce moves past every signature made so far,
 * so none of them can be submitted any more (`NoncesInvalidated` is on the timeline). Sent directly, or signed and
 * relayed when the client has a relayer (use a relayer you trust for this: the one withholding signatures would
 * withhold this one too).
 *
 * @example
 * ```ts
 * import { cancelSignedActions, type ConsentClient } from '@mhrchain/consent';
 *
 * declare const patient: ConsentClient;
 * await cancelSignedActions(patient); // the revoke signed yesterday can no longer be relayed
 * ```
 */
export async function cancelSignedActions(
  client: ConsentClient,
  parameters: CancelSignedActionsParameters = {},
): Promise<CancelSignedActionsReturnType> {
  const done: TransactionInfo[] = [];
  for (const name of parameters.contracts ?? SIGNED_BY_PATIENT) {
    const contract = client.chain[name];
    const newNonce = ((await contract.read.nonces(client.address)) as bigint) + JUMP;
    const receipt = await patientAction(
      client,
      'InvalidateNonces',
      { contract: name, account: client.address, newNonce },
      () => contract.write.invalidateNonces(newNonce),
    );
    done.push(await transactionInfo(client, receipt));
  }
  return done;
}
