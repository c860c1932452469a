// Consent across IPFS nodes: the patient's records live on two Kubo nodes of their own (k = 2 pinned copies), the
// doctor reads through a third node's gateway (the hospital's), which fetches them over bitswap; once one of the
// patient's nodes is gone the doctor still reads, from the other.
import { anvilTest } from '@mhrchain/contracts/testing';
import { createKuboStorage, createReplicatedStorage, generateIdentity, type KuboStorage } from '@mhrchain/core';
import { describe, expect } from 'vitest';
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
} from '../src/index.js';
import { useKuboNodes } from './kuboNodes.js';

describe('consent with records on Kubo nodes', () => {
  const kubo = useKuboNodes();

  anvilTest(
    'a doctor granted access reads through the hospital node, also after one patient node is lost',
    { timeout: 120_000 },
    async ({ anvil, mhrChain }) => {
      const { home, replica, hospital, hospitalGateway } = kubo;
      const { addresses } = mhrChain;
      const fromBlock = await anvil.provider.getBlockNumber();
      const [admin, patientWallet, doctorWallet] = [0, 1, 2].map((i) => anvil.signers[i]!);
      const atHome = await createKuboStorage({ url: home.apiUrl });
      const atReplica = await createKuboStorage({ url: replica.apiUrl });
      const patientStore = createReplicatedStorage({ nodes: [atHome, atReplica], k: 2 });

      const registrar = await createConsentClient({
        signer: admin!,
        addresses,
        store: patientStore,
        identity: generateIdentity(),
        fromBlock,
      });
      const patient = await createConsentClient({
        signer: patientWallet!,
        addresses,
        store: patientStore,
        identity: generateIdentity(),
        fromBlock,
      });
      const doctor = await createConsentClient({
        signer: doctorWallet!,
        addresses,
        store: hospitalGateway,
        identity: generateIdentity(),
        fromBlock,
      });
      await mhrChain.chain.identityRegistry.write.setRegistrar(admin!.address, true);
      await registerPatient(patient);
      await registerDoctor(doctor);
      const validUntil = (await anvil.provider.getBlock('latest'))!.timestamp + 365 * 86_400;
      await attestDoctor(registrar, { doctor: doctor.address, validUntil });

      const observation = new TextEncoder().encode(
        JSON.stringify({
          resourceType: 'Observation',
          status: 'final',
          code: { text: 'heart rate' },
          valueQuantity: { value: 72 },
        }),
      );
      const added = await addRecord(patient, {
        data: observation,
        metadata: { mediaType: 'application/fhir+json', resourceType: 'Observation' },
        category: 1,
      });
      expect((await patientStore.status(added.cid)).pinned).toBe(2);

      await requestAccess(doctor, {
        patient: patient.address,
        scope: { kind: 'all' },
        purpose: 'TREAT',
        duration: 30 * 86_400,
      });
      const grant = await approveRequest(patient, { doctor: doctor.address });
      expect(grant.released).toHaveLength(1);
      const released = grant.released[0]!.cid;
      expect((await patientStore.status(released)).pinned).toBe(2); // the re-wrapped header too

      const [readable] = await listReadableRecords(doctor);
      expect(readable?.cid.toString()).toBe(released.toString());
      expect((await readRecord(doctor, { cid: released })).data).toEqual(observation);

      // The patient's home node is lost; the hospital forgets its cached copy and fetches from the replica.
      await home.stop();
      await (await createKuboStorage({ url: hospital.apiUrl })).gc();
      const offlineHospital: KuboStorage = await createKuboStorage({ url: hospital.apiUrl, offline: true });
      expect(await offlineHospital.has(released)).toBe(false);
      expect((await readRecord(doctor, { cid: released })).data).toEqual(observation);
      expect((await patientStore.status(released)).pinned).toBe(1); // below k: the patient's app would re-replicate
    },
  );
});
