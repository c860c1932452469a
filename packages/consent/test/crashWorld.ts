/**
 * A patient app that can be crashed and restarted on a real anvil and embedded IPFS node, and the access invariant
 * checked after each crash point (shared by the crash-point and pinning tests).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeployMhrChainReturnType } from '@mhrchain/contracts';
import type { AnvilInstance } from '@mhrchain/contracts/testing';
import { DecryptionError, generateIdentity, type HeliaStorage, type Identity } from '@mhrchain/core';
import { JsonRpcProvider, Network, type Signer } from 'ethers';
import { CID } from 'multiformats/cid';
import { afterAll, beforeAll, expect } from 'vitest';
import { attestDoctor } from '../src/attestDoctor.js';
import { type ConsentClient, createConsentClient } from '../src/client.js';
import { createFileJournalStore } from '../src/fileJournalStore.js';
import { pendingActions } from '../src/internal/journal.js';
import { recordsOf } from '../src/internal/records.js';
import { canRead } from '../src/internal/state.js';
import { readRecord } from '../src/readRecord.js';
import { registerDoctor } from '../src/registerDoctor.js';
import { registerPatient } from '../src/registerPatient.js';
import { resumePendingActions } from '../src/resumePendingActions.js';
import { verifyAccess } from '../src/verifyAccess.js';
import { FaultySigner, faultyStore, type SendPlan, type SendRace, type StorePlan } from './faults.js';
import { startStore } from './fixtures.js';

/** The embedded IPFS node of the test file (set up by {@link useCrashWorld}). */
export let storage: { store: HeliaStorage; stop: () => Promise<void> };
const journals: string[] = [];
/** Registers the test file's IPFS node and cleanup; call once at the top of a test file. */
export function useCrashWorld(): void {
  beforeAll(async () => {
    storage = await startStore();
  });
  afterAll(async () => {
    for (const provider of providers) provider.destroy();
    await storage.stop();
    await Promise.all(journals.map((dir) => rm(dir, { recursive: true, force: true })));
  });
}

export interface Fault {
  send?: SendPlan;
  store?: StorePlan;
  /** Another party acts on chain right before the chosen send. */
  race?: SendRace;
}

export interface World {
  anvil: AnvilInstance;
  mhrChain: DeployMhrChainReturnType;
  identity: Identity;
  wallet: Signer;
  journalDir: string;
  fromBlock: number;
  doctorA: ConsentClient;
  doctorB: ConsentClient;
  /** The patient's app as it runs now; `restart` replaces it. */
  patient: ConsentClient;
}

export const note = (text: string) => new TextEncoder().encode(JSON.stringify({ resourceType: 'Observation', text }));

const providers: JsonRpcProvider[] = [];

export async function patientApp(world: Omit<World, 'patient'>, fault: Fault = {}): Promise<ConsentClient> {
  // A new process: its own connection (and so its own nonce queue; a killed app's queue dies with it).
  const provider = new JsonRpcProvider(world.anvil.rpcUrl, Network.from(31337n), {
    staticNetwork: true,
    cacheTimeout: -1,
    pollingInterval: 20,
  });
  providers.push(provider);
  return createConsentClient({
    signer: new FaultySigner(world.wallet.connect(provider), fault.send, fault.race),
    addresses: world.mhrChain.addresses,
    store: faultyStore(storage.store, fault.store),
    identity: world.identity,
    fromBlock: world.fromBlock,
    journal: await createFileJournalStore({ directory: world.journalDir }),
  });
}

export async function setUp(anvil: AnvilInstance, mhrChain: DeployMhrChainReturnType): Promise<World> {
  const fromBlock = await anvil.provider.getBlockNumber();
  const journalDir = await mkdtemp(join(tmpdir(), 'mhr-journal-'));
  journals.push(journalDir);
  const [admin, a, b, p] = [0, 1, 2, 5].map((i) => anvil.signers[i]!);
  const client = (signer: Signer) =>
    createConsentClient({
      signer,
      addresses: mhrChain.addresses,
      store: storage.store,
      identity: generateIdentity(),
      fromBlock,
    });
  await mhrChain.chain.identityRegistry.write.setRegistrar(admin!.address, true);
  const [registrar, doctorA, doctorB] = await Promise.all([client(admin!), client(a!), client(b!)]);
  const base = { anvil, mhrChain, identity: generateIdentity(), wallet: p!, journalDir, fromBlock, doctorA, doctorB };
  const patient = await patientApp(base);
  await registerPatient(patient);
  const validUntil = (await anvil.provider.getBlock('latest'))!.timestamp + 365 * 86_400;
  for (const doctor of [doctorA, doctorB]) {
    await registerDoctor(doctor);
    await attestDoctor(registrar, { doctor: doctor.address, validUntil });
  }
  return { ...base, patient };
}

/** Restarts the patient's app (optionally with a fault planted for what comes next) and resumes. */
export async function restart(world: World, fault: Fault = {}) {
  world.patient = await patientApp(world, fault);
  return resumePendingActions(world.patient);
}

export async function farFuture(world: World): Promise<number> {
  return (await world.anvil.provider.getBlock('latest'))!.timestamp + 30 * 86_400;
}

/**
 * The access invariant and its companions, checked after every crash point: nothing left in the journal; no current
 * version readable by an account the chain does not allow; each record anchored once; a version is pinned exactly
 * when it is the current one; and a doctor without access really cannot open any current version.
 */
export async function assertInvariant(world: World): Promise<void> {
  const { patient } = world;
  expect(await pendingActions(patient)).toEqual([]);
  expect(await verifyAccess(patient)).toEqual([]);
  const records = await recordsOf(patient, patient.address);
  const firstCids = records.map((record) => record.versions[0]!.cid.toString());
  expect(new Set(firstCids).size).toBe(firstCids.length);
  for (const key of await patient.journal.keys('readers/')) {
    const cid = key.slice('readers/'.length);
    const current = records.some((record) => record.versions.at(-1)!.cid.toString() === cid);
    const version = records.flatMap((record) => record.versions).find((v) => v.cid.toString() === cid);
    // The ledger holds only current versions once nothing is in flight, and each of them is pinned.
    expect(current, `ledger entry of a version that is not current: ${cid}`).toBe(true);
    expect(await storage.store.isPinned(version?.cid ?? CID.parse(cid)), cid).toBe(true);
  }
  for (const doctor of [world.doctorA, world.doctorB])
    for (const record of records) {
      const allowed = await canRead(patient, patient.address, doctor.address, record.recordId);
      const read = readRecord(doctor, { cid: record.versions.at(-1)!.cid });
      if (allowed) await expect(read).resolves.toBeDefined();
      else await expect(read).rejects.toThrow(DecryptionError);
    }
}

export async function anchoredCount(world: World): Promise<number> {
  return (await recordsOf(world.patient, world.patient.address)).length;
}

/** The patient's other device (same wallet and identity, its own connection and journal). */
export function otherDevice(world: World) {
  return createConsentClient({
    signer: world.wallet,
    addresses: world.mhrChain.addresses,
    store: storage.store,
    identity: world.identity,
    fromBlock: world.fromBlock,
  });
}

/** The patient's other device, sending through a relayer (gasless): its transactions leave the wallet's nonces alone. */
export function otherDeviceRelayed(world: World) {
  return createConsentClient({
    signer: world.wallet,
    relayer: world.anvil.signers[7]!,
    addresses: world.mhrChain.addresses,
    store: storage.store,
    identity: world.identity,
    fromBlock: world.fromBlock,
  });
}

/** Waits until the pool holds `count` pending transactions. */
export async function pooled(world: World, count: number): Promise<void> {
  for (let tries = 0; tries < 250; tries++) {
    const { pending } = await world.anvil.provider.send('txpool_status', []);
    if (Number(BigInt(pending)) >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`fewer than ${count} transactions reached the pool`);
}
