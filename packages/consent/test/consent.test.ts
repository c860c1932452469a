import { consentManagerAbi, scanChainPrivacy } from '@mhrchain/contracts';
import { anvilTest } from '@mhrchain/contracts/testing';
import { BlockNotFoundError, DecryptionError, type HeliaStorage, readEnvelopeHeader } from '@mhrchain/core';
import { Interface } from 'ethers';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import {
  addRecord,
  answerAccessOtp,
  approveDelegation,
  approveRequest,
  approveWithOtp,
  type ConsentClient,
  getTimeline,
  issueAccessOtp,
  listReadableRecords,
  openRecord,
  PURPOSES_OF_USE,
  type PurposeOfUse,
  purposeOfUse,
  readRecord,
  requestAccess,
  requestDelegation,
  revokeAccess,
  shredKeys,
  timelineToFhirAuditEvents,
  timelineToFhirConsents,
} from '../src/index.js';
import { setUpWorld, startStore } from './fixtures.js';

let storage: { store: HeliaStorage; stop: () => Promise<void> };
beforeAll(async () => {
  storage = await startStore();
});
afterAll(async () => {
  await storage.stop();
});

const NAME = 'Johanna Quintero-Whitfield';
const BIRTH_DATE = '1971-09-23';
const DIAGNOSIS = 'Paroxysmal atrial fibrillation with rapid ventricular response';

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const patientResource = encode({
  resourceType: 'Patient',
  name: [{ text: NAME }],
  birthDate: BIRTH_DATE,
});
const conditionResource = encode({
  resourceType: 'Condition',
  code: { text: DIAGNOSIS },
  subject: { display: NAME },
});
const scan = new Uint8Array(64 * 1024).map((_, i) => (i * 31) % 251);

const ids = (records: { recordId: string }[]) => records.map((r) => r.recordId).sort();

async function cannotOpen(client: ConsentClient, cid: Parameters<typeof readRecord>[1]) {
  await expect(readRecord(client, cid)).rejects.toBeInstanceOf(DecryptionError);
}

describe('consent lifecycle on anvil and embedded Helia', () => {
  anvilTest(
    'two doctors, a colleague, OTP, delegation, revocation with rotation, expiry, audit, erasure',
    { timeout: 120_000 },
    async ({ anvil, mhrChain }) => {
      const storyStart = await anvil.provider.getBlockNumber();
      const { patient, doctorA, doctorB, colleague, relayer } = await setUpWorld(anvil, mhrChain, storage.store);
      const relayerBalance = await anvil.provider.getBalance(await relayer.getAddress());

      // -- records: FHIR JSON (demographics, diagnosis) and an opaque scan, anchored by the relayer (gasless)
      const demographics = await addRecord(patient, {
        data: patientResource,
        metadata: { mediaType: 'application/fhir+json', resourceType: 'Patient', title: NAME },
        category: 1,
      });
      const condition = await addRecord(patient, {
        data: conditionResource,
        metadata: { mediaType: 'application/fhir+json', resourceType: 'Condition', title: DIAGNOSIS },
        category: 2,
      });
      const image = await addRecord(patient, {
        data: new Blob([scan]),
        metadata: { mediaType: 'image/png' },
        category: 3,
      });
      expect(demographics.recordId).toMatch(/^0x[0-9a-f]{64}$/);
      expect(demographics.blockTime).toBeGreaterThan(0);
      expect(demographics.transactionHash).toMatch(/^0x[0-9a-f]{64}$/);
      expect(await anvil.provider.getBalance(patient.address)).toBe(0n); // gasless: the patient holds no ETH
      expect(await anvil.provider.getBalance(await relayer.getAddress())).toBeLessThan(relayerBalance);
      expect((await readRecord(patient, { cid: condition.cid })).data).toEqual(conditionResource);

      // -- attack: a doctor without grant sees nothing and cannot open anything
      expect(await listReadableRecords(doctorA)).toEqual([]);
      await cannotOpen(doctorA, { cid: demographics.cid });

      // -- doctor A asks for everything, the patient approves directly: key release, then grant
      await requestAccess(doctorA, {
        patient: patient.address,
        scope: { kind: 'all' },
        purpose: 'TREAT',
        duration: 30 * 86_400,
      });
      const originals = [demographics, condition, image];
      const payloadsBefore = new Map<string, string>();
      for (const r of originals)
        payloadsBefore.set(r.recordId, readEnvelopeHeader(await storage.store.get(r.cid)).payload.toString());
      const grantA = await approveRequest(patient, { doctor: doctorA.address });
      expect(grantA.released).toHaveLength(3);
      for (const version of grantA.released)
        expect(readEnvelopeHeader(await storage.store.get(version.cid)).payload.toString()).toBe(
          payloadsBefore.get(version.recordId),
        ); // re-wrap: same payload
      // the superseded headers left the store; the payload they shared with the new versions stayed
      for (const r of originals) expect(await storage.store.has(r.cid)).toBe(false);
      // discovery from chain events alone, then decryption
      const readableByA = await listReadableRecords(doctorA);
      expect(ids(readableByA)).toEqual(ids([demographics, condition, image]));
      for (const record of readableByA) {
        const added = [demographics, condition, image].find((r) => r.recordId === record.recordId)!;
        const released = grantA.released.find((r) => r.recordId === record.recordId)!;
        expect(record.anchoredAt).toBe(added.blockTime);
        expect(record.updatedAt).toBe(released.transaction.blockTime);
        expect(record.anchoredAt).toBeGreaterThan(0);
      }
      // the streaming read gives the same bytes, and nothing to a reader without the key
      const opened = await openRecord(doctorA, { patient: patient.address, recordId: image.recordId });
      expect(opened.metadata.size).toBe(scan.length);
      expect(new Uint8Array(await new Response(opened.stream).arrayBuffer())).toEqual(scan);
      await expect(openRecord(doctorB, { cid: opened.cid })).rejects.toBeInstanceOf(DecryptionError);
      for (const record of readableByA) {
        const { data } = await readRecord(doctorA, { cid: record.cid });
        expect(data).toEqual(
          record.recordId === demographics.recordId
            ? patientResource
            : record.recordId === condition.recordId
              ? conditionResource
              : scan,
        );
      }

      // -- doctor B asks for the diagnoses only and is approved with a one-time code
      const requestB = await requestAccess(doctorB, {
        patient: patient.address,
        scope: { kind: 'category', category: 2 },
        purpose: 'CAREMGT',
        duration: 3600,
      });
      const issued = await issueAccessOtp(patient, { doctor: doctorB.address });
      expect(issued.requestId).toBe(requestB.requestId);
      expect(issued.purpose).toBe('CAREMGT'); // what the patient's app shows beside the code
      expect(issued.code).toMatch(/^\d{6}$/);
      const response = await answerAccessOtp(doctorB, { patient: patient.address, code: issued.code });
      const grantB = await approveWithOtp(patient, { response });
      expect(grantB.released.map((r) => r.recordId)).toEqual([condition.recordId]);
      await expect(approveWithOtp(patient, { response })).rejects.toMatchObject({ reason: 'used' }); // replay
      expect(ids(await listReadableRecords(doctorB))).toEqual([condition.recordId]);
      await cannotOpen(doctorB, { patient: patient.address, recordId: demographics.recordId });

      // -- a record added while both grants are live is readable by both from the start
      const followUp = await addRecord(patient, {
        data: encode({ resourceType: 'Observation', valueQuantity: { value: 142 } }),
        metadata: { mediaType: 'application/fhir+json' },
        category: 2,
      });
      expect(followUp.readers.sort()).toEqual([doctorA.address, doctorB.address].sort());
      await readRecord(doctorA, { cid: followUp.cid });
      await readRecord(doctorB, { cid: followUp.cid });

      // -- delegation: A shares the demographics with a colleague; nothing until the patient approves
      const now = (await anvil.provider.getBlock('latest'))!.timestamp;
      await requestDelegation(doctorA, {
        patient: patient.address,
        colleague: colleague.address,
        scope: { kind: 'category', category: 1 },
        expiresAt: now + 7 * 86_400,
      });
      expect(await listReadableRecords(colleague)).toEqual([]);
      await cannotOpen(colleague, { patient: patient.address, recordId: demographics.recordId });
      const delegation = await approveDelegation(patient, { colleague: colleague.address });
      expect(delegation.released.map((r) => r.recordId)).toEqual([demographics.recordId]);
      expect(ids(await listReadableRecords(colleague))).toEqual([demographics.recordId]);
      expect((await readRecord(colleague, { patient: patient.address, recordId: demographics.recordId })).data).toEqual(
        patientResource,
      );
      // A still reads the demographics after the colleague's version was published
      const sharedVersion = (await listReadableRecords(doctorA)).find((r) => r.recordId === demographics.recordId)!;
      await readRecord(doctorA, { cid: sharedVersion.cid });

      // -- revoke A (lazy): on chain, then new versions without A (and without A's colleague)
      const revoked = await revokeAccess(patient, { doctor: doctorA.address });
      expect(revoked.keyEpoch).toBe(1n);
      expect(ids(revoked.rotated)).toEqual(ids([demographics, condition, image, followUp]));
      expect(await listReadableRecords(doctorA)).toEqual([]);
      expect(await listReadableRecords(colleague)).toEqual([]); // cascading revoke
      // the version A was given left the patient's store with the rotation (a copy A kept would still open: it was
      // shared; see eraseRecords.test.ts)
      await expect(readRecord(doctorA, { cid: sharedVersion.cid })).rejects.toBeInstanceOf(BlockNotFoundError);
      await cannotOpen(doctorA, { patient: patient.address, recordId: demographics.recordId }); // the new one not
      await cannotOpen(colleague, { patient: patient.address, recordId: demographics.recordId });
      // lazy rotation keeps the payload; B still reads its records
      const rotatedCondition = revoked.rotated.find((r) => r.recordId === condition.recordId)!;
      expect(readEnvelopeHeader(await storage.store.get(rotatedCondition.cid)).payload.toString()).toBe(
        payloadsBefore.get(condition.recordId),
      );
      expect((await readRecord(doctorB, { cid: rotatedCondition.cid })).data).toEqual(conditionResource);
      // a record added after the revocation is not for A
      const later = await addRecord(patient, {
        data: scan.subarray(0, 1000),
        metadata: { mediaType: 'image/png' },
        category: 3,
      });
      expect(later.readers).toEqual([]);
      await cannotOpen(doctorA, { cid: later.cid });

      // -- B's grant expires by itself
      await anvil.increaseTime(3601);
      expect(await listReadableRecords(doctorB)).toEqual([]);
      const afterExpiry = await addRecord(patient, {
        data: encode({ resourceType: 'Observation', valueQuantity: { value: 150 } }),
        metadata: { mediaType: 'application/fhir+json' },
        category: 2,
      });
      expect(afterExpiry.readers).toEqual([]);
      await cannotOpen(doctorB, { cid: afterExpiry.cid });
      // -- the audit trail, from chain events alone, and its FHIR export
      const timeline = await getTimeline(doctorA, { patient: patient.address });
      const kinds = timeline.map((e) => e.kind);
      expect(kinds[0]).toBe('identity-registered');
      for (const kind of [
        'record-anchored',
        'record-superseded',
        'access-requested',
        'access-granted',
        'delegation-requested',
        'delegation-approved',
        'access-revoked',
      ] as const)
        expect(kinds).toContain(kind);
      expect(timeline.flatMap((e) => (e.kind === 'access-requested' ? [e.purpose] : []))).toEqual(['TREAT', 'CAREMGT']);
      const grantEvent = timeline.find((e) => e.kind === 'access-granted' && e.doctor === doctorB.address)!;
      expect(grantEvent.actor).toBe(await relayer.getAddress()); // submitted by the relayer on the patient's signature
      expect(grantEvent.blockTime).toBe(grantB.blockTime);
      expect(grantEvent.transactionHash).toBe(grantB.transactionHash);
      const nowAfter = (await anvil.provider.getBlock('latest'))!.timestamp;
      const consents = timelineToFhirConsents(timeline, { now: nowAfter });
      expect(consents.map((c) => c.status)).toEqual(['inactive', 'inactive', 'inactive']); // A revoked, B expired, C cascaded
      expect(timelineToFhirAuditEvents(timeline)).toHaveLength(timeline.length);

      // -- nothing personal in any transaction, event or storage slot of the whole lifecycle; no purpose as text
      // either; and every field an observer sees is on the threat model's list
      const privacy = await scanChainPrivacy({
        provider: anvil.provider,
        addresses: mhrChain.addresses,
        fromBlock: storyStart,
        plaintexts: [
          NAME,
          BIRTH_DATE,
          DIAGNOSIS,
          'Quintero',
          'fibrillation',
          // every purpose of the vocabulary, by HL7 code and display, and the free text the doctors could have meant
          ...PURPOSES_OF_USE.flatMap((p) => [p.code, p.display]),
          'second-opinion',
          'second opinion',
          'cardiology',
          { label: 'the scan file', bytes: scan },
        ],
      });
      expect(privacy.leaks).toEqual([]);
      expect(privacy.unlisted).toEqual([]);
      expect(privacy.transactions).toBeGreaterThan(25); // registrations, records, consent, key releases, rotations
      expect(privacy.storageSlots).toBeGreaterThan(0);
      // the scan does find what is on chain: the two requests, each purpose as its code (TREAT = 1, CAREMGT = 8)
      const consentAbi = new Interface(consentManagerAbi);
      const requested = await mhrChain.chain.consentManager.events('AccessRequested', { fromBlock: storyStart });
      const requestedOnChain: { input: number; event: number }[] = [];
      for (const event of requested) {
        const tx = (await anvil.provider.getTransaction(event.transactionHash))!;
        const input = consentAbi.decodeFunctionData('requestAccess', tx.data);
        requestedOnChain.push({ input: Number(input.purpose), event: Number(event.args.purpose) });
      }
      const asked: PurposeOfUse[] = ['TREAT', 'CAREMGT'];
      expect(requestedOnChain).toEqual(
        asked.map((p) => ({ input: purposeOfUse(p).number, event: purposeOfUse(p).number })),
      );

      // -- erasure: once the patient's key is destroyed, its records open for no one
      shredKeys(patient);
      await cannotOpen(patient, { cid: later.cid });
      await cannotOpen(patient, { cid: afterExpiry.cid });
    },
  );
});
