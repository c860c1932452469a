import type { Scope, ScopeKind } from '@mhrchain/contracts';
import { getAddress } from 'ethers';
import type { ConsentClient } from '../client.js';
import { fromScopeTuple } from '../scope.js';
import { queryEvents } from './logs.js';

/** The latest grant event of (patient, doctor): serial, scope, expiry. */
export async function latestGrant(client: ConsentClient, patient: string, doctor: string) {
  const last = (await queryEvents(client, client.chain.consentManager, 'AccessGranted', { patient, doctor })).at(-1);
  if (!last) return undefined;
  return {
    serial: Number(last.args.serial),
    scope: fromScopeTuple(last.args.scope),
    expiresAt: Number(last.args.expiresAt),
    blockNumber: last.blockNumber,
  };
}

/** The latest delegation request of (patient, colleague): doctor, scope, expiry. */
export async function latestDelegationRequest(client: ConsentClient, patient: string, colleague: string) {
  const requests = await queryEvents(client, client.chain.delegationRegistry, 'DelegationRequested', {
    patient,
    colleague,
  });
  const last = requests.at(-1);
  if (!last) return undefined;
  return {
    doctor: getAddress(last.args.doctor),
    /** The request's serial: an approval names it, with the scope hash and the expiry. */
    serial: Number(last.args.serial),
    scope: fromScopeTuple(last.args.scope),
    /** The scope exactly as the chain logged it (the contracts' tuple), for its EIP-712 hash. */
    scopeTuple: {
      kind: Number(last.args.scope.kind) as ScopeKind,
      category: Number(last.args.scope.category),
      recordIds: last.args.scope.recordIds,
    } satisfies Scope,
    expiresAt: Number(last.args.expiresAt),
    blockNumber: last.blockNumber,
  };
}
