import type { MhrChain } from '@mhrchain/contracts';
import { getAddress } from 'ethers';
import { json, readBody, type StorageNodeRoute } from './storageNode.js';

/** Options of {@link createRegistrarRoute}. */
export interface RegistrarOptions {
  /** The contracts, connected to an account that is a registrar of the identity registry. */
  chain: MhrChain;
  /** Accounts this registrar vouches for as doctors (the demo's doctor). */
  doctors: readonly string[];
  /** How long an attestation lasts, in seconds. Default one year. */
  validForSeconds?: number;
}

/**
 * Plays the medical council: `POST /registrar/attest` with `{ "address": "0x…" }` attests on chain that a registered
 * account is a doctor, for the accounts the registrar knows (any other answers 403). A doctor's page calls it once,
 * after registering its encryption key.
 *
 * @example
 * ```ts
 * const route = createRegistrarRoute({ chain: deployed.chain, doctors: [doctorAddress] });
 * ```
 */
export function createRegistrarRoute(options: RegistrarOptions): StorageNodeRoute {
  const known = new Set(options.doctors.map((address) => getAddress(address)));
  const validFor = options.validForSeconds ?? 365 * 24 * 3600;
  let queue = Promise.resolve();
  return async (request, response, url) => {
    if (url.pathname !== '/registrar/attest') return false;
    if (request.method !== 'POST') {
      json(response, 405, { error: 'use POST' });
      return true;
    }
    const body = await readBody(request, 4096);
    let address: string;
    try {
      address = getAddress(JSON.parse(new TextDecoder().decode(body)).address);
    } catch {
      json(response, 400, { error: 'body must be {"address": "0x…"}' });
      return true;
    }
    if (!known.has(address)) {
      json(response, 403, { error: `${address} is not a doctor this registrar knows` });
      return true;
    }
    // One transaction at a time from the registrar's account.
    const attest = queue.then(async () => {
      const registry = options.chain.identityRegistry;
      if (await registry.read.isDoctor(address)) return;
      if (!(await registry.read.isRegistered(address))) throw new Error(`${address} has not registered yet`);
      await registry.write.attestDoctor(address, Math.floor(Date.now() / 1000) + validFor);
    });
    queue = attest.catch(() => {});
    try {
      await attest;
      json(response, 200, { address, doctor: true });
    } catch (error) {
      json(response, 409, { error: (error as Error).message });
    }
    return true;
  };
}
