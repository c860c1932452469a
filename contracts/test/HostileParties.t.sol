// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Scope} from "../src/consent/Scope.sol";
import {IConsentManager} from "../src/interfaces/IConsentManager.sol";
import {IDelegationRegistry} from "../src/interfaces/IDelegationRegistry.sol";
import {IDiseaseReports} from "../src/interfaces/IDiseaseReports.sol";
import {IEIP712Relayed} from "../src/interfaces/IEIP712Relayed.sol";
import {IConsentErrors} from "../src/interfaces/ISharedErrors.sol";
import {Fixture} from "./utils/Fixture.sol";

/// The attacks of the hostile-party review, one test each. Every one of them succeeded before the fix (the same
/// scenarios, written against the earlier API, failed their final assertion); each now reverts with its custom error
/// or leaves the patient's decision intact.
contract HostilePartiesTest is Fixture {
    bytes32 internal ecgRecord;
    bytes32 internal labRecord;
    uint40 internal delegationExpiry = uint40(START + 1 days);

    function setUp() public override {
        super.setUp();
        ecgRecord = _anchor(patient, "ecg-envelope", ECG);
        labRecord = _anchor(patient, "lab-envelope", LAB);
        _grant(_all(), 30 days);
        vm.prank(doctor);
        delegations.requestDelegation(patient, colleague, _category(ECG), delegationExpiry);
    }

    /// The doctor withdraws its ECG-only request and asks for everything instead.
    function _swapToAll() internal {
        vm.startPrank(doctor);
        delegations.revokeDelegation(patient, colleague, delegations.delegationOf(patient, colleague).serial);
        delegations.requestDelegation(patient, colleague, _all(), delegationExpiry);
        vm.stopPrank();
    }

    function _ecgTerms() internal view returns (IDelegationRegistry.DelegationTerms memory) {
        return IDelegationRegistry.DelegationTerms(doctor, 1, _scopeHash(_category(ECG)), delegationExpiry);
    }

    // ------------------------------------------------------------ delegation approval bound to its request

    function test_attack_swapBeforeSignedApproval() public {
        uint256 deadline = START + 1 hours;
        IDelegationRegistry.DelegationTerms memory terms = _ecgTerms();
        bytes memory sig =
            _approveDelegationSig(terms.doctor, terms.serial, terms.scopeHash, terms.expiresAt, 0, deadline);
        _swapToAll();
        vm.prank(relayer);
        vm.expectRevert(abi.encodeWithSelector(IDelegationRegistry.DelegationMismatch.selector, patient, colleague, 1));
        delegations.approveDelegationBySig(patient, colleague, terms, deadline, sig);
        assertFalse(delegations.canRead(patient, colleague, labRecord), "colleague reads LAB after an ECG approval");
    }

    function test_attack_frontRunDirectApproval() public {
        _swapToAll(); // lands before the patient's approval transaction
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IDelegationRegistry.DelegationMismatch.selector, patient, colleague, 1));
        delegations.approveDelegation(colleague, _ecgTerms());
        assertFalse(delegations.canRead(patient, colleague, labRecord), "colleague reads LAB after an ECG approval");
    }

    /// Same serial, other scope or expiry or doctor: any term that differs from the request refuses the approval.
    function test_approvalNamesEveryTerm() public {
        IDelegationRegistry.DelegationTerms memory terms = _ecgTerms();
        IDelegationRegistry.DelegationTerms[4] memory wrong = [_ecgTerms(), _ecgTerms(), _ecgTerms(), _ecgTerms()];
        wrong[0].doctor = colleague;
        wrong[1].serial = 2;
        wrong[2].scopeHash = _scopeHash(_all());
        wrong[3].expiresAt = delegationExpiry - 1;
        for (uint256 i; i < 4; ++i) {
            vm.prank(patient);
            vm.expectRevert(
                abi.encodeWithSelector(IDelegationRegistry.DelegationMismatch.selector, patient, colleague, wrong[i].serial)
            );
            delegations.approveDelegation(colleague, wrong[i]);
        }
        vm.prank(patient);
        delegations.approveDelegation(colleague, terms);
        assertTrue(delegations.canRead(patient, colleague, ecgRecord), "approved as requested");
        assertFalse(delegations.canRead(patient, colleague, labRecord), "and no more");
    }

    /// The approval of the new request, named by its own terms, still works after a swap.
    function test_swappedRequestNeedsItsOwnApproval() public {
        _swapToAll();
        _approveDelegation(colleague, _all());
        assertEq(delegations.delegationOf(patient, colleague).serial, 2, "serial");
        assertTrue(delegations.canRead(patient, colleague, labRecord), "the patient approved ALL knowingly");
    }

    function test_fuzz_approvalWithAnyOtherScopeHashReverts(bytes32 scopeHash) public {
        vm.assume(bytes27(scopeHash) != bytes27(_scopeHash(_category(ECG))));
        IDelegationRegistry.DelegationTerms memory terms = _ecgTerms();
        terms.scopeHash = scopeHash;
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IDelegationRegistry.DelegationMismatch.selector, patient, colleague, 1));
        delegations.approveDelegation(colleague, terms);
    }

    // ------------------------------------------------------------ withheld signatures that end something

    function _revokeSig(uint32 serial, uint256 nonce, uint256 deadline) internal view returns (bytes memory) {
        return _sign(
            patientKey,
            consent,
            keccak256(abi.encode(consent.REVOKE_ACCESS_TYPEHASH(), patient, doctor, serial, nonce, deadline))
        );
    }

    function test_attack_withheldRevokeHitsLaterGrant() public {
        uint256 deadline = START + 1 hours;
        bytes memory sig = _revokeSig(1, 0, deadline);
        vm.prank(patient);
        consent.revokeAccess(doctor, 1); // the relayer withheld the signature; the patient revoked itself
        _grant(_all(), 30 days); // and later trusts the doctor again (grant 2)
        vm.prank(relayer);
        vm.expectRevert(abi.encodeWithSelector(IConsentManager.GrantSerialMismatch.selector, patient, doctor, 1, 2));
        consent.revokeAccessBySig(patient, doctor, 1, deadline, sig);
        assertTrue(consent.isGrantActive(patient, doctor), "withheld revoke ended the later grant");
    }

    function test_attack_lateDirectRevokeHitsLaterGrant() public {
        // The patient's revoke of grant 1 waits in the mempool (or in the app's journal) while the patient, on
        // another device, trusts the doctor again (grant 2); then the late revoke is mined.
        _grant(_all(), 30 days);
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IConsentManager.GrantSerialMismatch.selector, patient, doctor, 1, 2));
        consent.revokeAccess(doctor, 1);
        assertTrue(consent.isGrantActive(patient, doctor), "late revoke ended the later grant");
    }

    function test_attack_withheldRejectHitsLaterRequest() public {
        vm.prank(doctor);
        consent.requestAccess(patient, _category(ECG), PURPOSE_TREAT, 1 days);
        uint256 deadline = START + 1 hours;
        bytes memory sig = _sign(
            patientKey,
            consent,
            keccak256(abi.encode(consent.REJECT_REQUEST_TYPEHASH(), patient, doctor, uint32(1), 0, deadline))
        );
        vm.prank(patient);
        consent.rejectRequest(doctor, 1);
        vm.prank(doctor);
        consent.requestAccess(patient, _category(LAB), PURPOSE_TREAT, 1 days);
        vm.prank(relayer);
        vm.expectRevert(abi.encodeWithSelector(IConsentManager.RequestSerialMismatch.selector, patient, doctor, 1, 2));
        consent.rejectRequestBySig(patient, doctor, 1, deadline, sig);
        assertTrue(
            consent.requestOf(patient, doctor).status == IConsentManager.RequestStatus.Pending,
            "withheld reject ended the later request"
        );
    }

    function test_attack_lateDirectRejectHitsLaterRequest() public {
        vm.prank(doctor);
        consent.requestAccess(patient, _category(ECG), PURPOSE_TREAT, 1 days);
        // The patient reviews request 1 and rejects it; the app sends the rejection again (the first copy seemed
        // lost). The first copy lands, the doctor asks again (request 2, which the patient has not seen), then the
        // second copy of the rejection of request 1 is mined.
        vm.prank(patient);
        consent.rejectRequest(doctor, 1);
        vm.prank(doctor);
        consent.requestAccess(patient, _category(LAB), PURPOSE_TREAT, 1 days);
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IConsentManager.RequestSerialMismatch.selector, patient, doctor, 1, 2));
        consent.rejectRequest(doctor, 1);
        assertTrue(
            consent.requestOf(patient, doctor).status == IConsentManager.RequestStatus.Pending,
            "late reject ended the later request"
        );
    }

    function test_attack_withheldDelegationRejectHitsLaterRequest() public {
        uint256 deadline = START + 1 hours;
        bytes memory sig = _sign(
            patientKey,
            delegations,
            keccak256(abi.encode(delegations.REJECT_DELEGATION_TYPEHASH(), patient, colleague, uint32(1), 0, deadline))
        );
        vm.prank(patient);
        delegations.rejectDelegation(colleague, 1);
        vm.prank(doctor);
        delegations.requestDelegation(patient, colleague, _category(LAB), delegationExpiry);
        vm.prank(relayer);
        vm.expectRevert(abi.encodeWithSelector(IDelegationRegistry.DelegationMismatch.selector, patient, colleague, 1));
        delegations.rejectDelegationBySig(patient, colleague, 1, deadline, sig);
        assertTrue(
            delegations.delegationOf(patient, colleague).status == IDelegationRegistry.DelegationStatus.Pending,
            "withheld reject ended the later request"
        );
    }

    function test_attack_lateDirectDelegationRejectHitsLaterRequest() public {
        // The patient reviews delegation request 1 (ECG only) and rejects it; the rejection waits in the mempool while
        // the doctor withdraws request 1 and asks again (request 2, everything); then the late rejection is mined.
        _swapToAll();
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IDelegationRegistry.DelegationMismatch.selector, patient, colleague, 1));
        delegations.rejectDelegation(colleague, 1);
        assertTrue(
            delegations.delegationOf(patient, colleague).status == IDelegationRegistry.DelegationStatus.Pending,
            "late reject ended the later request"
        );
    }

    function test_attack_withheldDelegationRevokeHitsLaterDelegation() public {
        _approveDelegation(colleague, _category(ECG));
        uint256 deadline = START + 1 hours;
        bytes memory sig = _sign(
            patientKey,
            delegations,
            keccak256(abi.encode(delegations.REVOKE_DELEGATION_TYPEHASH(), patient, colleague, uint32(1), 0, deadline))
        );
        vm.prank(patient);
        delegations.revokeDelegation(patient, colleague, 1);
        vm.prank(doctor);
        delegations.requestDelegation(patient, colleague, _category(ECG), delegationExpiry);
        _approveDelegation(colleague, _category(ECG));
        vm.prank(relayer);
        vm.expectRevert(abi.encodeWithSelector(IDelegationRegistry.DelegationMismatch.selector, patient, colleague, 1));
        delegations.revokeDelegationBySig(patient, colleague, 1, deadline, sig);
        assertTrue(delegations.isDelegationActive(patient, colleague), "withheld revoke ended the later delegation");
    }

    function test_attack_lateDirectDelegationRevokeHitsLaterDelegation() public {
        _approveDelegation(colleague, _category(ECG));
        // The patient's revoke of delegation 1 waits while the doctor withdraws it, asks again (delegation 2) and the
        // patient approves; then the late revoke is mined.
        vm.startPrank(doctor);
        delegations.revokeDelegation(patient, colleague, 1);
        delegations.requestDelegation(patient, colleague, _category(ECG), delegationExpiry);
        vm.stopPrank();
        _approveDelegation(colleague, _category(ECG));
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IDelegationRegistry.DelegationMismatch.selector, patient, colleague, 1));
        delegations.revokeDelegation(patient, colleague, 1);
        assertTrue(delegations.isDelegationActive(patient, colleague), "late revoke ended the later delegation");
    }

    function test_fuzz_revokeSignatureOnlyEndsItsGrant(uint8 regrants) public {
        regrants = uint8(bound(regrants, 1, 20));
        uint256 deadline = START + 1 hours;
        bytes memory sig = _revokeSig(1, 0, deadline);
        for (uint256 i; i < regrants; ++i) _grant(_all(), 30 days);
        uint32 current = consent.grantOf(patient, doctor).serial;
        vm.expectRevert(
            abi.encodeWithSelector(IConsentManager.GrantSerialMismatch.selector, patient, doctor, 1, current)
        );
        consent.revokeAccessBySig(patient, doctor, 1, deadline, sig);
        // Signed for the current grant, it works.
        consent.revokeAccessBySig(patient, doctor, current, deadline, _revokeSig(current, 0, deadline));
        assertFalse(consent.isGrantActive(patient, doctor), "revoked");
    }

    // ------------------------------------------------------------ cancellation

    function test_attack_cancelledSignatureRelayed() public {
        uint256 deadline = START + 1 hours;
        uint40 expiresAt = uint40(START + 30 days);
        bytes memory sig = _grantSig(colleague, _all(), expiresAt, 0, deadline);
        vm.expectEmit(address(consent));
        emit IEIP712Relayed.NoncesInvalidated(patient, patient, 0, 1);
        vm.prank(patient);
        consent.invalidateNonces(1); // the patient changed its mind
        vm.prank(relayer);
        vm.expectRevert(IEIP712Relayed.InvalidSignature.selector);
        consent.grantAccessBySig(patient, colleague, _all(), expiresAt, deadline, sig);
        assertFalse(consent.isGrantActive(patient, colleague), "a signature the patient cancelled was relayed");
    }

    function test_cancelBySig_throughAnotherRelayer() public {
        uint256 deadline = START + 1 hours;
        uint40 expiresAt = uint40(START + 30 days);
        bytes memory grantSig = _grantSig(colleague, _all(), expiresAt, 0, deadline);
        // A cancellation signed with the same nonce, sent through a relayer the patient trusts more.
        bytes memory cancel = _sign(
            patientKey, consent, keccak256(abi.encode(consent.INVALIDATE_NONCES_TYPEHASH(), patient, 5, 0, deadline))
        );
        vm.expectEmit(address(consent));
        emit IEIP712Relayed.NoncesInvalidated(patient, stranger, 0, 5);
        vm.prank(stranger);
        consent.invalidateNoncesBySig(patient, 5, deadline, cancel);
        assertEq(consent.nonces(patient), 5, "nonce");
        vm.expectRevert(IEIP712Relayed.InvalidSignature.selector);
        consent.grantAccessBySig(patient, colleague, _all(), expiresAt, deadline, grantSig);
    }

    function test_invalidateNonces_mustMoveForwardBoundedly() public {
        vm.startPrank(patient);
        vm.expectRevert(abi.encodeWithSelector(IEIP712Relayed.InvalidNonceJump.selector, 0, 0));
        consent.invalidateNonces(0);
        uint256 tooFar = uint256(type(uint32).max) + 1;
        vm.expectRevert(abi.encodeWithSelector(IEIP712Relayed.InvalidNonceJump.selector, 0, tooFar));
        consent.invalidateNonces(tooFar);
        consent.invalidateNonces(type(uint32).max);
        vm.expectRevert(abi.encodeWithSelector(IEIP712Relayed.InvalidNonceJump.selector, type(uint32).max, 7));
        consent.invalidateNonces(7);
        vm.stopPrank();
    }

    function test_fuzz_cancelledNonceNeverRelays(uint256 newNonce, uint8 signedAhead) public {
        newNonce = bound(newNonce, 1, type(uint32).max);
        uint256 signedNonce = bound(signedAhead, 0, 255);
        vm.assume(signedNonce < newNonce);
        uint256 deadline = START + 1 hours;
        uint40 expiresAt = uint40(START + 30 days);
        bytes memory sig = _grantSig(colleague, _all(), expiresAt, signedNonce, deadline);
        vm.prank(patient);
        consent.invalidateNonces(newNonce);
        vm.expectRevert(IEIP712Relayed.InvalidSignature.selector);
        consent.grantAccessBySig(patient, colleague, _all(), expiresAt, deadline, sig);
    }

    // ------------------------------------------------------------ de-attestation ends access

    function test_attack_deattestedDoctorStillReads() public {
        _approveDelegation(colleague, _category(ECG));
        vm.prank(registrar);
        identity.revokeDoctor(doctor);
        assertFalse(consent.isGrantActive(patient, doctor), "de-attested doctor's grant reads as live");
        assertFalse(consent.grantCovers(patient, doctor, labRecord), "de-attested doctor reads");
        assertFalse(delegations.canRead(patient, doctor, labRecord), "de-attested doctor reads (registry)");
        assertFalse(delegations.isDelegationActive(patient, colleague), "its delegation outlives its attestation");
        assertFalse(delegations.canRead(patient, colleague, ecgRecord), "colleague reads through it");
        // Nothing new may be built on it either.
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(IConsentErrors.NoActiveGrant.selector, patient, doctor));
        delegations.requestDelegation(patient, address(0xC0FFEE), _category(ECG), delegationExpiry);
        // The patient can still revoke (and rotate keys).
        vm.prank(patient);
        consent.revokeAccess(doctor, 1);
    }

    function test_attack_expiredAttestationStillReads() public {
        vm.prank(patient);
        consent.grantAccess(doctor, _all(), uint40(START + 400 days)); // outlives the attestation (365 days)
        vm.warp(START + 366 days);
        assertFalse(consent.isGrantActive(patient, doctor), "grant of a doctor with an expired attestation live");
        assertFalse(delegations.canRead(patient, doctor, labRecord), "doctor with an expired attestation reads");
        // Renewed by the registrar, the unexpired, unrevoked grant reads again.
        vm.prank(registrar);
        identity.attestDoctor(doctor, uint40(START + 730 days));
        assertTrue(delegations.canRead(patient, doctor, labRecord), "re-attested doctor reads again");
    }

    function test_attack_deattestedColleagueStillReads() public {
        _approveDelegation(colleague, _category(ECG));
        vm.prank(registrar);
        identity.revokeDoctor(colleague);
        assertFalse(delegations.isDelegationActive(patient, colleague), "delegation to a de-attested colleague live");
        assertFalse(delegations.canRead(patient, colleague, ecgRecord), "de-attested colleague reads");
    }

    /// An approval given while the colleague is not attested records the patient's decision, but reads nothing until
    /// the colleague is attested again (and only while the delegation's other terms still hold).
    function test_approvalForDeattestedColleagueIsNotLive() public {
        vm.prank(registrar);
        identity.revokeDoctor(colleague);
        _approveDelegation(colleague, _category(ECG));
        assertFalse(delegations.isDelegationActive(patient, colleague), "live without an attestation");
        assertFalse(delegations.canRead(patient, colleague, ecgRecord), "reads without an attestation");
        vm.prank(registrar);
        identity.attestDoctor(colleague, uint40(START + 365 days));
        assertTrue(delegations.canRead(patient, colleague, ecgRecord), "attested again");
    }

    function test_removedRegistrarVoidsAccess() public {
        vm.prank(admin);
        identity.setRegistrar(registrar, false);
        assertFalse(consent.grantCovers(patient, doctor, ecgRecord), "attested by a removed registrar");
    }

    // ------------------------------------------------------------ audit: replacing a grant says what it ended

    function test_replacingLiveGrant_namesTheGrantItEnds() public {
        _approveDelegation(colleague, _category(ECG));
        uint40 expiresAt = uint40(START + 10 days);
        vm.expectEmit(address(consent));
        emit IConsentManager.AccessGranted(patient, doctor, patient, 2, _category(LAB), expiresAt, 1);
        vm.prank(patient);
        consent.grantAccess(doctor, _category(LAB), expiresAt);
        assertFalse(delegations.isDelegationActive(patient, colleague), "delegation ended with its grant");
    }

    function test_replacingEndedGrant_namesNone() public {
        vm.prank(patient);
        consent.revokeAccess(doctor, 1);
        uint40 expiresAt = uint40(START + 10 days);
        vm.expectEmit(address(consent));
        emit IConsentManager.AccessGranted(patient, doctor, patient, 2, _all(), expiresAt, 0);
        vm.prank(patient);
        consent.grantAccess(doctor, _all(), expiresAt);
    }

    // ------------------------------------------------------------ statistics: registered patients only

    function test_attack_sybilReports() public {
        uint64 round = reports.openRound(keccak256("schema"), uint64(START + 1 days));
        for (uint160 i = 1; i <= 3; ++i) {
            address sybil = address(0x5B11 * i);
            vm.prank(sybil);
            vm.expectRevert(abi.encodeWithSelector(IDiseaseReports.UnregisteredReporter.selector, sybil));
            reports.submitReport(round, hex"01");
            assertFalse(reports.hasReported(round, sybil), "unregistered address reported");
        }
        vm.prank(patient);
        identity.register(ENCRYPTION_KEY);
        vm.prank(patient);
        reports.submitReport(round, hex"01");
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IDiseaseReports.ReportAlreadySubmitted.selector, round, patient));
        reports.submitReport(round, hex"02");
    }

    function test_fuzz_unregisteredNeverReports(address sybil) public {
        vm.assume(!identity.isRegistered(sybil));
        uint64 round = reports.openRound(keccak256("schema"), uint64(START + 1 days));
        vm.prank(sybil);
        vm.expectRevert(abi.encodeWithSelector(IDiseaseReports.UnregisteredReporter.selector, sybil));
        reports.submitReport(round, hex"01");
    }
}
