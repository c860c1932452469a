import { DelegationStatus } from '@mhrchain/contracts';
import type { ConsentClient } from '../client.js';
import { delegationOf } from './state.js';

/** Whether the chain holds the delegation to `colleague` from request `serial` as approved. */
export async function delegationApproved(client: ConsentClient, colleague: string, serial: number): Promise<boolean> {
  const delegation = await delegationOf(client, client.address, colleague);
  return Number(delegation.status) === DelegationStatus.Approved && Number(delegation.serial) === serial;
}
