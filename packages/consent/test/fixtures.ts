import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeployMhrChainReturnType } from '@mhrchain/contracts';
import type { AnvilInstance } from '@mhrchain/contracts/testing';
import { createHeliaStorage, generateIdentity, type HeliaStorage } from '@mhrchain/core';
import { type Signer, Wallet } from 'ethers';
import {
  attestDoctor,
  type ConsentClient,
  type CreateConsentClientParameters,
  createConsentClient,
  registerDoctor,
  registerPatient,
} from '../src/index.js';

/** One embedded Helia node per test file, on a temporary directory. */
export async function startStore(): Promise<{ store: HeliaStorage; stop: () => Promise<void> }> {
  const directory = await mkdtemp(join(tmpdir(), 'mhr-consent-'));
  const store = await createHeliaStorage({ directory });
  return {
    store,
    stop: async () => {
      await store.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

export interface World {
  registrar: ConsentClient;
  patient: ConsentClient;
  doctorA: ConsentClient;
  doctorB: ConsentClient;
  colleague: ConsentClient;
  relayer: Signer;
}

/**
 * Deployed contracts, a registrar, a patient without any ETH whose actions go through a relayer, two attested
 * doctors and a colleague, all registered.
 */
export async function setUpWorld(
  anvil: AnvilInstance,
  mhrChain: DeployMhrChainReturnType,
  store: HeliaStorage,
  options: { patient?: Partial<CreateConsentClientParameters> } = {},
): Promise<World> {
  const { addresses } = mhrChain;
  const fromBlock = await anvil.provider.getBlockNumber(); // the contracts were just deployed: scan from here
  const [admin, a, b, c, relayer] = [0, 1, 2, 3, 4].map((i) => anvil.signers[i]!);
  const client = (signer: Signer) =>
    createConsentClient({ signer, addresses, store, identity: generateIdentity(), fromBlock });
  const registrar = await client(admin!);
  await mhrChain.chain.identityRegistry.write.setRegistrar(admin!.address, true);
  const patientWallet = Wallet.createRandom(anvil.provider);
  const patient = await createConsentClient({
    signer: patientWallet,
    addresses,
    store,
    identity: generateIdentity(),
    relayer: relayer!,
    fromBlock,
    ...options.patient,
  });
  const [doctorA, doctorB, colleague] = await Promise.all([client(a!), client(b!), client(c!)]);
  await registerPatient(patient);
  const validUntil = (await anvil.provider.getBlock('latest'))!.timestamp + 10 * 365 * 86_400;
  for (const doctor of [doctorA, doctorB, colleague]) {
    await registerDoctor(doctor);
    await attestDoctor(registrar, { doctor: doctor.address, validUntil });
  }
  return { registrar, patient, doctorA, doctorB, colleague, relayer: relayer! };
}
