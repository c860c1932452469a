import {
  type ConsentClient,
  createConsentClient,
  createIndexedDbJournalStore,
  registerDoctor,
  registerPatient,
  resumePendingActions,
} from '@mhrchain/consent';
import type { MhrChainAddresses } from '@mhrchain/contracts';
import { createHeliaStorage, deriveIdentityFromSigner } from '@mhrchain/core';
import { getBytes, JsonRpcProvider, Wallet } from 'ethers';
import type { AppConfig } from '../../common/config.js';
import { createNodeRecordStore, type StoreWatchSlot } from './nodeRecordStore.js';
import { createRelayClient, type RelayClient } from './relayClient.js';

/** A role's connection to everything, held in the page: the SDK's consent client and the relay. */
export interface Session {
  role: 'patient' | 'doctor';
  config: AppConfig;
  /** The SDK client: wallet, contracts, X25519 identity (derived in the browser; it never leaves the page), store. */
  client: ConsentClient;
  address: string;
  relay: RelayClient;
  /** The upload in progress watches the record store through this slot (progress, cancel). */
  storeWatch: StoreWatchSlot;
}

/**
 * Opens a role's session: connects to the chain, derives the encryption identity from the wallet and registers its
 * public key in the identity registry if needed. A doctor also asks the registrar to attest it.
 */
export async function openSession(config: AppConfig, role: 'patient' | 'doctor'): Promise<Session> {
  const provider = new JsonRpcProvider(config.rpcUrl, config.chainId, { staticNetwork: true, pollingInterval: 250 });
  const wallet = new Wallet(config.accounts[role].privateKey, provider);
  const storeWatch: StoreWatchSlot = { current: undefined };
  const client = await createConsentClient({
    // The SDK picks nonces itself, so the page's transactions can overlap.
    signer: wallet,
    // The journal of multi-step actions, in this browser's IndexedDB: a tab closed mid-action is finished on reopen.
    journal: await createIndexedDbJournalStore({ name: `mhr-journal-${role}-${wallet.address}` }),
    addresses: config.contracts as unknown as MhrChainAddresses,
    // The page's embedded IPFS node keeps every block it stores or reads in IndexedDB, one repository per role.
    store: createNodeRecordStore(
      config.storageUrl,
      await createHeliaStorage({ directory: `mhr-web-ehr-${role}` }),
      storeWatch,
    ),
    identity: await deriveIdentityFromSigner(wallet),
  });
  // Whatever an earlier visit left half-done (a grant without its key release, a revoke without its rotation).
  if (role === 'patient') await resumePendingActions(client);
  const registry = client.chain.identityRegistry;
  if (!(await registry.read.isRegistered(client.address))) {
    await (role === 'doctor' ? registerDoctor(client) : registerPatient(client));
  }
  if (role === 'doctor' && !(await registry.read.isDoctor(client.address))) {
    const response = await fetch(`${config.storageUrl}/registrar/attest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ address: client.address }),
    });
    if (!response.ok) throw new Error(`The registrar did not attest this doctor: ${await response.text()}`);
  }
  return { role, config, client, address: client.address, relay: createRelayClient(config.storageUrl), storeWatch };
}

/** The X25519 public key `account` registered, read from the identity registry. */
export async function encryptionKeyOf(session: Session, account: string): Promise<Uint8Array> {
  const identity = (await session.client.chain.identityRegistry.read.identityOf(account)) as { encryptionKey: string };
  const key = getBytes(identity.encryptionKey);
  if (key.every((byte) => byte === 0)) throw new Error(`${account} has not registered an encryption key`);
  return key;
}
