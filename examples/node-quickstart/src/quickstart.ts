/**
 * MHR Chain in one page: a patient encrypts a record, stores it on an embedded IPFS node, anchors it on a local
 * chain, grants a doctor access, and the doctor reads it. Run: `./pnpmw --filter @mhrchain/example-node-quickstart start`
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addRecord,
  approveRequest,
  attestDoctor,
  createConsentClient,
  listReadableRecords,
  readRecord,
  registerDoctor,
  registerPatient,
  requestAccess,
  resumePendingActions,
} from '@mhrchain/consent';
import { createFileJournalStore } from '@mhrchain/consent/node';
import { deployMhrChain } from '@mhrchain/contracts';
import { startAnvil } from '@mhrchain/contracts/anvil';
import { createHeliaStorage } from '@mhrchain/core';

// 1. Embedded defaults: an IPFS node on disk and a local chain (swap in any JSON-RPC signer and IPFS storage).
const directory = await mkdtemp(join(tmpdir(), 'mhr-quickstart-'));
const store = await createHeliaStorage({ directory: join(directory, 'ipfs') });
const anvil = await startAnvil();
try {
  const [admin, patientWallet, doctorWallet] = anvil.signers;
  const { addresses, chain } = await deployMhrChain({ deployer: admin! });

  // 2. One client per account; encryption keys are derived from the wallets. The patient's app keeps a journal of
  //    its multi-step actions and finishes whatever a crash interrupted before doing anything else.
  const journal = await createFileJournalStore({ directory: join(directory, 'journal', patientWallet!.address) });
  const patient = await createConsentClient({ signer: patientWallet!, addresses, store, journal });
  await resumePendingActions(patient);
  const doctor = await createConsentClient({ signer: doctorWallet!, addresses, store });
  const registrar = await createConsentClient({ signer: admin!, addresses, store });
  await chain.identityRegistry.write.setRegistrar(admin!.address, true);
  await registerPatient(patient);
  await registerDoctor(doctor);
  await attestDoctor(registrar, { doctor: doctor.address, validUntil: Math.floor(Date.now() / 1000) + 86_400 });

  // 3. The patient adds a record: encrypted here, stored on IPFS, only its CID anchored on chain.
  const note = new TextEncoder().encode(JSON.stringify({ resourceType: 'Observation', valueQuantity: { value: 72 } }));
  const record = await addRecord(patient, {
    data: note,
    metadata: { mediaType: 'application/fhir+json', title: 'Resting heart rate' },
    category: 1,
  });
  console.log(`anchored ${record.cid} in block ${record.blockNumber}`);

  // 4. The doctor asks, the patient grants (the data key is re-wrapped for the doctor).
  await requestAccess(doctor, {
    patient: patient.address,
    scope: { kind: 'all' },
    purpose: 'TREAT',
    duration: 3600,
  });
  await approveRequest(patient, { doctor: doctor.address });

  // 5. The doctor finds the record from chain events and decrypts it.
  const [readable] = await listReadableRecords(doctor);
  const { data, metadata } = await readRecord(doctor, { cid: readable!.cid });
  console.log(`the doctor reads "${metadata.title}": ${new TextDecoder().decode(data)}`);
} finally {
  await anvil.stop();
  await store.close();
}
