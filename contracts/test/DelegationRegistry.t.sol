// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Scope} from "../src/consent/Scope.sol";
import {IDelegationRegistry} from "../src/interfaces/IDelegationRegistry.sol";
import {IConsentErrors} from "../src/interfaces/ISharedErrors.sol";
import {Fixture} from "./utils/Fixture.sol";

contract DelegationRegistryTest is Fixture {
    bytes32 internal ecgRecord;
    bytes32 internal labRecord;
    uint40 internal grantExpiry;
    Scope internal requested;

    function setUp() public override {
        super.setUp();
        ecgRecord = _anchor(patient, "ecg-envelope", ECG);
        labRecord = _anchor(patient, "lab-envelope", LAB);
        grantExpiry = uint40(START + 30 days);
    }

    function _request(Scope memory scope, uint40 expiresAt) internal {
        vm.prank(doctor);
        delegations.requestDelegation(patient, colleague, scope, expiresAt);
        requested = scope;
    }

    function _approve() internal {
        _approveDelegation(colleague, requested);
    }

    function test_lifecycle_requestApproveAccess() public {
        _grant(_all(), 30 days);
        vm.expectEmit(address(delegations));
        emit IDelegationRegistry.DelegationRequested(patient, doctor, colleague, 1, 1, _category(ECG), grantExpiry);
        _request(_category(ECG), grantExpiry);
        assertFalse(delegations.canRead(patient, colleague, ecgRecord), "pending gives nothing");
        vm.expectEmit(address(delegations));
        emit IDelegationRegistry.DelegationApproved(patient, colleague, patient, doctor, 1, grantExpiry);
        _approve();
        assertTrue(delegations.isDelegationActive(patient, colleague), "active");
        assertTrue(delegations.canRead(patient, colleague, ecgRecord), "delegated ECG");
        assertFalse(delegations.canRead(patient, colleague, labRecord), "lab not delegated");
        assertTrue(delegations.canRead(patient, doctor, labRecord), "doctor's own grant answers too");
        IDelegationRegistry.Delegation memory d = delegations.delegationOf(patient, colleague);
        assertEq(d.doctor, doctor, "doctor");
        assertEq(d.parentSerial, 1, "parent serial");
    }

    function test_revokingDoctor_cascadesToColleague() public {
        _grant(_all(), 30 days);
        _request(_all(), grantExpiry);
        _approve();
        vm.prank(patient);
        consent.revokeAccess(doctor, 1);
        assertFalse(delegations.isDelegationActive(patient, colleague), "cascaded");
        assertFalse(delegations.canRead(patient, colleague, ecgRecord), "colleague lost access");
        _grant(_all(), 30 days);
        assertFalse(delegations.isDelegationActive(patient, colleague), "a new grant does not revive it");
    }

    function test_delegationExpires() public {
        _grant(_all(), 30 days);
        _request(_all(), uint40(START + 1 days));
        _approve();
        vm.warp(START + 1 days);
        assertFalse(delegations.canRead(patient, colleague, ecgRecord), "expired");
    }

    function test_recordsScope_subsetOfCategoryGrant() public {
        _grant(_category(ECG), 30 days);
        _request(_records(ecgRecord), grantExpiry);
        _approve();
        assertTrue(delegations.canRead(patient, colleague, ecgRecord), "listed");
        assertFalse(delegations.canRead(patient, colleague, labRecord), "not listed");
    }

    function test_recordsScope_subsetOfRecordsGrant() public {
        _grant(_records(ecgRecord), 30 days);
        _request(_records(ecgRecord), grantExpiry);
        _approve();
        assertTrue(delegations.canRead(patient, colleague, ecgRecord), "listed");
    }

    function test_requestDelegation_revertsWhenScopeExceedsGrant() public {
        _grant(_category(ECG), 30 days);
        vm.startPrank(doctor);
        vm.expectRevert(IDelegationRegistry.ScopeExceedsGrant.selector);
        delegations.requestDelegation(patient, colleague, _all(), grantExpiry);
        vm.expectRevert(IDelegationRegistry.ScopeExceedsGrant.selector);
        delegations.requestDelegation(patient, colleague, _category(LAB), grantExpiry);
        vm.expectRevert(IDelegationRegistry.ScopeExceedsGrant.selector);
        delegations.requestDelegation(patient, colleague, _records(labRecord), grantExpiry);
        vm.stopPrank();
    }

    function test_requestDelegation_revertsWhenRecordsGrantNarrower() public {
        _grant(_records(ecgRecord), 30 days);
        vm.startPrank(doctor);
        vm.expectRevert(IDelegationRegistry.ScopeExceedsGrant.selector);
        delegations.requestDelegation(patient, colleague, _category(ECG), grantExpiry);
        vm.expectRevert(IDelegationRegistry.ScopeExceedsGrant.selector);
        delegations.requestDelegation(patient, colleague, _records(labRecord), grantExpiry);
        vm.stopPrank();
    }

    function test_requestDelegation_revertsOnForeignRecordUnderAllGrant() public {
        _grant(_all(), 30 days);
        bytes32 foreign = _anchor(stranger, "x", ECG);
        vm.prank(doctor);
        vm.expectRevert(IDelegationRegistry.ScopeExceedsGrant.selector);
        delegations.requestDelegation(patient, colleague, _records(foreign), grantExpiry);
    }

    function test_requestDelegation_revertsWithoutGrant() public {
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(IConsentErrors.NoActiveGrant.selector, patient, doctor));
        delegations.requestDelegation(patient, colleague, _all(), grantExpiry);
    }

    function test_requestDelegation_revertsOnInvalidColleague() public {
        _grant(_all(), 30 days);
        vm.startPrank(doctor);
        vm.expectRevert(abi.encodeWithSelector(IDelegationRegistry.InvalidColleague.selector, doctor));
        delegations.requestDelegation(patient, doctor, _all(), grantExpiry);
        vm.expectRevert(abi.encodeWithSelector(IDelegationRegistry.InvalidColleague.selector, patient));
        delegations.requestDelegation(patient, patient, _all(), grantExpiry);
        vm.expectRevert(abi.encodeWithSelector(IConsentErrors.NotDoctor.selector, stranger));
        delegations.requestDelegation(patient, stranger, _all(), grantExpiry);
        vm.stopPrank();
    }

    function test_requestDelegation_revertsOnMalformedScope() public {
        _grant(_all(), 30 days);
        Scope memory scope = _all();
        scope.category = 9;
        vm.prank(doctor);
        vm.expectRevert(IConsentErrors.InvalidScope.selector);
        delegations.requestDelegation(patient, colleague, scope, grantExpiry);
    }

    function test_requestDelegation_revertsOnExpiryBeyondGrant() public {
        _grant(_all(), 30 days);
        vm.startPrank(doctor);
        vm.expectRevert(abi.encodeWithSelector(IConsentErrors.InvalidExpiry.selector, grantExpiry + 1));
        delegations.requestDelegation(patient, colleague, _all(), grantExpiry + 1);
        vm.expectRevert(abi.encodeWithSelector(IConsentErrors.InvalidExpiry.selector, uint40(START)));
        delegations.requestDelegation(patient, colleague, _all(), uint40(START));
        vm.stopPrank();
    }

    function test_requestDelegation_revertsWhenExists() public {
        _grant(_all(), 30 days);
        _request(_all(), grantExpiry);
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(IDelegationRegistry.DelegationAlreadyExists.selector, patient, colleague));
        delegations.requestDelegation(patient, colleague, _all(), grantExpiry);
    }

    function test_approveDelegation_onlyThePatient() public {
        _grant(_all(), 30 days);
        _request(_all(), grantExpiry);
        (address d, uint32 serial, bytes32 scopeHash, uint40 expiresAt) = _terms(colleague, _all());
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(IDelegationRegistry.NoPendingDelegation.selector, doctor, colleague));
        delegations.approveDelegation(colleague, IDelegationRegistry.DelegationTerms(d, serial, scopeHash, expiresAt));
        assertFalse(delegations.isDelegationActive(patient, colleague), "not approved by the doctor");
    }

    function test_approveDelegation_revertsWhenParentChanged() public {
        _grant(_all(), 30 days);
        _request(_all(), grantExpiry);
        _grant(_all(), 30 days);
        (address d, uint32 serial, bytes32 scopeHash, uint40 expiresAt) = _terms(colleague, _all());
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IDelegationRegistry.ParentGrantChanged.selector, patient, doctor));
        delegations.approveDelegation(colleague, IDelegationRegistry.DelegationTerms(d, serial, scopeHash, expiresAt));
    }

    function test_approveDelegationBySig() public {
        _grant(_all(), 30 days);
        _request(_all(), grantExpiry);
        bytes memory sig = _approveDelegationSig(doctor, 1, _scopeHash(_all()), grantExpiry, 0, START + 60);
        vm.prank(relayer);
        delegations.approveDelegationBySig(
            patient, colleague, IDelegationRegistry.DelegationTerms(doctor, 1, _scopeHash(_all()), grantExpiry), START + 60, sig
        );
        assertTrue(delegations.isDelegationActive(patient, colleague), "approved by signature");
    }

    function test_rejectDelegation() public {
        _grant(_all(), 30 days);
        _request(_all(), grantExpiry);
        vm.expectEmit(address(delegations));
        emit IDelegationRegistry.DelegationRejected(patient, colleague, patient, 1);
        vm.prank(patient);
        delegations.rejectDelegation(colleague, 1);
        (address d, uint32 serial, bytes32 scopeHash, uint40 expiresAt) = _terms(colleague, _all());
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IDelegationRegistry.NoPendingDelegation.selector, patient, colleague));
        delegations.approveDelegation(colleague, IDelegationRegistry.DelegationTerms(d, serial, scopeHash, expiresAt));
    }

    function test_rejectDelegation_revertsOnAnotherRequest() public {
        _grant(_all(), 30 days);
        _request(_all(), grantExpiry);
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IDelegationRegistry.DelegationMismatch.selector, patient, colleague, 2));
        delegations.rejectDelegation(colleague, 2);
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IDelegationRegistry.DelegationMismatch.selector, patient, colleague, 0));
        delegations.rejectDelegation(colleague, 0);
        assertTrue(
            delegations.delegationOf(patient, colleague).status == IDelegationRegistry.DelegationStatus.Pending,
            "untouched"
        );
    }

    function test_rejectDelegation_revertsWithoutPending() public {
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IDelegationRegistry.NoPendingDelegation.selector, patient, colleague));
        delegations.rejectDelegation(colleague, 0);
    }

    function test_rejectDelegationBySig() public {
        _grant(_all(), 30 days);
        _request(_all(), grantExpiry);
        bytes memory sig = _sign(
            patientKey,
            delegations,
            keccak256(abi.encode(delegations.REJECT_DELEGATION_TYPEHASH(), patient, colleague, uint32(1), 0, START + 60))
        );
        delegations.rejectDelegationBySig(patient, colleague, 1, START + 60, sig);
        assertTrue(
            delegations.delegationOf(patient, colleague).status == IDelegationRegistry.DelegationStatus.Rejected,
            "rejected"
        );
    }

    function test_revokeDelegation_byPatientOrDoctor() public {
        _grant(_all(), 30 days);
        _request(_all(), grantExpiry);
        _approve();
        vm.expectEmit(address(delegations));
        emit IDelegationRegistry.DelegationRevoked(patient, colleague, doctor, 1);
        vm.prank(doctor);
        delegations.revokeDelegation(patient, colleague, 1);
        assertFalse(delegations.canRead(patient, colleague, ecgRecord), "revoked");
        _request(_all(), grantExpiry);
        vm.prank(patient);
        delegations.revokeDelegation(patient, colleague, 2);
    }

    function test_revokeDelegation_revertsForStranger() public {
        _grant(_all(), 30 days);
        _request(_all(), grantExpiry);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IDelegationRegistry.NotAuthorized.selector, stranger));
        delegations.revokeDelegation(patient, colleague, 1);
    }

    function test_revokeDelegation_revertsWithoutDelegation() public {
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IDelegationRegistry.NoDelegation.selector, patient, colleague));
        delegations.revokeDelegation(patient, colleague, 0);
    }

    function test_revokeDelegationBySig() public {
        _grant(_all(), 30 days);
        _request(_all(), grantExpiry);
        _approve();
        bytes memory sig = _sign(
            patientKey,
            delegations,
            keccak256(abi.encode(delegations.REVOKE_DELEGATION_TYPEHASH(), patient, colleague, uint32(1), 0, START + 60))
        );
        delegations.revokeDelegationBySig(patient, colleague, 1, START + 60, sig);
        assertFalse(delegations.isDelegationActive(patient, colleague), "revoked");
    }

    function test_fuzz_delegatedCategoryNeverExceedsGrant(uint16 granted, uint16 delegated) public {
        _grant(_category(granted), 30 days);
        vm.prank(doctor);
        if (granted != delegated) vm.expectRevert(IDelegationRegistry.ScopeExceedsGrant.selector);
        delegations.requestDelegation(patient, colleague, _category(delegated), grantExpiry);
    }
}
