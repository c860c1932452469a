import {
  ContractRevertError,
  consentManagerAbi,
  deployMhrChain,
  scanChainPrivacy,
  signRelayedAction,
  submitRelayedAction,
} from '@mhrchain/contracts';
import { anvilTest, startAnvil } from '@mhrchain/contracts/testing';
import {
  BlockNotFoundError,
  DecryptionError,
  generateIdentity,
  type HeliaStorage,
  readEnvelopeHeader,
} from '@mhrchain/core';
import { getCreateAddress, Interface, toQuantity, type Wallet } from 'ethers';
import type { CID } from 'multiformats/cid';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import {
  addRecord,
  answerAccessOtp,
  approveDelegation,
  approveRequest,
  approveWithOtp,
  type ConsentClient,
  createConsentClient,
  getTimeline,
  grantAccess,
  InvalidOtpResponseError,
  InvalidPurposeError,
  issueAccessOtp,
  listActiveGrants,
  listPendingRequests,
  listReadableRecords,
  OtpRejectedError,
  openRecord,
  PURPOSES_OF_USE,
  type PurposeOfUse,
  purposeOfUse,
  readRecord,
  registerPatient,
  rejectRequest,
  requestAccess,
  requestDelegation,
  revokeAccess,
  rotateExpiredAccess,
  sealOtpResponse,
  shredKeys,
  timelineToFhirAuditEvents,
  timelineToFhirConsents,
  toScopeTuple,
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

      // -- free text is refused before any transaction: a purpose is a code of the published vocabulary
      const nonceB = await anvil.provider.getTransactionCount(doctorB.address);
      for (const text of ['second-opinion', 'hiv-antiretroviral-followup', 'treatment'])
        await expect(
          requestAccess(doctorB, {
            patient: patient.address,
            scope: { kind: 'category', category: 2 },
            purpose: text as PurposeOfUse,
            duration: 3600,
          }),
        ).rejects.toBeInstanceOf(InvalidPurposeError);
      expect(await anvil.provider.getTransactionCount(doctorB.address)).toBe(nonceB);

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
      const payloadBefore = async (recordId: string) =>
        readEnvelopeHeader(await storage.store.get(revoked.rotated.find((r) => r.recordId === recordId)!.cid)).payload;
      const before = new Map([
        [condition.recordId, await payloadBefore(condition.recordId)],
        [followUp.recordId, await payloadBefore(followUp.recordId)],
      ]);
      const expiredRotation = await rotateExpiredAccess(patient, { rotation: 'eager' });
      expect(ids(expiredRotation)).toEqual(ids([condition, followUp]));
      for (const version of expiredRotation) {
        await cannotOpen(doctorB, { cid: version.cid });
        // eager rotation: a fresh payload under a fresh data key, and the old one left the store
        const old = before.get(version.recordId)!;
        expect(readEnvelopeHeader(await storage.store.get(version.cid)).payload.equals(old)).toBe(false);
        expect(await storage.store.has(old)).toBe(false);
      }
      expect(await rotateExpiredAccess(patient)).toEqual([]); // nothing left to rotate
      expect((await readRecord(patient, { patient: patient.address, recordId: condition.recordId })).data).toEqual(
        conditionResource,
      );

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

const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('one-time code attacks', () => {
  anvilTest(
    'wrong codes lock, codes expire, replay and cross-request use fail',
    { timeout: 60_000 },
    async ({ anvil, mhrChain }) => {
      let clock = Date.now();
      const world = await setUpWorld(anvil, mhrChain, storage.store, { patient: { otp: { now: () => clock } } });
      const { patient, doctorA, doctorB, colleague } = world;
      const ask = (doctor: typeof doctorA, category: number) =>
        requestAccess(doctor, {
          patient: patient.address,
          scope: { kind: 'category', category },
          purpose: 'CAREMGT',
          duration: 3600,
        });
      await ask(doctorA, 1);
      await ask(doctorB, 2);

      // wrong code 6 times: 4 mismatches, the 5th locks, the 6th finds it locked — and then even the right code fails
      const { code } = await issueAccessOtp(patient, { doctor: doctorA.address });
      const reasons: string[] = [];
      for (let i = 0; i < 6; i++) {
        const response = await answerAccessOtp(doctorA, { patient: patient.address, code: wrong(code) });
        const error = await approveWithOtp(patient, { response }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(OtpRejectedError);
        reasons.push((error as OtpRejectedError).reason);
      }
      expect(reasons).toEqual(['mismatch', 'mismatch', 'mismatch', 'mismatch', 'locked', 'locked']);
      const right = await answerAccessOtp(doctorA, { patient: patient.address, code });
      await expect(approveWithOtp(patient, { response: right })).rejects.toMatchObject({ reason: 'locked' });
      expect(await listReadableRecords(doctorA)).toEqual([]);

      // an expired code
      const second = await issueAccessOtp(patient, { doctor: doctorA.address });
      clock += 5 * 60_000 + 1;
      const late = await answerAccessOtp(doctorA, { patient: patient.address, code: second.code });
      await expect(approveWithOtp(patient, { response: late })).rejects.toMatchObject({ reason: 'expired' });

      // a code for another request: B's code entered by A, and A's response re-targeted at B's request
      const codeA = await issueAccessOtp(patient, { doctor: doctorA.address });
      const codeB = await issueAccessOtp(patient, { doctor: doctorB.address });
      const crossed = await answerAccessOtp(doctorA, { patient: patient.address, code: codeB.code });
      await expect(approveWithOtp(patient, { response: crossed })).rejects.toMatchObject({ reason: 'mismatch' });
      const retargeted = await answerAccessOtp(doctorA, {
        patient: patient.address,
        code: codeA.code,
        requestId: codeB.requestId,
      });
      await expect(approveWithOtp(patient, { response: retargeted })).rejects.toMatchObject({
        reason: 'wrong-request',
      });
      // an eavesdropper (another doctor) who heard B's code cannot answer in B's place
      const eavesdropped = await answerAccessOtp(colleague, {
        patient: patient.address,
        code: codeB.code,
        requestId: codeB.requestId,
      });
      await expect(approveWithOtp(patient, { response: eavesdropped })).rejects.toMatchObject({
        reason: 'wrong-request',
      });
      // a response for another chain or contract
      const otherChain = await sealOtpResponse({
        patientPublicKey: patient.identity.publicKey,
        chainId: 1n,
        consent: mhrChain.addresses.consentManager,
        requestId: codeA.requestId,
        patient: patient.address,
        code: codeA.code,
        signer: doctorA.signer,
      });
      await expect(approveWithOtp(patient, { response: otherChain })).rejects.toMatchObject({
        reason: 'wrong-request',
      });
      // a response sealed to someone else's key
      const misdirected = await sealOtpResponse({
        patientPublicKey: generateIdentity().publicKey,
        chainId: patient.chainId,
        consent: mhrChain.addresses.consentManager,
        requestId: codeA.requestId,
        patient: patient.address,
        code: codeA.code,
        signer: doctorA.signer,
      });
      await expect(approveWithOtp(patient, { response: misdirected })).rejects.toBeInstanceOf(InvalidOtpResponseError);

      // the genuine answers still work, once
      const okA = await answerAccessOtp(doctorA, { patient: patient.address, code: codeA.code });
      const grant = await approveWithOtp(patient, { response: okA });
      expect(grant.serial).toBe(1);
      await expect(approveWithOtp(patient, { response: okA })).rejects.toMatchObject({ reason: 'used' });
      const okB = await answerAccessOtp(doctorB, { patient: patient.address, code: codeB.code });
      await approveWithOtp(patient, { response: okB });
      expect(await mhrChain.chain.consentManager.read.isGrantActive(patient.address, doctorB.address)).toBe(true);
    },
  );
});

describe('relayed signatures', () => {
  anvilTest(
    'a patient signature cannot be replayed or used on another chain',
    { timeout: 60_000 },
    async ({ anvil, mhrChain }) => {
      const { patient, doctorA } = await setUpWorld(anvil, mhrChain, storage.store);
      const expiresAt = (await anvil.provider.getBlock('latest'))!.timestamp + 3600;
      const signed = await signRelayedAction({
        chain: patient.chain,
        signer: patient.signer as Wallet,
        action: 'GrantAccess',
        message: {
          patient: patient.address,
          doctor: doctorA.address,
          scope: toScopeTuple({ kind: 'all' }),
          expiresAt,
        },
      });
      await submitRelayedAction(patient.relayerChain!, signed);
      expect(await mhrChain.chain.consentManager.read.isGrantActive(patient.address, doctorA.address)).toBe(true);

      // replay on the same chain
      const replay = await submitRelayedAction(patient.relayerChain!, signed).catch((e: unknown) => e);
      expect(replay).toBeInstanceOf(ContractRevertError);
      expect((replay as ContractRevertError).errorName).toBe('InvalidSignature');

      // the same signature on another chain: same contract addresses, same accounts, fresh nonces
      const other = await startAnvil({ chainId: 31_338 });
      try {
        const deployer = other.signers[0]!;
        let nonce = 0;
        while (getCreateAddress({ from: deployer.address, nonce }) !== mhrChain.addresses.identityRegistry) nonce++;
        await other.provider.send('anvil_setNonce', [deployer.address, toQuantity(nonce)]);
        const deployed = await deployMhrChain({ deployer });
        expect(deployed.addresses).toEqual(mhrChain.addresses);
        expect(await deployed.chain.consentManager.read.nonces(patient.address)).toBe(signed.nonce);
        const error = await deployed.chain.consentManager
          .connect(other.signers[4]!)
          .write.grantAccessBySig(
            signed.message.patient,
            signed.message.doctor,
            signed.message.scope,
            signed.message.expiresAt,
            signed.deadline,
            signed.signature,
          )
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ContractRevertError);
        expect((error as ContractRevertError).errorName).toBe('InvalidSignature');
      } finally {
        await other.stop();
      }
    },
  );
});

describe('a patient paying its own gas', () => {
  anvilTest(
    'grants and revokes with eager rotation from its own wallet',
    { timeout: 60_000 },
    async ({ anvil, mhrChain }) => {
      const { doctorA } = await setUpWorld(anvil, mhrChain, storage.store);
      const patient = await createConsentClient({
        signer: anvil.signers[5]!,
        addresses: mhrChain.addresses,
        store: storage.store,
        identity: generateIdentity(),
      });
      await registerPatient(patient);
      const texts = ['first', 'second', 'third', 'fourth', 'fifth'];
      const records = [];
      for (const [i, text] of texts.entries())
        records.push(
          await addRecord(patient, {
            data: new TextEncoder().encode(text),
            metadata: { mediaType: 'text/plain' },
            category: i % 2,
          }),
        );
      const expiresAt = (await anvil.provider.getBlock('latest'))!.timestamp + 3600;
      const grant = await grantAccess(patient, {
        doctor: doctorA.address,
        scope: { kind: 'category', category: 0 },
        expiresAt,
      });
      expect(grant.released.map((r) => r.recordId).sort()).toEqual(
        [records[0]!, records[2]!, records[4]!].map((r) => r.recordId).sort(),
      );
      expect(new Set(grant.released.map((r) => r.transaction.transactionHash)).size).toBe(1); // one batch
      const readable = await listReadableRecords(doctorA);
      expect(readable).toHaveLength(3);
      for (const record of readable) expect(record.version).toBe(1);
      const texts0 = await Promise.all(
        readable.map(async (r) => new TextDecoder().decode((await readRecord(doctorA, { cid: r.cid })).data)),
      );
      expect(texts0.sort()).toEqual(['fifth', 'first', 'third']);

      const payloadsBefore = new Map<string, CID>();
      for (const r of readable)
        payloadsBefore.set(r.recordId, readEnvelopeHeader(await storage.store.get(r.cid)).payload);
      const revoked = await revokeAccess(patient, { doctor: doctorA.address, rotation: 'eager' });
      expect(revoked.rotated).toHaveLength(3);
      for (const version of revoked.rotated) {
        await expect(readRecord(doctorA, { cid: version.cid })).rejects.toBeInstanceOf(DecryptionError);
        const before = readable.find((r) => r.recordId === version.recordId)!;
        const oldPayload = payloadsBefore.get(version.recordId)!;
        expect(readEnvelopeHeader(await storage.store.get(version.cid)).payload.equals(oldPayload)).toBe(false);
        // eager rotation: the version the doctor was given left the store whole, payload included
        expect(await storage.store.has(before.cid)).toBe(false);
        expect(await storage.store.has(oldPayload)).toBe(false);
        expect(version.version).toBe(2);
      }
      expect(await listReadableRecords(doctorA)).toEqual([]);
      const own = await readRecord(patient, { cid: revoked.rotated[0]!.cid });
      expect(texts).toContain(new TextDecoder().decode(own.data));
    },
  );
});

describe("the patient's request inbox", () => {
  anvilTest(
    'lists the pending request of every doctor and the live grants, and drops answered, revoked and expired ones',
    { timeout: 60_000 },
    async ({ anvil, mhrChain }) => {
      const { patient, doctorA, doctorB, colleague } = await setUpWorld(anvil, mhrChain, storage.store);
      expect(await listPendingRequests(patient)).toEqual([]);
      const ask = (doctor: ConsentClient, category: number) =>
        requestAccess(doctor, {
          patient: patient.address,
          scope: { kind: 'category', category },
          purpose: 'TREAT',
          duration: 3600 * (category + 1),
        });
      const fromA = await ask(doctorA, 1);
      const fromB = await ask(doctorB, 2);
      const fromColleague = await ask(colleague, 3);

      const inbox = await listPendingRequests(patient);
      expect(inbox.map((r) => [r.doctor, r.requestId])).toEqual([
        [doctorA.address, fromA.requestId],
        [doctorB.address, fromB.requestId],
        [colleague.address, fromColleague.requestId],
      ]);
      expect(inbox[1]).toMatchObject({
        patient: patient.address,
        scope: { kind: 'category', category: 2 },
        purpose: 'TREAT', // the code name, read back from the number on chain
        duration: 3 * 3600,
      });
      // anyone may read a patient's inbox from the chain
      expect(await listPendingRequests(doctorA, { patient: patient.address })).toEqual(inbox);

      await approveRequest(patient, { doctor: doctorA.address });
      await rejectRequest(patient, { doctor: colleague.address });
      expect((await listPendingRequests(patient)).map((r) => r.doctor)).toEqual([doctorB.address]);

      // a new request after a rejection shows up again, under its new id
      const again = await ask(colleague, 4);
      expect((await listPendingRequests(patient)).map((r) => [r.doctor, r.requestId])).toEqual([
        [doctorB.address, fromB.requestId],
        [colleague.address, again.requestId],
      ]);

      // who has access: A (answered request), then B granted directly; revoked and expired grants drop out
      const [grantA] = await listActiveGrants(patient);
      expect(grantA).toMatchObject({ doctor: doctorA.address, serial: 1, scope: { kind: 'category', category: 1 } });
      const now = (await anvil.provider.getBlock('latest'))!.timestamp;
      await grantAccess(patient, { doctor: doctorB.address, scope: { kind: 'all' }, expiresAt: now + 600 });
      const both = await listActiveGrants(patient);
      expect(both.map((g) => [g.doctor, g.scope.kind])).toEqual([
        [doctorA.address, 'category'],
        [doctorB.address, 'all'],
      ]);
      expect(both[1]!.expiresAt).toBe(now + 600);
      expect(await listActiveGrants(colleague, { patient: patient.address })).toEqual(both);
      await revokeAccess(patient, { doctor: doctorA.address });
      expect((await listActiveGrants(patient)).map((g) => g.doctor)).toEqual([doctorB.address]);
      await anvil.provider.send('evm_increaseTime', [601]);
      await anvil.provider.send('evm_mine', []);
      expect(await listActiveGrants(patient)).toEqual([]);
    },
  );
});
