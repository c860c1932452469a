/**
 * Consent writes through a transaction manager (`createConsentClient({ transactions })`): the same chain state as
 * without it, fee-bumped replacement under a fee spike, consecutive nonces under concurrency.
 */
import {
  createTransactionManager,
  type DeployMhrChainReturnType,
  deployMhrChain,
  type TransactionEvent,
} from '@mhrchain/contracts';
import { type AnvilInstance, anvilTest } from '@mhrchain/contracts/testing';
import { generateIdentity } from '@mhrchain/core';
import { type Signer, Wallet } from 'ethers';
import { describe, expect } from 'vitest';
import { addRecord } from './addRecord.js';
import { attestDoctor } from './attestDoctor.js';
import { type ConsentClient, type CreateConsentClientParameters, createConsentClient } from './client.js';
import { grantAccess } from './grantAccess.js';
import { recordsOf } from './internal/records.js';
import { createMemoryRecordStore } from './recordStore.js';
import { registerDoctor } from './registerDoctor.js';
import { registerPatient } from './registerPatient.js';
import { revokeAccess } from './revokeAccess.js';

const text = (value: string) => ({
  data: new TextEncoder().encode(value),
  metadata: { mediaType: 'text/plain' },
});

/** Mines a block every `everyMs` until `promise` settles. */
async function mineUntil<T>(anvil: AnvilInstance, promise: Promise<T>, everyMs = 100): Promise<T> {
  let done = false;
  const settled = promise.finally(() => {
    done = true;
  });
  while (!done) {
    await Promise.race([settled.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, everyMs))]);
    if (!done) await anvil.provider.send('evm_mine', []);
  }
  return settled;
}

async function withoutAutomine<T>(anvil: AnvilInstance, run: () => Promise<T>): Promise<T> {
  await anvil.provider.send('evm_setAutomine', [false]);
  try {
    return await run();
  } finally {
    await anvil.provider.send('evm_setAutomine', [true]);
  }
}

/** A funded account of its own for a test (anvil's default accounts are shared by the tests of a worker). */
async function fundedWallet(anvil: AnvilInstance): Promise<Signer> {
  const wallet = Wallet.createRandom(anvil.provider);
  await anvil.provider.send('anvil_setBalance', [wallet.address, '0x56BC75E2D63100000']); // 100 ETH
  return wallet;
}

interface Flow {
  patient: ConsentClient;
  doctor: ConsentClient;
  registrar: ConsentClient;
  /** The relayer's address, when the patient's actions are relayed. */
  relayer?: string;
}

async function setUpFlow(
  anvil: AnvilInstance,
  mhrChain: DeployMhrChainReturnType,
  options: { relayed?: boolean } & Pick<CreateConsentClientParameters, 'transactions'>,
): Promise<Flow> {
  const { addresses } = mhrChain;
  const fromBlock = await anvil.provider.getBlockNumber();
  const store = createMemoryRecordStore();
  const client = async (signer: Signer, relayer?: Signer) =>
    createConsentClient({
      signer,
      addresses,
      store,
      identity: generateIdentity(),
      fromBlock,
      relayer,
      transactions: options.transactions,
    });
  const registrar = await client(anvil.signers[0]!);
  await mhrChain.chain.identityRegistry.write.setRegistrar(anvil.signers[0]!.address, true);
  const relayer = options.relayed ? await fundedWallet(anvil) : undefined;
  const patient = relayer
    ? await client(Wallet.createRandom(anvil.provider), relayer)
    : await client(await fundedWallet(anvil));
  const doctor = await client(await fundedWallet(anvil));
  return { patient, doctor, registrar, relayer: await relayer?.getAddress() };
}

/** Register, two records, a grant, a revoke with eager rotation. */
async function consentFlow(anvil: AnvilInstance, { patient, doctor, registrar }: Flow): Promise<void> {
  await registerPatient(patient);
  await registerDoctor(doctor);
  const now = (await anvil.provider.getBlock('latest'))!.timestamp;
  await attestDoctor(registrar, { doctor: doctor.address, validUntil: now + 365 * 86_400 });
  await addRecord(patient, { ...text('first'), category: 1 });
  await addRecord(patient, { ...text('second'), category: 2 });
  await grantAccess(patient, { doctor: doctor.address, scope: { kind: 'all' }, expiresAt: now + 30 * 86_400 });
  await revokeAccess(patient, { doctor: doctor.address, rotation: 'eager' });
}

/** What the chain holds about the flow's accounts, free of hashes, CIDs and addresses that differ between runs. */
async function chainState({ patient, doctor }: Flow) {
  const chain = patient.chain;
  const events = [];
  for (const name of Object.keys(chain.addresses) as (keyof typeof chain.addresses)[]) {
    const contract = chain[name];
    const logs = await patient.provider.getLogs({ address: contract.address, fromBlock: patient.fromBlock });
    events.push(...contract.decodeLogs(logs).map((event) => `${name}.${event.eventName}`));
  }
  const records = await recordsOf(patient, patient.address);
  return {
    patientRegistered: await chain.identityRegistry.read.isRegistered(patient.address),
    doctorRegistered: await chain.identityRegistry.read.isRegistered(doctor.address),
    keyEpoch: await chain.consentManager.read.keyEpochOf(patient.address),
    grantActive: await chain.consentManager.read.isGrantActive(patient.address, doctor.address),
    records: records.map((record) => ({ category: record.category, versions: record.versions.length })),
    events: events.sort(),
  };
}

describe('createConsentClient({ transactions })', () => {
  for (const relayed of [false, true])
    anvilTest(
      `a consent flow (${relayed ? 'relayed' : 'direct'}) leaves the same chain state with the manager as without`,
      async ({ anvil, mhrChain }) => {
        const plain = await setUpFlow(anvil, mhrChain, { relayed });
        await consentFlow(anvil, plain);
        const expected = await chainState(plain);
        expect(expected.records).toHaveLength(2);
        expect(expected.grantActive).toBe(false);
        expect(plain.patient.transactions).toBeUndefined();

        const again = await deployMhrChain({ deployer: anvil.signers[0]! });
        const managed = await setUpFlow(anvil, again, { relayed, transactions: true });
        expect(managed.patient.transactions).toBeDefined();
        expect(managed.patient.relayerTransactions !== undefined).toBe(relayed);
        await consentFlow(anvil, managed);
        expect(await chainState(managed)).toEqual(expected);
        expect(managed.patient.transactions!.pending).toBe(0);
      },
    );

  for (const relayed of [false, true])
    anvilTest(
      `every write of the flow (${relayed ? 'relayed' : 'direct'}) goes through a manager of its sender`,
      async ({ anvil, mhrChain }) => {
        const events: TransactionEvent[] = [];
        const flow = await setUpFlow(anvil, mhrChain, {
          relayed,
          transactions: { pollIntervalMs: 30, onEvent: (event) => events.push(event) },
        });
        const senders = [flow.patient.address, flow.doctor.address, flow.registrar.address];
        if (flow.relayer) senders.push(flow.relayer);
        const count = () => Promise.all(senders.map((sender) => anvil.provider.getTransactionCount(sender, 'latest')));
        const before = await count();
        await consentFlow(anvil, flow);
        const sent = (await count()).reduce((sum, after, i) => sum + after - before[i]!, 0);
        expect(sent).toBeGreaterThan(6);
        expect(events.filter((event) => event.type === 'confirmed')).toHaveLength(sent);
        if (relayed) expect(before[0]).toBe(0); // the patient never sent a transaction of its own
      },
    );

  anvilTest('a manager of the app is used as given', async ({ anvil, mhrChain }) => {
    const events: TransactionEvent[] = [];
    const signer = await fundedWallet(anvil);
    const manager = createTransactionManager({ signer, pollIntervalMs: 30, onEvent: (event) => events.push(event) });
    const patient = await createConsentClient({
      signer,
      addresses: mhrChain.addresses,
      store: createMemoryRecordStore(),
      identity: generateIdentity(),
      transactions: manager,
    });
    expect(patient.transactions).toBe(manager);
    const { transactionHash } = await registerPatient(patient);
    expect(events.map((event) => event.type)).toEqual(['sent', 'mined', 'confirmed']);
    expect(events[0]!.hash).toBe(transactionHash);
  });

  anvilTest(
    'with a fee spike and no automine, a grant is replaced with bumped fees and resolves with its receipt',
    async ({ anvil, mhrChain }) => {
      const events: TransactionEvent[] = [];
      let onSent: (event: TransactionEvent) => void = () => undefined;
      const flow = await setUpFlow(anvil, mhrChain, {
        transactions: {
          pollIntervalMs: 30,
          replaceAfterMs: 300,
          onEvent: (event) => {
            events.push(event);
            if (event.type === 'sent') onSent(event);
          },
        },
      });
      const { patient, doctor } = flow;
      await registerPatient(patient);
      await registerDoctor(doctor);
      const now = (await anvil.provider.getBlock('latest'))!.timestamp;
      await attestDoctor(flow.registrar, { doctor: doctor.address, validUntil: now + 365 * 86_400 });
      events.length = 0;

      let offered = 0n;
      const granted = await withoutAutomine(anvil, async () => {
        const sent = new Promise<TransactionEvent>((resolve) => {
          onSent = resolve;
        });
        const grant = grantAccess(patient, {
          doctor: doctor.address,
          scope: { kind: 'all' },
          expiresAt: now + 30 * 86_400,
        });
        grant.catch(() => undefined);
        const first = await sent;
        offered = (await anvil.provider.getTransaction(first.hash))!.maxFeePerGas!;
        await anvil.provider.send('anvil_setNextBlockBaseFeePerGas', [`0x${(offered * 20n).toString(16)}`]);
        await anvil.provider.send('evm_mine', []);
        expect(await anvil.provider.getTransactionReceipt(first.hash)).toBeNull();
        return mineUntil(anvil, grant, 150);
      });

      const types = events.map((event) => event.type);
      expect(types, JSON.stringify(events)).toContain('replaced');
      expect(granted.transactionHash).not.toBe(events[0]!.hash);
      const mined = await anvil.provider.getTransaction(granted.transactionHash);
      expect(mined!.maxFeePerGas!).toBeGreaterThan(offered * 10n);
      expect(await patient.chain.consentManager.read.isGrantActive(patient.address, doctor.address)).toBe(true);
    },
  );

  anvilTest('concurrent writes from one account get consecutive nonces and all mine', async ({ anvil, mhrChain }) => {
    const events: TransactionEvent[] = [];
    const flow = await setUpFlow(anvil, mhrChain, {
      transactions: { pollIntervalMs: 30, onEvent: (event) => events.push(event) },
    });
    const { patient } = flow;
    await registerPatient(patient);
    events.length = 0;
    const first = await anvil.provider.getTransactionCount(patient.address, 'pending');
    const added = await Promise.all(
      Array.from({ length: 8 }, (_, i) => addRecord(patient, { ...text(`record ${i}`), category: 1 + (i % 3) })),
    );
    const nonces = events.filter((event) => event.type === 'sent').map((event) => event.nonce);
    expect(nonces.sort((a, b) => a - b)).toEqual(Array.from({ length: 8 }, (_, i) => first + i));
    expect(events.filter((event) => event.type === 'confirmed')).toHaveLength(8);
    for (const record of added) {
      const receipt = await anvil.provider.getTransactionReceipt(record.transactionHash);
      expect(receipt?.status).toBe(1);
    }
    expect(await recordsOf(patient, patient.address)).toHaveLength(8);
    expect(await anvil.provider.getTransactionCount(patient.address, 'latest')).toBe(first + 8);
    expect(patient.transactions!.pending).toBe(0);
  });
});
