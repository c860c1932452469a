import {
  type HDNodeWallet,
  hexlify,
  Interface,
  keccak256,
  randomBytes,
  type Signer,
  toUtf8Bytes,
  Wallet,
} from 'ethers';
import { describe, expect, it } from 'vitest';
import { startAnvil } from './anvil.js';
import { ContractRevertError, DeploymentNotFoundError, isContractRevert } from './errors.js';
import { addressesForChain, connectMhrChain, deployMhrChain, deployments, withDeployment } from './mhrChain.js';
import { delegationScopeHash, signRelayedAction, submitRelayedAction } from './relayed.js';
import { scopeAll, scopeCategory, scopeRecords } from './scope.js';
import { buildSegmentMerkleTree } from './segmentMerkleTree.js';
import { type AnvilFixtures, anvilTest as test } from './testing.js';
import { readTimeline } from './timeline.js';

const ECG = 1;
const LAB = 2;
const key = (label: string) => keccak256(toUtf8Bytes(label));
/** HL7 PurposeOfUse TREAT, `ConsentManager.PURPOSE_TREAT`. */
const TREAT = 1;
const cid = (label: string) => toUtf8Bytes(`bafy-${label}`);

/** Roles on the test chain: admin/deployer, registrar, patient, doctor, colleague, relayer. */
async function setup({ anvil, mhrChain }: Pick<AnvilFixtures, 'anvil' | 'mhrChain'>) {
  const [admin, registrar, patient, doctor, colleague, relayer] = anvil.signers.slice(0, 6) as [
    HDNodeWallet,
    HDNodeWallet,
    HDNodeWallet,
    HDNodeWallet,
    HDNodeWallet,
    HDNodeWallet,
  ];
  const as = (signer: Signer) => connectMhrChain(signer, mhrChain.addresses);
  await as(admin).identityRegistry.write.setRegistrar(registrar.address, true);
  const now = BigInt((await anvil.provider.getBlock('latest'))!.timestamp);
  for (const account of [doctor, colleague]) {
    await as(account).identityRegistry.write.register(key(account.address));
    await as(registrar).identityRegistry.write.attestDoctor(account.address, now + 365n * 86400n);
  }
  return { admin, registrar, patient, doctor, colleague, relayer, as, now };
}

describe('deployments manifest', () => {
  it('holds the addresses a fresh anvil gets from the first default account', async () => {
    const anvil = await startAnvil();
    try {
      const { addresses } = await deployMhrChain({ deployer: anvil.signers[0]! });
      expect(addresses).toEqual(deployments['31337']);
      expect(addressesForChain(31337n)).toEqual(addresses);
    } finally {
      await anvil.stop();
    }
  });
});

describe('MHR Chain on anvil', () => {
  test('deploys every contract and records it in a manifest', async ({ anvil, mhrChain }) => {
    expect(mhrChain.chainId).toBe(31337n);
    const manifest = withDeployment({}, mhrChain.chainId, mhrChain.addresses);
    const chain = connectMhrChain(anvil.provider, addressesForChain(31337, manifest));
    expect(await chain.consentManager.read.identities()).toBe(mhrChain.addresses.identityRegistry);
    expect(await chain.delegationRegistry.read.consent()).toBe(mhrChain.addresses.consentManager);
    expect(await chain.identityRegistry.read.admin()).toBe(anvil.signers[0]!.address);
    expect(() => addressesForChain(1n, manifest)).toThrow(DeploymentNotFoundError);
    // The same code targets any JSON-RPC chain: a second deployment on the same node gets new addresses.
    const again = await deployMhrChain({ deployer: anvil.signers[1]!, admin: anvil.signers[2]!.address });
    expect(again.addresses.consentManager).not.toBe(mhrChain.addresses.consentManager);
    expect(await again.chain.identityRegistry.read.admin()).toBe(anvil.signers[2]!.address);
  });

  test('full consent lifecycle through the bindings, with typed reverts', async ({ anvil, mhrChain }) => {
    const { patient, doctor, colleague, as, now } = await setup({ anvil, mhrChain });
    const p = as(patient);
    await p.identityRegistry.write.register(key('patient x25519'));
    const anchored = await p.recordRegistry.write.anchorRecord(cid('ecg-1'), ECG);
    const event = anchored.events.find((e) => e.eventName === 'RecordAnchored');
    expect(event?.eventName).toBe('RecordAnchored');
    const ecgRecord = event?.eventName === 'RecordAnchored' ? event.args.recordId : '';
    expect(ecgRecord).toBe(await p.recordRegistry.read.recordIdOf(patient.address, cid('ecg-1')));
    const { events: labEvents } = await p.recordRegistry.write.anchorRecord(cid('lab-1'), LAB);
    const labRecord = labEvents[0]?.eventName === 'RecordAnchored' ? labEvents[0].args.recordId : '';

    // Request → grant (category) → access only to that category.
    await as(doctor).consentManager.write.requestAccess(patient.address, scopeCategory(ECG), TREAT, 86400);
    const request = await p.consentManager.read.requestOf(patient.address, doctor.address);
    expect(request.status).toBe(1n);
    expect(request.duration).toBe(86400n);
    await p.consentManager.write.grantAccess(doctor.address, scopeCategory(ECG), now + 86400n);
    expect(await p.consentManager.read.grantCovers(patient.address, doctor.address, ecgRecord)).toBe(true);
    expect(await p.consentManager.read.grantCovers(patient.address, doctor.address, labRecord)).toBe(false);
    const grant = await p.consentManager.read.grantOf(patient.address, doctor.address);
    expect(grant).toMatchObject({ serial: 1n, status: 1n, kind: 1n, category: BigInt(ECG), expiresAt: now + 86400n });

    // Delegation: a narrower scope to a colleague, effective only after the patient approves.
    await as(doctor).delegationRegistry.write.requestDelegation(
      patient.address,
      colleague.address,
      scopeRecords([ecgRecord]),
      now + 3600n,
    );
    expect(await p.delegationRegistry.read.canRead(patient.address, colleague.address, ecgRecord)).toBe(false);
    // The approval names the request it approves; any other terms are refused with a typed error.
    const pending = await p.delegationRegistry.read.delegationOf(patient.address, colleague.address);
    const terms = {
      doctor: pending.doctor,
      serial: pending.serial,
      scopeHash: delegationScopeHash(scopeRecords([ecgRecord])),
      expiresAt: pending.expiresAt,
    };
    const mismatch = await p.delegationRegistry.write
      .approveDelegation(colleague.address, { ...terms, scopeHash: delegationScopeHash(scopeAll()) })
      .catch((e: unknown) => e);
    if (!isContractRevert(mismatch, 'DelegationMismatch')) throw new Error('expected DelegationMismatch');
    expect(mismatch.args).toEqual({ patient: patient.address, colleague: colleague.address, serial: 1n });
    await p.delegationRegistry.write.approveDelegation(colleague.address, terms);
    expect(await p.delegationRegistry.read.canRead(patient.address, colleague.address, ecgRecord)).toBe(true);
    const tooWide = await as(doctor)
      .delegationRegistry.write.requestDelegation(patient.address, doctor.address, scopeAll(), now + 60n)
      .catch((e: unknown) => e);
    expect(isContractRevert(tooWide, 'InvalidColleague')).toBe(true);

    // Revoke names the grant it ends: another serial is refused with a typed error, the grant untouched.
    const wrongGrant = await p.consentManager.write.revokeAccess(doctor.address, 2).catch((e: unknown) => e);
    if (!isContractRevert(wrongGrant, 'GrantSerialMismatch')) throw new Error('expected GrantSerialMismatch');
    expect(wrongGrant.args).toEqual({
      patient: patient.address,
      doctor: doctor.address,
      signedSerial: 2n,
      currentSerial: 1n,
    });
    expect(await p.consentManager.read.isGrantActive(patient.address, doctor.address)).toBe(true);

    // Revoke: access ends for the doctor and the colleague, the key epoch moves on.
    const revoked = await p.consentManager.write.revokeAccess(doctor.address, grant.serial);
    const revokedEvent = revoked.events[0];
    expect(revokedEvent?.eventName === 'AccessRevoked' && revokedEvent.args.keyEpoch).toBe(1n);
    expect(await p.consentManager.read.keyEpochOf(patient.address)).toBe(1n);
    expect(await p.consentManager.read.isGrantActive(patient.address, doctor.address)).toBe(false);
    expect(await p.delegationRegistry.read.canRead(patient.address, colleague.address, ecgRecord)).toBe(false);

    // A second revoke reverts with a typed error carrying the named arguments.
    const error = await p.consentManager.write.revokeAccess(doctor.address, grant.serial).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContractRevertError);
    if (!isContractRevert(error, 'NoActiveGrant')) throw new Error('expected NoActiveGrant');
    expect(error.args).toEqual({ patient: patient.address, doctor: doctor.address });

    // Expiry: a new grant lapses by itself.
    await p.consentManager.write.grantAccess(doctor.address, scopeAll(), now + 600n);
    expect(await p.consentManager.read.isGrantActive(patient.address, doctor.address)).toBe(true);
    await anvil.increaseTime(3600);
    expect(await p.consentManager.read.isGrantActive(patient.address, doctor.address)).toBe(false);

    // Typed event queries and gas estimates on the same bindings.
    const grants = await p.consentManager.events('AccessGranted');
    expect(grants.map((g) => g.args.serial)).toEqual([1n, 2n]);
    expect(grants[1]!.args.scope).toEqual({ kind: 0n, category: 0n, recordIds: [] });
    expect(await p.recordRegistry.estimateGas.anchorRecord(cid('ecg-2'), ECG)).toBeGreaterThan(21_000n);
    const estimateError = await p.recordRegistry.estimateGas.anchorRecord(cid('ecg-1'), ECG).catch((e: unknown) => e);
    expect(isContractRevert(estimateError, 'RecordAlreadyAnchored')).toBe(true);

    // Reject.
    const freeText = await as(doctor)
      .consentManager.write.requestAccess(patient.address, scopeAll(), 0, 3600)
      .catch((e: unknown) => e);
    expect(isContractRevert(freeText, 'InvalidPurpose')).toBe(true); // 0 (and any number past the vocabulary)
    await as(doctor).consentManager.write.requestAccess(patient.address, scopeAll(), TREAT, 3600);
    // Reject names the request it ends (request 1 was granted, request 2 is pending): a rejection of request 1, mined
    // late, is refused with a typed error and request 2 stays pending.
    const lateReject = await p.consentManager.write.rejectRequest(doctor.address, 1).catch((e: unknown) => e);
    if (!isContractRevert(lateReject, 'RequestSerialMismatch')) throw new Error('expected RequestSerialMismatch');
    expect(lateReject.args).toEqual({
      patient: patient.address,
      doctor: doctor.address,
      signedSerial: 1n,
      currentSerial: 2n,
    });
    expect((await p.consentManager.read.requestOf(patient.address, doctor.address)).status).toBe(1n);
    await p.consentManager.write.rejectRequest(doctor.address, 2);
    expect((await p.consentManager.read.requestOf(patient.address, doctor.address)).status).toBe(3n);
    const notDoctor = await p.consentManager.write
      .requestAccess(patient.address, scopeAll(), TREAT, 60)
      .catch((e: unknown) => e);
    expect(isContractRevert(notDoctor, 'NotDoctor')).toBe(true);
  });

  test('EIP-712 relayed path: a patient without ETH acts through a relayer; replays fail', async ({
    anvil,
    mhrChain,
  }) => {
    const { doctor, relayer, as, now } = await setup({ anvil, mhrChain });
    const patient = Wallet.createRandom(anvil.provider);
    expect(await anvil.provider.getBalance(patient.address)).toBe(0n);
    const chain = connectMhrChain(anvil.provider, mhrChain.addresses);
    const relay = as(relayer);

    const register = await signRelayedAction({
      chain,
      signer: patient,
      action: 'Register',
      message: { account: patient.address, encryptionKey: key('pk') },
    });
    await submitRelayedAction(relay, register);
    expect(await chain.identityRegistry.read.isRegistered(patient.address)).toBe(true);

    const anchor = await signRelayedAction({
      chain,
      signer: patient,
      action: 'AnchorRecord',
      message: { patient: patient.address, cid: cid('ecg'), category: ECG },
    });
    const { events } = await submitRelayedAction(relay, anchor);
    const recordId = events[0]?.eventName === 'RecordAnchored' ? events[0].args.recordId : '';
    expect(events[0]?.eventName === 'RecordAnchored' && events[0].args.actor).toBe(relayer.address);

    const grant = await signRelayedAction({
      chain,
      signer: patient,
      action: 'GrantAccess',
      message: {
        patient: patient.address,
        doctor: doctor.address,
        scope: scopeRecords([recordId]),
        expiresAt: now + 86400n,
      },
    });
    expect(grant.nonce).toBe(0n);
    await submitRelayedAction(relay, grant);
    expect(await chain.consentManager.read.grantCovers(patient.address, doctor.address, recordId)).toBe(true);
    const replay = await submitRelayedAction(relay, grant).catch((e: unknown) => e);
    expect(isContractRevert(replay, 'InvalidSignature')).toBe(true);

    // A batch of new versions under one signature: ethers' EIP-712 encoding of bytes32[] and bytes[] is the contract's.
    const batch = await signRelayedAction({
      chain,
      signer: patient,
      action: 'SupersedeRecords',
      message: { patient: patient.address, recordIds: [recordId], cids: [cid('ecg v1')] },
    });
    const superseded = await submitRelayedAction(relay, batch);
    expect(superseded.events.map((e) => e.eventName)).toEqual(['RecordSuperseded']);
    expect((await chain.recordRegistry.read.recordOf(recordId)).version).toBe(1n);

    // An erasure under one signature: the record ends for everyone, the relayer only carried it.
    const erase = await signRelayedAction({
      chain,
      signer: patient,
      action: 'EraseRecords',
      message: { patient: patient.address, recordIds: [recordId] },
    });
    const erased = await submitRelayedAction(relay, erase);
    expect(erased.events.map((e) => e.eventName)).toEqual(['RecordErased']);
    expect((await chain.recordRegistry.read.recordOf(recordId)).erased).toBe(true);
    expect(await chain.consentManager.read.grantCovers(patient.address, doctor.address, recordId)).toBe(false);

    // A signature for another deployment (another verifying contract) fails here.
    const other = await deployMhrChain({ deployer: anvil.signers[0]! });
    await other.chain.identityRegistry.write.setRegistrar(anvil.signers[1]!.address, true);
    const revokeOther = await signRelayedAction({
      chain: other.chain,
      signer: patient,
      action: 'RevokeAccess',
      message: { patient: patient.address, doctor: doctor.address },
    });
    const crossContract = await submitRelayedAction(relay, revokeOther).catch((e: unknown) => e);
    expect(isContractRevert(crossContract, 'InvalidSignature')).toBe(true);

    // Expired deadline.
    const stale = await signRelayedAction({
      chain,
      signer: patient,
      action: 'RevokeAccess',
      message: { patient: patient.address, doctor: doctor.address },
      deadline: now - 1n,
    });
    const expired = await submitRelayedAction(relay, stale).catch((e: unknown) => e);
    expect(isContractRevert(expired, 'SignatureExpired')).toBe(true);

    const revoke = await signRelayedAction({
      chain,
      signer: patient,
      action: 'RevokeAccess',
      message: { patient: patient.address, doctor: doctor.address },
    });
    expect(revoke.message.serial).toBe(1n); // read from the chain: the grant this signature ends
    await submitRelayedAction(relay, revoke);
    expect(await chain.consentManager.read.isGrantActive(patient.address, doctor.address)).toBe(false);

    // A revocation withheld by a relayer cannot end a later grant: it names grant 2, the chain now holds grant 3.
    const grantAgain = async () =>
      submitRelayedAction(
        relay,
        await signRelayedAction({
          chain,
          signer: patient,
          action: 'GrantAccess',
          message: { patient: patient.address, doctor: doctor.address, scope: scopeAll(), expiresAt: now + 86400n },
        }),
      );
    await grantAgain();
    const withheld = await signRelayedAction({
      chain,
      signer: patient,
      action: 'RevokeAccess',
      message: { patient: patient.address, doctor: doctor.address },
    });
    // The patient cancels it (nonce invalidation, itself relayed by another relayer), then grants once more.
    const cancel = await signRelayedAction({
      chain,
      signer: patient,
      action: 'InvalidateNonces',
      message: { contract: 'consentManager', account: patient.address, newNonce: withheld.nonce + 1n },
    });
    const cancelled = await submitRelayedAction(as(doctor), cancel);
    expect(cancelled.events.map((e) => e.eventName)).toEqual(['NoncesInvalidated']);
    const relayedAfterCancel = await submitRelayedAction(relay, withheld).catch((e: unknown) => e);
    expect(isContractRevert(relayedAfterCancel, 'InvalidSignature')).toBe(true);
    await grantAgain();
    const forEarlierGrant = await signRelayedAction({
      chain,
      signer: patient,
      action: 'RevokeAccess',
      message: { patient: patient.address, doctor: doctor.address, serial: 2 },
    });
    const mismatch = await submitRelayedAction(relay, forEarlierGrant).catch((e: unknown) => e);
    if (!isContractRevert(mismatch, 'GrantSerialMismatch')) throw new Error('expected GrantSerialMismatch');
    expect(mismatch.args).toMatchObject({ signedSerial: 2n, currentSerial: 3n });
    expect(await chain.consentManager.read.isGrantActive(patient.address, doctor.address)).toBe(true);
    expect(await anvil.provider.getBalance(patient.address)).toBe(0n);
  });

  test('stream anchors and disease reports', async ({ anvil, mhrChain }) => {
    const { patient, relayer, as, now } = await setup({ anvil, mhrChain });
    const device = Wallet.createRandom(anvil.provider);
    const segments = Array.from({ length: 37 }, () => randomBytes(36));
    const tree = buildSegmentMerkleTree(segments);
    const p = as(patient);
    const chain = connectMhrChain(anvil.provider, mhrChain.addresses);
    const authorize = await signRelayedAction({
      chain,
      signer: patient,
      action: 'AuthorizeDevice',
      message: { patient: patient.address, device: device.address, authorized: true },
    });
    await submitRelayedAction(as(relayer), authorize);
    await anvil.signers[0]!.sendTransaction({ to: device.address, value: 10n ** 17n }).then((tx) => tx.wait());
    await connectMhrChain(device, mhrChain.addresses).streamAnchors.write.anchorStreamBatch(
      patient.address,
      tree.root,
      segments.length,
    );
    for (const i of [0, 17, 36]) {
      expect(
        await chain.streamAnchors.read.verifySegment(patient.address, tree.root, segments[i]!, tree.proof(i)),
      ).toBe(true);
    }
    expect(
      await chain.streamAnchors.read.verifySegment(patient.address, tree.root, randomBytes(36), tree.proof(3)),
    ).toBe(false);

    await p.identityRegistry.write.register(key('patient pk')); // only registered patients report
    const { events } = await p.diseaseReports.write.openRound(key('schema'), now + 86400n);
    const roundId = events[0]?.eventName === 'RoundOpened' ? events[0].args.roundId : 0n;
    expect(roundId).toBe(1n);
    await p.diseaseReports.write.submitReport(roundId, '0x0102');
    expect(await chain.diseaseReports.read.hasReported(roundId, patient.address)).toBe(true);
    const twice = await p.diseaseReports.write.submitReport(roundId, '0x03').catch((e: unknown) => e);
    if (!isContractRevert(twice, 'ReportAlreadySubmitted')) throw new Error('expected ReportAlreadySubmitted');
    expect(twice.args.roundId).toBe(roundId);
    const other = Wallet.createRandom();
    const sybil = await signRelayedAction({
      chain,
      signer: other,
      action: 'SubmitReport',
      message: { roundId, patient: other.address, report: hexlify(randomBytes(8)) },
      deadline: 4102444800n,
    });
    const refused = await submitRelayedAction(as(relayer), sybil).catch((e: unknown) => e);
    if (!isContractRevert(refused, 'UnregisteredReporter')) throw new Error('expected UnregisteredReporter');
    expect(refused.args).toEqual({ patient: other.address });
    const registration = await signRelayedAction({
      chain,
      signer: other,
      action: 'Register',
      message: { account: other.address, encryptionKey: key('other pk') },
      deadline: 4102444800n,
    });
    await submitRelayedAction(as(relayer), registration);
    const report = await signRelayedAction({
      chain,
      signer: other,
      action: 'SubmitReport',
      message: { roundId, patient: other.address, report: hexlify(randomBytes(8)) },
      deadline: 4102444800n,
    });
    await submitRelayedAction(as(relayer), report);
    expect(await chain.diseaseReports.read.hasReported(roundId, other.address)).toBe(true);
    expect(new Interface(mhrChain.chain.diseaseReports.abi).getFunction('hasReported')).not.toBeNull();
  });

  test('the audit timeline is rebuilt from logs alone', async ({ anvil, mhrChain }) => {
    const { patient, doctor, relayer, as, now } = await setup({ anvil, mhrChain });
    const p = as(patient);
    const start = await anvil.provider.getBlockNumber();
    await p.identityRegistry.write.register(key('pk'));
    await p.recordRegistry.write.anchorRecord(cid('a'), ECG);
    await as(doctor).consentManager.write.requestAccess(patient.address, scopeAll(), TREAT, 3600);
    await p.consentManager.write.grantAccess(doctor.address, scopeAll(), now + 3600n);
    const chain = connectMhrChain(anvil.provider, mhrChain.addresses);
    const revoke = await signRelayedAction({
      chain,
      signer: patient,
      action: 'RevokeAccess',
      message: { patient: patient.address, doctor: doctor.address },
    });
    await submitRelayedAction(as(relayer), revoke);

    const timeline = await readTimeline(anvil.provider, chain, { involving: patient.address, fromBlock: start });
    expect(timeline.map((entry) => `${entry.contract}.${entry.eventName}`)).toEqual([
      'identityRegistry.IdentityRegistered',
      'recordRegistry.RecordAnchored',
      'consentManager.AccessRequested',
      'consentManager.AccessGranted',
      'consentManager.AccessRevoked',
    ]);
    const last = timeline[4]!;
    if (last.eventName !== 'AccessRevoked') throw new Error('expected AccessRevoked');
    expect(last.args).toMatchObject({ patient: patient.address, doctor: doctor.address, actor: relayer.address });
    expect(last.timestamp).toBeGreaterThan(0);
    const granted = timeline[3]!;
    expect(granted.eventName === 'AccessGranted' && granted.args.scope).toEqual({
      kind: 0n,
      category: 0n,
      recordIds: [],
    });
    const everything = await readTimeline(anvil.provider, chain, { timestamps: false });
    expect(everything.length).toBeGreaterThan(timeline.length);
    expect(everything.every((entry) => entry.timestamp === undefined)).toBe(true);
  });
});
