import type { ConsentClient } from '../client.js';
import { DELEGATION_APPROVED, delegationOf } from './chain.js';

/** Whether the chain holds the delegation to `colleague` from request `serial` as approved. */
export async function delegationApproved(client: ConsentClient, colleague: string, serial: number): Promise<boolean> {
  const delegation = await delegationOf(client, client.address, colleague);
  return delegation.status === DELEGATION_APPROVED && Number(delegation.serial) === serial;
}
