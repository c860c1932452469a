import { getAddress } from 'ethers';
import type { ConsentClient } from './client.js';
import { lastPerKey, queryEvents } from './internal/logs.js';
import { grantOf } from './internal/state.js';
import { type AccessScope, fromScopeTuple, type Hex } from './scope.js';

/** A doctor's live grant from a patient: who may read what, since when and until when. */
export interface ActiveGrant {
  patient: string;
  doctor: string;
  /** The grant's serial (each new grant to the same doctor replaces the previous one). */
  serial: number;
  scope: AccessScope;
  /** When it was granted: block time, Unix seconds. */
  grantedAt: number;
  /** When it ends by itself: Unix seconds. */
  expiresAt: number;
  /** The grant transaction. */
  transactionHash: Hex;
}

/** Parameters of {@link listActiveGrants}. */
export interface ListActiveGrantsParameters {
  /** The patient (default: the client's account). */
  patient?: string;
}

/** What {@link listActiveGrants} returns: one live grant per doctor, oldest first. */
export type ListActiveGrantsReturnType = ActiveGrant[];

/**
 * Every doctor that can read a patient's records now through a grant of its own (granted, not revoked, not expired),
 * oldest grant first: what a patient's app shows under "who has access". Read from the `AccessGranted` logs and
 * checked against the contract's state. Colleagues reading through a delegation are not listed here.
 *
 * @example
 * ```ts
 * import { type ConsentClient, listActiveGrants } from '@mhrchain/consent';
 *
 * declare const patient: ConsentClient;
 * for (const grant of await listActiveGrants(patient)) {
 *   console.log(grant.doctor, grant.scope.kind, new Date(grant.expiresAt * 1000));
 * }
 * ```
 */
export async function listActiveGrants(
  client: ConsentClient,
  parameters: ListActiveGrantsParameters = {},
): Promise<ListActiveGrantsReturnType> {
  const patient = getAddress(parameters.patient ?? client.address);
  const events = await queryEvents(client, client.chain.consentManager, 'AccessGranted', { patient });
  // The latest grant event of each doctor: the one whose serial the contract holds, if still live.
  const latest = lastPerKey(events, (event) => event.args.doctor);
  const grants = await Promise.all(
    latest.map(async (event): Promise<ActiveGrant | undefined> => {
      const doctor = getAddress(event.args.doctor);
      // Live as the contract says: granted, not revoked, not expired, and the doctor still attested.
      const [state, live] = await Promise.all([
        grantOf(client, patient, doctor),
        client.chain.consentManager.read.isGrantActive(patient, doctor),
      ]);
      if (!live || Number(state.serial) !== Number(event.args.serial)) return undefined;
      return {
        patient,
        doctor,
        serial: Number(state.serial),
        scope: fromScopeTuple(event.args.scope),
        grantedAt: Number(state.grantedAt),
        expiresAt: Number(state.expiresAt),
        transactionHash: event.transactionHash as Hex,
      };
    }),
  );
  return grants.filter((grant) => grant !== undefined);
}
