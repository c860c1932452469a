import { connectMhrChain, type MhrChain, type MhrChainAddresses } from '@mhrchain/contracts';
import { deriveIdentityFromSigner, type Identity } from '@mhrchain/core';
import { getBytes, hexlify, JsonRpcProvider, NonceManager, Wallet } from 'ethers';
import type { AppConfig } from '../../shared/config.js';
import { createRelayClient, type RelayClient } from './relayClient.js';
import { createStorageClient, type StorageClient } from './storageClient.js';

/** A role's connection to everything, held in the page: wallet, encryption identity, contracts, storage, relay. */
export interface Session {
  role: 'patient' | 'doctor';
  config: AppConfig;
  provider: JsonRpcProvider;
  /** The role's wallet (signs typed data). */
  wallet: Wallet;
  /** The contracts, connected to the wallet (through a nonce manager, so transactions can overlap). */
  chain: MhrChain;
  address: string;
  /** X25519 encryption identity, derived in the browser from a wallet signature; it never leaves the page. */
  identity: Identity;
  storage: StorageClient;
  relay: RelayClient;
}

/**
 * Opens a role's session: connects to the chain, derives the encryption identity from the wallet and registers its
 * public key in the identity registry if needed. A doctor also asks the registrar to attest it.
 */
export async function openSession(config: AppConfig, role: 'patient' | 'doctor'): Promise<Session> {
  const provider = new JsonRpcProvider(config.rpcUrl, config.chainId, { staticNetwork: true, pollingInterval: 250 });
  const wallet = new Wallet(config.accounts[role].privateKey, provider);
  const chain = connectMhrChain(new NonceManager(wallet), config.contracts as unknown as MhrChainAddresses);
  const identity = await deriveIdentityFromSigner(wallet);
  const session: Session = {
    role,
    config,
    provider,
    wallet,
    chain,
    address: wallet.address,
    identity,
    storage: createStorageClient(config.storageUrl),
    relay: createRelayClient(config.storageUrl),
  };
  const registered = await chain.identityRegistry.read.isRegistered(wallet.address);
  if (!registered) await chain.identityRegistry.write.register(hexlify(identity.publicKey));
  if (role === 'doctor' && !(await chain.identityRegistry.read.isDoctor(wallet.address))) {
    const response = await fetch(`${config.storageUrl}/registrar/attest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ address: wallet.address }),
    });
    if (!response.ok) throw new Error(`The registrar did not attest this doctor: ${await response.text()}`);
  }
  return session;
}

/** The X25519 public key `account` registered, read from the identity registry. */
export async function encryptionKeyOf(session: Session, account: string): Promise<Uint8Array> {
  const identity = (await session.chain.identityRegistry.read.identityOf(account)) as { encryptionKey: string };
  const key = getBytes(identity.encryptionKey);
  if (key.every((byte) => byte === 0)) throw new Error(`${account} has not registered an encryption key`);
  return key;
}
