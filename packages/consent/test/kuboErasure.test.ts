// Erasure on a real IPFS network: a record replicated on the patient's two Kubo nodes and read by a doctor through the
// hospital's node. `eraseRecords` removes every version from every node the patient's app stored to (`block/rm`, no
// garbage collection needed); the hospital's node only cached what the doctor fetched, and keeps it until it collects.
import { anvilTest } from '@mhrchain/contracts/testing';
import {
  createGatewayStorage,
  createKuboStorage,
  createReplicatedStorage,
  generateIdentity,
  type Storage,
} from '@mhrchain/core';
import { describe, expect } from 'vitest';
import {
  addRecord,
  approveRequest,
  attestDoctor,
  createConsentClient,
  eraseRecords,
  readRecord,
  registerDoctor,
  registerPatient,
  requestAccess,
} from '../src/index.js';
import { useKuboNodes } from './kuboNodes.js';

describe('erasure with records on Kubo nodes', () => {
  const kubo = useKuboNodes();

  anvilTest(
    'every version leaves both patient nodes at once; the hospital cache is the hospital’s until it collects',
    { timeout: 120_000 },
    async ({ anvil, mhrChain }) => {
      const { home, replica, hospital, hospitalGateway } = kubo;
      const { addresses } = mhrChain;
      const fromBlock = await anvil.provider.getBlockNumber();
      const [admin, patientWallet, doctorWallet] = [0, 1, 2].map((i) => anvil.signers[i]!);
      const nodes = await Promise.all([home, replica].map((node) => createKuboStorage({ url: node.apiUrl })));
      const patientStore = createReplicatedStorage({ nodes, k: 2 });
      const client = (signer: (typeof anvil.signers)[number], store: Storage) =>
        createConsentClient({ signer, addresses, store, identity: generateIdentity(), fromBlock });
      const registrar = await client(admin!, patientStore);
      const patient = await client(patientWallet!, patientStore);
      const doctor = await client(doctorWallet!, hospitalGateway);
      await mhrChain.chain.identityRegistry.write.setRegistrar(admin!.address, true);
      await registerPatient(patient);
      await registerDoctor(doctor);
      const validUntil = (await anvil.provider.getBlock('latest'))!.timestamp + 365 * 86_400;
      await attestDoctor(registrar, { doctor: doctor.address, validUntil });

      const data = new TextEncoder().encode('{"resourceType":"Observation","code":{"text":"heart rate"}}');
      const added = await addRecord(patient, { data, metadata: { mediaType: 'application/fhir+json' }, category: 1 });
      await requestAccess(doctor, {
        patient: patient.address,
        scope: { kind: 'all' },
        purpose: 'TREAT',
        duration: 86_400,
      });
      const { released } = await approveRequest(patient, { doctor: doctor.address });
      const granted = released[0]!.cid;
      expect((await readRecord(doctor, { cid: granted })).data).toEqual(data); // the hospital node now caches it

      const { records } = await eraseRecords(patient, { recordIds: [added.recordId] });
      expect(records[0]).toMatchObject({ outcome: 'deleted' });
      expect(records[0]!.versions.map(String)).toEqual([added.cid, granted].map(String));
      const offline = await Promise.all(
        [home, replica].map((node) => createKuboStorage({ url: node.apiUrl, offline: true })),
      );
      for (const node of offline)
        for (const cid of [added.cid, granted]) {
          expect(await node.has(cid)).toBe(false); // gone at once, before any garbage collection
          expect(await node.isPinned(cid)).toBe(false);
        }

      // the hospital's cache is outside the patient's reach until the hospital collects it; then nothing is left
      const hospitalNode = await createKuboStorage({ url: hospital.apiUrl, offline: true });
      expect(await hospitalNode.has(granted)).toBe(true);
      await hospitalNode.gc();
      expect(await hospitalNode.has(granted)).toBe(false);
      // no node has it any more: the doctor's read through the hospital's gateway finds nothing (an impatient
      // client: the gateway would otherwise keep asking its peers until its own timeout)
      const impatientGateway = await createGatewayStorage({
        gateways: [hospital.gatewayUrl],
        allowInsecure: true,
        timeout: 3_000,
      });
      const impatient = await createConsentClient({
        signer: doctorWallet!,
        addresses,
        store: impatientGateway,
        identity: doctor.identity,
        fromBlock,
      });
      await expect(readRecord(impatient, { cid: granted })).rejects.toThrow();
      await impatientGateway.close();
      await Promise.all([...nodes, ...offline, hospitalNode].map((node) => node.close()));
    },
  );
});
