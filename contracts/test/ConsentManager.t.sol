// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ConsentManager} from "../src/consent/ConsentManager.sol";
import {Scope, ScopeKind} from "../src/consent/Scope.sol";
import {IConsentManager} from "../src/interfaces/IConsentManager.sol";
import {IEIP712Relayed} from "../src/interfaces/IEIP712Relayed.sol";
import {IConsentErrors, IRecordOwnerErrors} from "../src/interfaces/ISharedErrors.sol";
import {Fixture} from "./utils/Fixture.sol";

contract ConsentManagerTest is Fixture {
    uint16 internal constant PURPOSE = PURPOSE_TREAT;
    bytes32 internal ecgRecord;
    bytes32 internal labRecord;

    function setUp() public override {
        super.setUp();
        ecgRecord = _anchor(patient, "ecg-envelope", ECG);
        labRecord = _anchor(patient, "lab-envelope", LAB);
    }

    // ------------------------------------------------------------ requests

    function test_requestAccess_storesPendingAndEmits() public {
        vm.expectEmit(address(consent));
        emit IConsentManager.AccessRequested(patient, doctor, 1, _category(ECG), PURPOSE, 30 days);
        vm.prank(doctor);
        consent.requestAccess(patient, _category(ECG), PURPOSE, 30 days);
        IConsentManager.AccessRequest memory request = consent.requestOf(patient, doctor);
        assertTrue(request.status == IConsentManager.RequestStatus.Pending, "pending");
        assertEq(request.category, ECG, "category");
        assertEq(request.duration, 30 days, "duration");
        assertFalse(consent.isGrantActive(patient, doctor), "a request grants nothing");
    }

    function test_requestAccess_revertsForNonDoctor() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IConsentErrors.NotDoctor.selector, stranger));
        consent.requestAccess(patient, _all(), PURPOSE, 1 days);
    }

    function test_requestAccess_revertsOnMalformedScope() public {
        Scope memory scope = _all();
        scope.category = 3;
        vm.prank(doctor);
        vm.expectRevert(IConsentErrors.InvalidScope.selector);
        consent.requestAccess(patient, scope, PURPOSE, 1 days);
        scope = _category(ECG);
        scope.recordIds = new bytes32[](1);
        vm.prank(doctor);
        vm.expectRevert(IConsentErrors.InvalidScope.selector);
        consent.requestAccess(patient, scope, PURPOSE, 1 days);
        scope.kind = ScopeKind.Records;
        scope.category = 0;
        scope.recordIds = new bytes32[](65);
        vm.prank(doctor);
        vm.expectRevert(IConsentErrors.InvalidScope.selector);
        consent.requestAccess(patient, scope, PURPOSE, 1 days);
    }

    function test_requestAccess_revertsOnInvalidDuration() public {
        vm.startPrank(doctor);
        vm.expectRevert(abi.encodeWithSelector(IConsentManager.InvalidDuration.selector, uint32(0)));
        consent.requestAccess(patient, _all(), PURPOSE, 0);
        uint32 tooLong = consent.MAX_DURATION() + 1;
        vm.expectRevert(abi.encodeWithSelector(IConsentManager.InvalidDuration.selector, tooLong));
        consent.requestAccess(patient, _all(), PURPOSE, tooLong);
        vm.stopPrank();
    }

    function test_requestAccess_revertsWhenPending() public {
        vm.startPrank(doctor);
        consent.requestAccess(patient, _all(), PURPOSE, 1 days);
        vm.expectRevert(abi.encodeWithSelector(IConsentManager.RequestAlreadyPending.selector, patient, doctor));
        consent.requestAccess(patient, _all(), PURPOSE, 1 days);
        vm.stopPrank();
    }

    function test_requestAccess_purposeVocabularyIsStable() public view {
        assertEq(consent.PURPOSE_TREAT(), 1, "TREAT");
        assertEq(consent.PURPOSE_ETREAT(), 2, "ETREAT");
        assertEq(consent.PURPOSE_HPAYMT(), 3, "HPAYMT");
        assertEq(consent.PURPOSE_HRESCH(), 4, "HRESCH");
        assertEq(consent.PURPOSE_HOPERAT(), 5, "HOPERAT");
        assertEq(consent.PURPOSE_PUBHLTH(), 6, "PUBHLTH");
        assertEq(consent.PURPOSE_PATRQT(), 7, "PATRQT");
        assertEq(consent.PURPOSE_CAREMGT(), 8, "CAREMGT");
        assertEq(consent.PURPOSE_HSYSADMIN(), 9, "HSYSADMIN");
        assertEq(consent.PURPOSE_CLINTRCH(), 10, "CLINTRCH");
        assertEq(consent.MAX_PURPOSE(), 10, "highest code");
    }

    function test_requestAccess_revertsOnNoPurpose() public {
        vm.prank(doctor);
        vm.expectRevert(IConsentErrors.InvalidPurpose.selector);
        consent.requestAccess(patient, _all(), 0, 1 days);
    }

    function test_requestAccess_revertsOnUnknownPurpose() public {
        uint16 next = consent.MAX_PURPOSE() + 1;
        vm.prank(doctor);
        vm.expectRevert(IConsentErrors.InvalidPurpose.selector);
        consent.requestAccess(patient, _all(), next, 1 days);
        vm.prank(doctor);
        vm.expectRevert(IConsentErrors.InvalidPurpose.selector);
        consent.requestAccess(patient, _all(), type(uint16).max, 1 days);
    }

    /// Free text cannot be a purpose: text short enough to pass as a uint16 ("TR", "hi") is an unknown code, and
    /// a word of text in the purpose slot (the old `bytes32` form) is refused by the ABI decoder before any check.
    function test_requestAccess_revertsOnFreeTextPurpose() public {
        vm.prank(doctor);
        vm.expectRevert(IConsentErrors.InvalidPurpose.selector);
        consent.requestAccess(patient, _all(), uint16(bytes2("TR")), 1 days);
        vm.prank(doctor);
        vm.expectRevert(IConsentErrors.InvalidPurpose.selector);
        consent.requestAccess(patient, _all(), uint16(bytes2("hi")), 1 days);

        bytes memory data = abi.encodeCall(ConsentManager.requestAccess, (patient, _all(), PURPOSE, 1 days));
        bytes32 text = bytes32("hiv-antiretroviral-followup");
        // The purpose is the third head word, after the selector, the patient and the scope's offset.
        assembly {
            mstore(add(data, add(32, add(4, 64))), text)
        }
        vm.prank(doctor);
        (bool ok,) = address(consent).call(data);
        assertFalse(ok, "a word of text is not a uint16");
        bytes memory oldForm = abi.encodeWithSignature(
            "requestAccess(address,(uint8,uint16,bytes32[]),bytes32,uint32)", patient, _all(), text, uint32(1 days)
        );
        vm.prank(doctor);
        (ok,) = address(consent).call(oldForm);
        assertFalse(ok, "the free-text form is gone");
        assertTrue(consent.requestOf(patient, doctor).status == IConsentManager.RequestStatus.None, "nothing pending");
    }

    function test_requestAccess_acceptsEveryCodeOfTheVocabulary() public {
        for (uint16 purpose = 1; purpose <= consent.MAX_PURPOSE(); purpose++) {
            vm.expectEmit(address(consent));
            emit IConsentManager.AccessRequested(patient, doctor, purpose, _all(), purpose, 1 days);
            vm.prank(doctor);
            consent.requestAccess(patient, _all(), purpose, 1 days);
            vm.prank(patient);
            consent.rejectRequest(doctor, purpose);
        }
    }

    function test_fuzz_requestAccess_acceptsExactlyTheVocabulary(uint16 purpose) public {
        bool known = purpose >= 1 && purpose <= consent.MAX_PURPOSE();
        if (!known) vm.expectRevert(IConsentErrors.InvalidPurpose.selector);
        else {
            vm.expectEmit(address(consent));
            emit IConsentManager.AccessRequested(patient, doctor, 1, _all(), purpose, 1 days);
        }
        vm.prank(doctor);
        consent.requestAccess(patient, _all(), purpose, 1 days);
        assertEq(
            consent.requestOf(patient, doctor).status == IConsentManager.RequestStatus.Pending, known, "pending iff known"
        );
    }

    // ------------------------------------------------------------ grants

    function test_grantAccess_answersRequestAndEmits() public {
        vm.prank(doctor);
        consent.requestAccess(patient, _category(ECG), PURPOSE, 30 days);
        vm.expectEmit(address(consent));
        emit IConsentManager.AccessGranted(patient, doctor, patient, 1, _category(ECG), uint40(START + 30 days), 0);
        uint32 serial = _grant(_category(ECG), 30 days);
        assertEq(serial, 1, "serial");
        assertTrue(consent.requestOf(patient, doctor).status == IConsentManager.RequestStatus.Granted, "granted");
        assertTrue(consent.isGrantActive(patient, doctor), "active");
        assertTrue(consent.grantCovers(patient, doctor, ecgRecord), "ECG in scope");
        assertFalse(consent.grantCovers(patient, doctor, labRecord), "lab out of scope");
        assertFalse(consent.grantCovers(patient, colleague, ecgRecord), "other doctor has nothing");
    }

    /// The grant and the latest request of a pair share one storage slot: writing either leaves the other intact.
    function test_fuzz_requestAndGrantShareASlotWithoutInterfering(
        uint16 grantCategory,
        uint32 grantDuration,
        uint16 requestCategory,
        uint32 requestDuration
    ) public {
        grantDuration = uint32(bound(grantDuration, 1, type(uint32).max));
        requestDuration = uint32(bound(requestDuration, 1, consent.MAX_DURATION()));
        _grant(_category(grantCategory), grantDuration);
        vm.warp(START + 1);
        vm.prank(doctor);
        consent.requestAccess(patient, _category(requestCategory), PURPOSE, requestDuration);

        IConsentManager.Grant memory grant = consent.grantOf(patient, doctor);
        assertEq(grant.serial, 1, "serial");
        assertTrue(grant.status == IConsentManager.GrantStatus.Active, "status");
        assertTrue(grant.kind == ScopeKind.Category, "kind");
        assertEq(grant.category, grantCategory, "category");
        assertEq(grant.grantedAt, START, "grantedAt");
        assertEq(grant.expiresAt, START + uint256(grantDuration), "expiresAt");
        IConsentManager.AccessRequest memory request = consent.requestOf(patient, doctor);
        assertTrue(request.status == IConsentManager.RequestStatus.Pending, "request status");
        assertTrue(request.kind == ScopeKind.Category, "request kind");
        assertEq(request.category, requestCategory, "request category");
        assertEq(request.duration, requestDuration, "request duration");
        assertEq(request.requestedAt, START + 1, "requestedAt");

        vm.prank(patient);
        consent.revokeAccess(doctor, 1);
        request = consent.requestOf(patient, doctor);
        assertTrue(request.status == IConsentManager.RequestStatus.Pending, "revoking leaves the request pending");
        assertEq(request.category, requestCategory, "request category after revoke");
        assertEq(consent.grantOf(patient, doctor).category, grantCategory, "grant category after revoke");
    }

    function test_grantAccess_allAndRecordsScopes() public {
        _grant(_all(), 1 days);
        assertTrue(consent.grantCovers(patient, doctor, labRecord), "all covers lab");
        bytes32 foreign = _anchor(stranger, "other", ECG);
        assertFalse(consent.grantCovers(patient, doctor, foreign), "all covers only the patient's records");
        _grant(_records(labRecord), 1 days);
        assertEq(consent.grantOf(patient, doctor).serial, 2, "replaced");
        assertTrue(consent.grantCovers(patient, doctor, labRecord), "listed");
        assertFalse(consent.grantCovers(patient, doctor, ecgRecord), "not listed");
        assertTrue(consent.isListed(patient, doctor, 2, labRecord), "isListed");
    }

    function test_grantAccess_revertsForNonDoctor() public {
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IConsentErrors.NotDoctor.selector, stranger));
        consent.grantAccess(stranger, _all(), uint40(START + 1));
    }

    function test_grantAccess_revertsOnMalformedScope() public {
        Scope memory scope = _records(ecgRecord);
        scope.category = 1;
        vm.prank(patient);
        vm.expectRevert(IConsentErrors.InvalidScope.selector);
        consent.grantAccess(doctor, scope, uint40(START + 1));
    }

    function test_grantAccess_revertsOnPastExpiry() public {
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IConsentErrors.InvalidExpiry.selector, uint40(START)));
        consent.grantAccess(doctor, _all(), uint40(START));
    }

    function test_grantAccess_revertsOnForeignRecord() public {
        bytes32 foreign = _anchor(stranger, "other", ECG);
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IRecordOwnerErrors.NotRecordOwner.selector, foreign, patient));
        consent.grantAccess(doctor, _records(foreign), uint40(START + 1));
    }

    function test_grant_expires() public {
        _grant(_all(), 1 hours);
        vm.warp(START + 1 hours - 1);
        assertTrue(consent.grantCovers(patient, doctor, ecgRecord), "live before expiry");
        vm.warp(START + 1 hours);
        assertFalse(consent.isGrantActive(patient, doctor), "expired");
        assertFalse(consent.grantCovers(patient, doctor, ecgRecord), "no access after expiry");
    }

    function test_grantAccessBySig() public {
        uint40 expiresAt = uint40(START + 1 days);
        bytes memory sig = _grantSig(doctor, _all(), expiresAt, 0, START + 1 hours);
        vm.expectEmit(address(consent));
        emit IConsentManager.AccessGranted(patient, doctor, relayer, 1, _all(), expiresAt, 0);
        vm.prank(relayer);
        consent.grantAccessBySig(patient, doctor, _all(), expiresAt, START + 1 hours, sig);
        assertTrue(consent.isGrantActive(patient, doctor), "granted by signature");
    }

    function test_grantAccessBySig_revertsOnWidenedScope() public {
        uint40 expiresAt = uint40(START + 1 days);
        bytes memory sig = _grantSig(doctor, _category(ECG), expiresAt, 0, START + 1 hours);
        vm.expectRevert(IEIP712Relayed.InvalidSignature.selector);
        consent.grantAccessBySig(patient, doctor, _all(), expiresAt, START + 1 hours, sig);
    }

    // ------------------------------------------------------------ reject

    function test_rejectRequest() public {
        vm.prank(doctor);
        consent.requestAccess(patient, _all(), PURPOSE, 1 days);
        vm.expectEmit(address(consent));
        emit IConsentManager.AccessRequestRejected(patient, doctor, patient, 1);
        vm.prank(patient);
        consent.rejectRequest(doctor, 1);
        assertTrue(consent.requestOf(patient, doctor).status == IConsentManager.RequestStatus.Rejected, "rejected");
        vm.prank(doctor);
        consent.requestAccess(patient, _all(), PURPOSE, 1 days);
    }

    function test_rejectRequest_revertsWithoutPending() public {
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IConsentManager.NoPendingRequest.selector, patient, doctor));
        consent.rejectRequest(doctor, 0);
    }

    function test_rejectRequest_revertsOnAnotherRequest() public {
        vm.prank(doctor);
        consent.requestAccess(patient, _all(), PURPOSE, 1 days);
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IConsentManager.RequestSerialMismatch.selector, patient, doctor, 2, 1));
        consent.rejectRequest(doctor, 2);
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IConsentManager.RequestSerialMismatch.selector, patient, doctor, 0, 1));
        consent.rejectRequest(doctor, 0);
        assertTrue(consent.requestOf(patient, doctor).status == IConsentManager.RequestStatus.Pending, "untouched");
    }

    function test_rejectRequest_revertsTwice() public {
        vm.prank(doctor);
        consent.requestAccess(patient, _all(), PURPOSE, 1 days);
        vm.startPrank(patient);
        consent.rejectRequest(doctor, 1);
        vm.expectRevert(abi.encodeWithSelector(IConsentManager.NoPendingRequest.selector, patient, doctor));
        consent.rejectRequest(doctor, 1);
        vm.stopPrank();
    }

    function test_rejectRequestBySig() public {
        vm.prank(doctor);
        consent.requestAccess(patient, _all(), PURPOSE, 1 days);
        bytes memory sig = _sign(
            patientKey,
            consent,
            keccak256(abi.encode(consent.REJECT_REQUEST_TYPEHASH(), patient, doctor, uint32(1), 0, START + 60))
        );
        vm.prank(relayer);
        consent.rejectRequestBySig(patient, doctor, 1, START + 60, sig);
        assertTrue(consent.requestOf(patient, doctor).status == IConsentManager.RequestStatus.Rejected, "rejected");
    }

    // ------------------------------------------------------------ revoke

    function test_revokeAccess_endsAccessAndBumpsEpoch() public {
        _grant(_all(), 1 days);
        vm.expectEmit(address(consent));
        emit IConsentManager.AccessRevoked(patient, doctor, patient, 1, 1);
        vm.prank(patient);
        assertEq(consent.revokeAccess(doctor, 1), 1, "epoch");
        assertEq(consent.keyEpochOf(patient), 1, "stored epoch");
        assertFalse(consent.isGrantActive(patient, doctor), "revoked");
        assertFalse(consent.grantCovers(patient, doctor, ecgRecord), "no access");
    }

    function test_revokeAccess_revertsWithoutGrant() public {
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IConsentErrors.NoActiveGrant.selector, patient, doctor));
        consent.revokeAccess(doctor, 0);
    }

    function test_revokeAccess_revertsOnAnotherGrant() public {
        _grant(_all(), 1 days);
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IConsentManager.GrantSerialMismatch.selector, patient, doctor, 2, 1));
        consent.revokeAccess(doctor, 2);
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IConsentManager.GrantSerialMismatch.selector, patient, doctor, 0, 1));
        consent.revokeAccess(doctor, 0);
        assertTrue(consent.isGrantActive(patient, doctor), "untouched");
    }

    function test_revokeAccess_revertsTwice() public {
        _grant(_all(), 1 days);
        vm.startPrank(patient);
        consent.revokeAccess(doctor, 1);
        vm.expectRevert(abi.encodeWithSelector(IConsentErrors.NoActiveGrant.selector, patient, doctor));
        consent.revokeAccess(doctor, 1);
        vm.stopPrank();
    }

    function test_revokeAccess_onlyThePatient() public {
        _grant(_all(), 1 days);
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(IConsentManager.GrantSerialMismatch.selector, doctor, doctor, 1, 0));
        consent.revokeAccess(doctor, 1);
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(IConsentErrors.NoActiveGrant.selector, doctor, doctor));
        consent.revokeAccess(doctor, 0);
        assertTrue(consent.isGrantActive(patient, doctor), "untouched");
    }

    function test_revokeAccessBySig() public {
        _grant(_all(), 1 days);
        bytes memory sig = _sign(
            patientKey,
            consent,
            keccak256(abi.encode(consent.REVOKE_ACCESS_TYPEHASH(), patient, doctor, uint32(1), 0, START + 60))
        );
        vm.prank(relayer);
        consent.revokeAccessBySig(patient, doctor, 1, START + 60, sig);
        assertFalse(consent.isGrantActive(patient, doctor), "revoked");
    }

    // ------------------------------------------------------------ fuzz

    function test_fuzz_grantLiveExactlyUntilExpiry(uint32 duration, uint32 elapsed) public {
        duration = uint32(bound(duration, 1, 5 * 365 days));
        vm.prank(registrar);
        identity.attestDoctor(doctor, type(uint40).max); // the attestation outlives every grant here
        _grant(_all(), duration);
        vm.warp(START + elapsed);
        assertEq(consent.isGrantActive(patient, doctor), elapsed < duration, "live iff before expiry");
    }

    function test_fuzz_revokedNeverActive(uint32 duration, uint32 elapsed) public {
        duration = uint32(bound(duration, 1, 5 * 365 days));
        _grant(_all(), duration);
        vm.warp(START + bound(elapsed, 0, duration - 1));
        vm.prank(patient);
        consent.revokeAccess(doctor, 1);
        assertFalse(consent.isGrantActive(patient, doctor), "revoked grant is never active");
        assertFalse(consent.grantCovers(patient, doctor, ecgRecord), "and gives no access");
    }

    function test_fuzz_categoryScope(uint16 granted, uint16 recordCategory) public {
        bytes32 recordId = _anchor(patient, abi.encode(recordCategory), recordCategory);
        _grant(_category(granted), 1 days);
        assertEq(consent.grantCovers(patient, doctor, recordId), granted == recordCategory, "category match");
    }
}
