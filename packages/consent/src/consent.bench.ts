/**
 * Benchmarks of the consent flows on a real anvil and an embedded Helia node, each figure beside a baseline
 * measured in the same run:
 *   1. grantAccess → the doctor decrypts a 10 MB record (baseline: the patient decrypting the same record);
 *   2. revoke with lazy and with eager rotation of a patient with 100 records (baseline: the revoke transaction alone);
 *   3. gas per flow (direct and relayed).
 *
 *   pnpm --filter @mhrchain/consent bench
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployMhrChain } from '@mhrchain/contracts';
import { startAnvil } from '@mhrchain/contracts/anvil';
import { createHeliaStorage, generateIdentity } from '@mhrchain/core';
import { type Signer, Wallet } from 'ethers';
import {
  addRecord,
  approveDelegation,
  approveRequest,
  attestDoctor,
  createConsentClient,
  grantAccess,
  listReadableRecords,
  readRecord,
  registerDoctor,
  registerPatient,
  requestAccess,
  requestDelegation,
  revokeAccess,
} from './index.js';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 100);
const BIG = Number(process.env.BENCH_BIG_MB ?? 10) * 1024 * 1024;

const ms = (start: number) => performance.now() - start;
const fmt = (value: number) => value.toFixed(0).padStart(8);

const anvil = await startAnvil({ accounts: 14 });
const directory = await mkdtemp(join(tmpdir(), 'mhr-consent-bench-'));
const store = await createHeliaStorage({ directory });
try {
  const { addresses, chain } = await deployMhrChain({ deployer: anvil.signers[0]! });
  await chain.identityRegistry.write.setRegistrar(anvil.signers[0]!.address, true);
  const make = (signer: Signer, relayer?: Signer) =>
    createConsentClient({ signer, addresses, store, identity: generateIdentity(), ...(relayer ? { relayer } : {}) });
  const registrar = await make(anvil.signers[0]!);
  const validUntil = (await anvil.provider.getBlock('latest'))!.timestamp + 365 * 86_400;
  const gas: [string, bigint][] = [];
  const doctor = async (i: number) => {
    const client = await make(anvil.signers[i]!);
    const { gasUsed } = await registerDoctor(client);
    if (i === 1) gas.push(['register (doctor, direct)', gasUsed]);
    await attestDoctor(registrar, { doctor: client.address, validUntil });
    return client;
  };
  const expiresIn = async (seconds: number) => (await anvil.provider.getBlock('latest'))!.timestamp + seconds;

  // ---------------------------------------------------------------- 1. grant → doctor decrypts 10 MB
  const patient = await make(anvil.signers[10]!);
  gas.push(['register (patient, direct)', (await registerPatient(patient)).gasUsed]);
  const doctorA = await doctor(1);
  const big = crypto.getRandomValues(new Uint8Array(1 << 16));
  const data = new Uint8Array(BIG);
  for (let i = 0; i < BIG; i += big.length) data.set(big.subarray(0, Math.min(big.length, BIG - i)), i);
  let start = performance.now();
  const record = await addRecord(patient, { data, metadata: { mediaType: 'application/pdf' }, category: 1 });
  const addMs = ms(start);
  gas.push(['addRecord (anchor)', record.gasUsed]);
  await readRecord(patient, { cid: record.cid }); // warm-up, untimed
  start = performance.now();
  const own = await readRecord(patient, { cid: record.cid });
  const patientReadMs = ms(start);
  if (own.data.length !== BIG) throw new Error('patient read failed');
  const requested = await requestAccess(doctorA, {
    patient: patient.address,
    scope: { kind: 'all' },
    purpose: 'TREAT',
    duration: 86_400,
  });
  gas.push(['requestAccess', requested.gasUsed]);
  start = performance.now();
  const grant = await grantAccess(patient, {
    doctor: doctorA.address,
    scope: { kind: 'all' },
    expiresAt: await expiresIn(86_400),
  });
  const grantMs = ms(start);
  const [readable] = await listReadableRecords(doctorA);
  const discoverMs = ms(start);
  const opened = await readRecord(doctorA, { cid: readable!.cid });
  const totalMs = ms(start);
  if (opened.data.length !== BIG) throw new Error('doctor read failed');
  gas.push(['grantAccess (grant tx only)', grant.gasUsed]);
  gas.push(['key release: supersedeRecords, 1 record', grant.released[0]!.transaction.gasUsed]);

  console.log(`\n## grantAccess → doctor decrypts a ${BIG / 1024 / 1024} MB record (anvil, embedded Helia)\n`);
  console.log('| step | ms |');
  console.log('|---|---:|');
  console.log(`| addRecord (encrypt + store + anchor), for scale | ${fmt(addMs)} |`);
  console.log(`| grantAccess (key release: re-wrap + supersede; grant tx) | ${fmt(grantMs)} |`);
  console.log(`| + doctor discovers the record from events | ${fmt(discoverMs - grantMs)} |`);
  console.log(`| + doctor fetches and decrypts | ${fmt(totalMs - discoverMs)} |`);
  console.log(`| **total: grant → plaintext at the doctor** | ${fmt(totalMs)} |`);
  console.log(`| baseline: the patient decrypting the same record | ${fmt(patientReadMs)} |`);
  console.log(`| ratio total / baseline | ${(totalMs / patientReadMs).toFixed(2).padStart(8)} |`);

  // ---------------------------------------------------------------- 2. revoke with rotation of 100 records
  const rotation: [string, number, number][] = [];
  for (const [mode, signerIndex, count] of [
    ['warm-up', 6, 10],
    ['lazy', 8, RECORDS],
    ['eager', 9, RECORDS],
  ] as const) {
    const owner = await make(anvil.signers[signerIndex]!);
    await registerPatient(owner);
    const reader = await doctor(mode === 'lazy' ? 2 : mode === 'eager' ? 3 : 12);
    for (let i = 0; i < count; i++)
      await addRecord(owner, {
        data: crypto.getRandomValues(new Uint8Array(4096)),
        metadata: { mediaType: 'application/fhir+json' },
        category: 1 + (i % 3),
      });
    await grantAccess(owner, { doctor: reader.address, scope: { kind: 'all' }, expiresAt: await expiresIn(86_400) });
    start = performance.now();
    const revoked = await revokeAccess(owner, {
      doctor: reader.address,
      rotation: mode === 'eager' ? 'eager' : 'lazy',
    });
    if (mode !== 'warm-up') rotation.push([mode, ms(start), revoked.rotated.length]);
    if (mode === 'lazy') {
      gas.push(['revokeAccess (revoke tx only)', revoked.gasUsed]);
      const batches = new Map(revoked.rotated.map((v) => [v.transaction.transactionHash, v.transaction.gasUsed]));
      const total = [...batches.values()].reduce((a, b) => a + b, 0n);
      gas.push([
        `rotation: supersedeRecords, ${revoked.rotated.length} records in ${batches.size} transactions (total)`,
        total,
      ]);
      gas.push(['rotation: per record', total / BigInt(revoked.rotated.length)]);
    }
  }
  // baseline: the revoke transaction alone (no records)
  const lonely = await make(anvil.signers[11]!);
  await registerPatient(lonely);
  await grantAccess(lonely, { doctor: doctorA.address, scope: { kind: 'all' }, expiresAt: await expiresIn(86_400) });
  start = performance.now();
  await revokeAccess(lonely, { doctor: doctorA.address });
  const revokeOnlyMs = ms(start);

  console.log(`\n## revokeAccess with key rotation, ${RECORDS} records of 4 KiB\n`);
  console.log('| rotation | records rotated | ms | ms / record | × revoke tx alone |');
  console.log('|---|---:|---:|---:|---:|');
  for (const [mode, time, count] of rotation)
    console.log(
      `| ${mode} | ${count} | ${fmt(time)} | ${(time / count).toFixed(1)} | ${(time / revokeOnlyMs).toFixed(1)} |`,
    );
  console.log(`| baseline: revoke tx alone (no records) | 0 | ${fmt(revokeOnlyMs)} | – | 1.0 |`);
  const [lazyRow, eagerRow] = rotation;
  console.log(`\neager / lazy: ${(eagerRow![1] / lazyRow![1]).toFixed(2)}×`);

  // ---------------------------------------------------------------- 3. gas per flow, direct and relayed
  const relayer = anvil.signers[7]!;
  const gasless = await make(Wallet.createRandom(anvil.provider), relayer);
  gas.push(['register (patient, relayed)', (await registerPatient(gasless)).gasUsed]);
  const small = await addRecord(gasless, {
    data: new Uint8Array(100),
    metadata: { mediaType: 'text/plain' },
    category: 2,
  });
  gas.push(['addRecord (anchor, relayed)', small.gasUsed]);
  const doctorD = await doctor(4);
  const colleague = await doctor(5);
  await requestAccess(doctorD, {
    patient: gasless.address,
    scope: { kind: 'all' },
    purpose: 'CAREMGT',
    duration: 86_400,
  });
  const relayedGrant = await approveRequest(gasless, { doctor: doctorD.address });
  gas.push(['grantAccess (relayed)', relayedGrant.gasUsed]);
  gas.push(['key release: supersedeRecordsBySig, 1 record (relayed)', relayedGrant.released[0]!.transaction.gasUsed]);
  const delegation = await requestDelegation(doctorD, {
    patient: gasless.address,
    colleague: colleague.address,
    scope: { kind: 'all' },
    expiresAt: await expiresIn(3600),
  });
  gas.push(['requestDelegation', delegation.gasUsed]);
  gas.push([
    'approveDelegation (relayed)',
    (await approveDelegation(gasless, { colleague: colleague.address })).gasUsed,
  ]);
  gas.push(['revokeAccess (relayed)', (await revokeAccess(gasless, { doctor: doctorD.address })).gasUsed]);

  console.log('\n## gas per flow\n');
  console.log('| flow | gas |');
  console.log('|---|---:|');
  for (const [name, used] of gas) console.log(`| ${name} | ${used.toString().padStart(8)} |`);
  console.log(
    '\nA grant costs its grant transaction plus the key release (new versions of the records in scope, up to 64 per' +
      ' supersedeRecords transaction); a revoke costs its transaction plus the rotation, batched the same way.',
  );
} finally {
  await store.close();
  await rm(directory, { recursive: true, force: true });
  await anvil.stop();
}
