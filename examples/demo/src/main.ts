/**
 * The MHR Chain demo: the whole patient/doctor story on the embedded defaults (an in-process Helia node on disk, an
 * anvil spawned from node_modules). Run it with `./pnpmw demo` from the repository root.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  addRecord,
  answerAccessOtp,
  approveDelegation,
  approveWithOtp,
  attestDoctor,
  createConsentClient,
  getTimeline,
  issueAccessOtp,
  listActiveGrants,
  listPendingRequests,
  listReadableRecords,
  purposeOfUse,
  readRecord,
  registerDoctor,
  registerPatient,
  requestAccess,
  requestDelegation,
  resumePendingActions,
  revokeAccess,
  type TimelineEvent,
  type TimelineEventOf,
  verifyAccess,
} from '@mhrchain/consent';
import { createFileJournalStore } from '@mhrchain/consent/node';
import { deployMhrChain, noteWrittenBlock, signRelayedAction } from '@mhrchain/contracts';
import { startAnvil } from '@mhrchain/contracts/anvil';
import { createHeliaStorage, DecryptionError, generateIdentity } from '@mhrchain/core';
import { hexlify, Wallet } from 'ethers';
import { clock, createProgress, short } from './console.js';
import { streamLiveEcg } from './liveEcg.js';
import { showWhatTheChainShows } from './privacyScan.js';
import { startRelayerService } from './relayerService.js';
import { type Outcome, type ReportData, renderReport } from './report.js';
import { runStatistics } from './statistics.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dataDirectory = process.env.MHR_DEMO_DATA ?? `${root}.demo-data`;
// MIT-BIH 101 from the PhysioNet excerpts committed in the repository, or the `mitdb/` folder MHR_ECG_DATA names.
const ecgDirectory = process.env.MHR_ECG_DATA ?? `${root}packages/ecg/test/vectors/physionet/mitdb/`;
const ecgSeconds = Number(process.env.MHR_DEMO_ECG_SECONDS ?? 10);

const CATEGORY = { labReport: 1, imaging: 2, condition: 3 } as const;

async function main(): Promise<void> {
  const progress = createProgress();
  await mkdir(dataDirectory, { recursive: true });

  progress.step('Starting the embedded defaults: an IPFS node on disk and a local chain');
  const store = await createHeliaStorage({ directory: `${dataDirectory}/ipfs` });
  const anvil = await startAnvil();
  let stopRelayerService = async () => {};
  const cleanup = async () => {
    await stopRelayerService();
    await anvil.stop();
    await store.close();
  };
  // What the story showed, for the summary at the top of the report.
  const outcomes: Outcome[] = [];
  try {
    progress.ok(`Helia node on ${dataDirectory}/ipfs (offline)`);
    progress.ok(`anvil on ${anvil.rpcUrl} (chain ${anvil.chainId}, pid ${anvil.pid})`);
    const [deployer, doctorWallet, colleagueWallet, relayerWallet] = anvil.signers;
    const mhr = await deployMhrChain({ deployer: deployer! });
    progress.ok(
      `contracts deployed: ${Object.entries(mhr.addresses)
        .map(([name, address]) => `${name} ${short(address)}`)
        .join(', ')}`,
    );

    progress.step('A patient, a cardiologist and a colleague register (keys derived from their wallets)');
    const { addresses } = mhr;
    // the patient holds no ETH: every patient action is signed (EIP-712) and submitted by a relayer
    const patientWallet = Wallet.createRandom(anvil.provider);
    const patient = await createConsentClient({
      signer: patientWallet,
      addresses,
      store,
      relayer: relayerWallet!,
      // the patient's action journal: a crash mid-action is finished (or rolled back) on the next start
      journal: await createFileJournalStore({ directory: `${dataDirectory}/journal/${patientWallet.address}` }),
    });
    const resumed = await resumePendingActions(patient);
    progress.ok(
      `patient journal: ${resumed.finished.length} interrupted actions finished, ${resumed.rolledBack.length} rolled back`,
    );
    const registrar = await createConsentClient({ signer: deployer!, addresses, store, identity: generateIdentity() });
    const doctor = await createConsentClient({ signer: doctorWallet!, addresses, store });
    const colleague = await createConsentClient({ signer: colleagueWallet!, addresses, store });
    await mhr.chain.identityRegistry.write.setRegistrar(deployer!.address, true);
    // the patient's registration goes to the relayer service over HTTP, as a patient's app would send it
    const relayerService = await startRelayerService({
      chain: mhr.chain,
      signer: anvil.signers[4]!,
      directory: `${dataDirectory}/relayer`,
    });
    stopRelayerService = relayerService.stop;
    const registration = await signRelayedAction({
      chain: mhr.chain,
      signer: patientWallet,
      action: 'Register',
      message: { account: patient.address, encryptionKey: hexlify(patient.identity.publicKey) },
    });
    const registered = await relayerService.relay(registration);
    noteWrittenBlock(anvil.provider, registered.blockNumber);
    progress.ok(
      `patient registered through the relayer service over HTTP: action ${registered.id} mined in block ${registered.blockNumber}, tx ${short(registered.txHash)}, gas paid by the relayer ${short(relayerService.address)}`,
    );
    const validUntil = (await anvil.provider.getBlock('latest'))!.timestamp + 365 * 86_400;
    for (const account of [doctor, colleague]) {
      await registerDoctor(account);
      await attestDoctor(registrar, { doctor: account.address, validUntil });
    }
    progress.table([
      {
        role: 'patient',
        address: patient.address,
        'X25519 key': short(Buffer.from(patient.identity.publicKey).toString('hex'), 8),
        gas: 'relayed (0 ETH)',
      },
      {
        role: 'doctor',
        address: doctor.address,
        'X25519 key': short(Buffer.from(doctor.identity.publicKey).toString('hex'), 8),
        gas: 'own',
      },
      {
        role: 'colleague',
        address: colleague.address,
        'X25519 key': short(Buffer.from(colleague.identity.publicKey).toString('hex'), 8),
        gas: 'own',
      },
    ]);

    progress.step('The patient adds records: encrypted on the device, stored on IPFS, only the CID goes on chain');
    const assets = fileURLToPath(new URL('../assets/', import.meta.url));
    const files = [
      {
        title: 'Laboratory report',
        data: await readFile(`${assets}lab-report.pdf`),
        mediaType: 'application/pdf',
        category: CATEGORY.labReport,
      },
      {
        title: 'Chest X-ray',
        data: await readFile(`${assets}chest-xray.png`),
        mediaType: 'image/png',
        category: CATEGORY.imaging,
      },
      {
        title: 'Condition: atrial fibrillation',
        data: new TextEncoder().encode(
          JSON.stringify({
            resourceType: 'Condition',
            code: { text: 'Paroxysmal atrial fibrillation' },
            subject: { display: 'Alice Example' },
          }),
        ),
        mediaType: 'application/fhir+json',
        resourceType: 'Condition',
        category: CATEGORY.condition,
      },
    ];
    const added = [];
    for (const file of files) {
      const record = await addRecord(patient, {
        data: file.data,
        metadata: {
          mediaType: file.mediaType,
          title: file.title,
          ...(file.resourceType ? { resourceType: file.resourceType } : {}),
        },
        category: file.category,
      });
      added.push({ ...record, title: file.title, size: file.data.length });
    }
    progress.table(
      added.map((r) => ({
        record: r.title,
        bytes: r.size,
        'envelope CID': short(r.cid.toString(), 10),
        'record id': short(r.recordId),
        block: r.blockNumber,
        time: clock(r.blockTime),
      })),
    );

    progress.step("The doctor's page before access");
    const before = await listReadableRecords(doctor);
    progress.info(`records the doctor can list: ${before.length}`);
    outcomes.push({
      status: before.length === 0 ? 'ok' : 'failed',
      text: `Before access, the doctor could list ${before.length} of the patient's ${added.length} records`,
    });
    try {
      await readRecord(doctor, { cid: added[0]!.cid });
      throw new Error('the doctor opened a record without a grant');
    } catch (error) {
      if (!(error instanceof DecryptionError)) throw error;
      progress.denied(`opening ${short(added[0]!.cid.toString(), 10)} directly: ${error.shortMessage}`);
      outcomes.push({ status: 'refused', text: 'Opening a record by its CID without a grant: nothing decrypts' });
    }

    progress.step('The doctor requests access to all records, for treatment, for 30 days');
    const request = await requestAccess(doctor, {
      patient: patient.address,
      scope: { kind: 'all' },
      purpose: 'TREAT',
      duration: 30 * 86_400,
    });
    progress.ok(`request ${short(request.requestId)} in block ${request.blockNumber}`);

    progress.step('The patient confirms with a one-time code given to the doctor');
    for (const pending of await listPendingRequests(patient))
      progress.info(
        `patient's inbox: ${pending.doctor === doctor.address ? 'the cardiologist' : short(pending.doctor)} asks for ${pending.scope.kind} records for ${pending.duration / 86_400} days`,
      );
    const otp = await issueAccessOtp(patient, { doctor: doctor.address });
    progress.info(
      `patient's app shows: ${otp.code} (valid until ${new Date(otp.expiresAt).toISOString().slice(11, 19)} UTC, single use, 5 attempts)`,
    );
    const wrong = await answerAccessOtp(doctor, {
      patient: patient.address,
      code: otp.code === '000000' ? '111111' : '000000',
    });
    await approveWithOtp(patient, { response: wrong }).then(
      () => {
        throw new Error('a wrong code was accepted');
      },
      (error: { reason?: string; attemptsLeft?: number }) => {
        progress.denied(`a mistyped code is refused (${error.reason}, ${error.attemptsLeft} attempts left)`);
        outcomes.push({
          status: 'refused',
          text: `A mistyped one-time code is refused (${error.attemptsLeft} attempts left)`,
        });
      },
    );
    const response = await answerAccessOtp(doctor, { patient: patient.address, code: otp.code });
    const grant = await approveWithOtp(patient, { response });
    progress.ok(
      `access granted; data keys of ${grant.released.length} records re-wrapped for the doctor (payloads untouched)`,
    );
    outcomes.push({
      status: 'ok',
      text: `The right code grants access: ${grant.released.length} records opened to the doctor (keys re-wrapped, payloads untouched)`,
    });
    const access = await listActiveGrants(patient);
    progress.info(
      `who has access now: ${access.map((g) => `${g.doctor === doctor.address ? 'the cardiologist' : short(g.doctor)} (${g.scope.kind} records, until ${new Date(g.expiresAt * 1000).toISOString().slice(0, 10)})`).join(', ')}`,
    );

    progress.step('The doctor reads the records, discovered from chain events alone');
    const timelineNow = await getTimeline(patient);
    const anchoredAt = new Map(
      timelineNow
        .filter((e) => e.kind === 'record-anchored')
        .map((e) => [(e as { recordId: string }).recordId, e.blockTime]),
    );
    const readable = await listReadableRecords(doctor);
    const reads = [];
    for (const record of readable) {
      const opened = await readRecord(doctor, { cid: record.cid });
      reads.push({ record, opened });
    }
    progress.table(
      reads.map(({ record, opened }) => ({
        title: opened.metadata.title ?? '',
        type: opened.metadata.mediaType,
        bytes: opened.data.length,
        version: record.version,
        anchored: clock(anchoredAt.get(record.recordId) ?? 0),
        created: opened.metadata.created.replace('T', ' ').slice(0, 19),
      })),
    );
    const pdf = reads.find((r) => r.opened.metadata.mediaType === 'application/pdf');
    if (!pdf || !Buffer.from(pdf.opened.data).equals(files[0]!.data)) throw new Error('the PDF did not round-trip');
    progress.ok('the decrypted PDF is byte-identical to the original');
    outcomes.push({ status: 'ok', text: "The PDF the doctor decrypted is byte-identical to the patient's original" });

    progress.step('The doctor shares the lab report with a colleague; the patient approves');
    const latest = (await anvil.provider.getBlock('latest'))!.timestamp;
    await requestDelegation(doctor, {
      patient: patient.address,
      colleague: colleague.address,
      scope: { kind: 'category', category: CATEGORY.labReport },
      expiresAt: latest + 7 * 86_400,
    });
    progress.info(`before approval the colleague can list ${(await listReadableRecords(colleague)).length} records`);
    const delegation = await approveDelegation(patient, { colleague: colleague.address });
    const colleagueReads = await listReadableRecords(colleague);
    progress.ok(
      `approved: ${delegation.released.length} record re-wrapped; the colleague can now list ${colleagueReads.length}`,
    );
    outcomes.push({
      status: colleagueReads.length > 0 ? 'ok' : 'failed',
      text: `After the patient approved the doctor's sharing, the colleague could read ${colleagueReads.length} record (the lab report only)`,
    });

    progress.step(
      `Live ECG from the wearable to the doctor (${ecgSeconds} s of MIT-BIH record 101, encrypted end to end)`,
    );
    const live = await streamLiveEcg({
      ecgDirectory,
      record: '101',
      seconds: ecgSeconds,
      doctor: doctor.identity,
      progress,
    });

    outcomes.push({
      status: live.beats.length > 0 ? 'ok' : 'failed',
      text: `Live ECG reached the doctor end to end encrypted: ${live.beats.length} beats${live.heartRate ? `, ${Math.round(live.heartRate)} bpm` : ''}`,
    });

    progress.step('The patient revokes the doctor (key rotation: nothing published afterwards is readable)');
    const revoked = await revokeAccess(patient, { doctor: doctor.address });
    progress.ok(
      `revoked in block ${revoked.blockNumber}; key epoch ${revoked.keyEpoch}; ${revoked.rotated.length} records re-wrapped without the doctor`,
    );
    progress.info(`who has access now: ${(await listActiveGrants(patient)).length} doctors`);
    const violations = await verifyAccess(patient);
    if (violations.length) throw new Error(`access invariant broken: ${JSON.stringify(violations)}`);
    progress.ok('access invariant: no current version is readable by an account the chain does not allow');
    const afterRevoke = await listReadableRecords(doctor);
    progress.denied(`the doctor can now list ${afterRevoke.length} records`);
    outcomes.push({
      status: afterRevoke.length === 0 ? 'refused' : 'failed',
      text: `After the revocation the doctor lists ${afterRevoke.length} records and cannot open the re-encrypted versions`,
    });
    const rotated = revoked.rotated[0]!;
    await readRecord(doctor, { cid: rotated.cid }).then(
      () => {
        throw new Error('the revoked doctor opened a new version');
      },
      (error) => {
        if (!(error instanceof DecryptionError)) throw error;
        progress.denied(`opening the new version ${short(rotated.cid.toString(), 10)}: ${error.shortMessage}`);
      },
    );
    const colleagueAfter = (await listReadableRecords(colleague)).length;
    progress.denied(`the colleague (delegated by the doctor) can now list ${colleagueAfter} records`);
    outcomes.push({
      status: colleagueAfter === 0 ? 'refused' : 'failed',
      text: `The colleague lost access with the doctor: ${colleagueAfter} records`,
    });

    progress.step('The audit trail, rebuilt from chain events');
    const timeline = await getTimeline(patient);
    const names = new Map([
      [patient.address, 'the patient'],
      [doctor.address, 'the cardiologist'],
      [colleague.address, 'the colleague'],
      [registrar.address, 'the registrar'],
      [relayerWallet!.address, 'the patient (relayed)'],
      [relayerService.address, 'the patient (relayed)'],
    ]);
    const who = (address: string) => names.get(address) ?? short(address);
    const rows = timeline.map((event) => ({
      time: clock(event.blockTime),
      block: event.blockNumber,
      event: event.kind,
      actor: who(event.actor),
      detail: describe(event, who),
      tx: short(event.transactionHash),
    }));
    progress.table(rows);

    progress.step('Disease statistics without revealing any patient (local differential privacy)');
    // only registered patients may report (one report each per round): these four register first
    const reporters = anvil.signers.slice(5, 9);
    for (const signer of reporters)
      await registerPatient(await createConsentClient({ signer, addresses, store, identity: generateIdentity() }));
    const statistics = await runStatistics({ progress, chain: mhr.chain, onChainPatients: reporters });

    progress.step('What anyone reading the chain sees: every transaction, event and storage slot, scanned');
    await showWhatTheChainShows({
      progress,
      provider: anvil.provider,
      addresses,
      plaintexts: [
        'Alice Example',
        'atrial fibrillation',
        ...files.map((file) => file.title),
        ...files.map((file) => ({ label: file.title, bytes: file.data })),
      ],
    });
    outcomes.push({
      status: 'ok',
      text: 'Nothing personal on chain: no name, title, diagnosis, purpose as text or file bytes, and only the fields the threat model lists',
    });

    const reportPath = `${dataDirectory}/report.html`;
    const report: ReportData = {
      title: 'MHR Chain demo report',
      generatedAt: new Date(),
      outcomes,
      ecg: live,
      timeline: timeline.map((event) => ({
        time: new Date(event.blockTime * 1000),
        actor: who(event.actor),
        action: event.kind,
        detail: describe(event, who),
        tx: event.transactionHash,
        block: event.blockNumber,
      })),
      records: reads.map(({ record, opened }) => ({
        id: short(record.recordId, 10),
        title: opened.metadata.title ?? opened.metadata.mediaType,
        cid: record.cid.toString(),
        anchoredAt: new Date((anchoredAt.get(record.recordId) ?? 0) * 1000),
      })),
      statistics,
    };
    await writeFile(reportPath, renderReport(report));
    progress.step('Done');
    progress.ok(`report: ${reportPath}`);
    progress.ok(`finished in ${progress.elapsed().toFixed(1)} s`);
  } finally {
    await cleanup();
  }
}

const CATEGORY_NAME: Record<number, string> = {
  [CATEGORY.labReport]: 'lab reports',
  [CATEGORY.imaging]: 'imaging',
  [CATEGORY.condition]: 'conditions',
};

const scopeWords = (scope: TimelineEventOf<'access-granted'>['scope']) =>
  scope.kind === 'all'
    ? 'all records'
    : scope.kind === 'category'
      ? `the ${CATEGORY_NAME[scope.category] ?? `category ${scope.category}`} records`
      : `${scope.recordIds.length} listed records`;

/** One audit event in words. */
function describe(event: TimelineEvent, who: (address: string) => string): string {
  switch (event.kind) {
    case 'identity-registered':
      return 'registered an encryption key';
    case 'record-anchored':
      return `a record was added to ${CATEGORY_NAME[event.category] ?? `category ${event.category}`} (${short(event.recordId)})`;
    case 'record-superseded':
      return `record ${short(event.recordId)} encrypted again for who may read it now (version ${event.version})`;
    case 'access-requested':
      return `${who(event.doctor)} asked for ${scopeWords(event.scope)} for ${Math.round(event.duration / 86_400)} days, for ${purposeOfUse(event.purpose).display}`;
    case 'access-granted':
      return `${who(event.doctor)} may read ${scopeWords(event.scope)} until ${clock(event.expiresAt)}`;
    case 'access-revoked':
      return `${who(event.doctor)} can no longer read; the records move to key epoch ${event.keyEpoch}`;
    case 'access-rejected':
      return `the request of ${who(event.doctor)} was declined`;
    case 'access-expired':
      return `the access of ${who(event.doctor)} expired`;
    case 'delegation-requested':
      return `${who(event.doctor)} asked to share ${scopeWords(event.scope)} with ${who(event.colleague)}`;
    case 'delegation-approved':
      return `${who(event.colleague)} may read what the cardiologist shared`;
    case 'delegation-rejected':
      return `sharing with ${who(event.colleague)} was declined`;
    case 'delegation-revoked':
      return `sharing with ${who(event.colleague)} ended`;
    case 'delegation-expired':
      return `sharing with ${who(event.colleague)} expired`;
    default:
      return '';
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
