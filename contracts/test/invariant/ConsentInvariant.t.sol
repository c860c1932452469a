// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ConsentManager} from "../../src/consent/ConsentManager.sol";
import {DelegationRegistry} from "../../src/consent/DelegationRegistry.sol";
import {IdentityRegistry} from "../../src/identity/IdentityRegistry.sol";
import {IDelegationRegistry} from "../../src/interfaces/IDelegationRegistry.sol";
import {RecordRegistry} from "../../src/records/RecordRegistry.sol";
import {Test} from "../utils/Test.sol";
import {ConsentHandler} from "./ConsentHandler.sol";

/// Invariants of the consent state machine, checked after every call of every run (`FOUNDRY_PROFILE=ci`: 10,000 runs):
/// - no access without a live grant (direct) or a live, patient-approved delegation under a live grant;
/// - only the patient grants, revokes or approves a delegation (the chain state equals the model of the patient's
///   own actions; forged signatures and doctors acting for patients never succeed);
/// - a revoked or expired grant never reads as active;
/// - a delegate's access is a subset of the delegating doctor's;
/// - a relayed signature cannot be replayed with the same nonce, on another contract or for another chain;
/// - an approval names the delegation request it approves (a swapped request is never approved by it), a relayed
///   revocation names the grant it ends, a direct rejection or revocation names the request or grant it ends (a
///   late copy never ends a later one), and a cancelled signature is never relayed;
/// - a doctor or colleague without a current attestation holds no live grant and no live delegation.
abstract contract ConsentInvariantBase is Test {
    ConsentHandler internal handler;
    IdentityRegistry internal identity;
    ConsentManager internal consent;
    DelegationRegistry internal delegations;

    function setUp() public virtual {
        vm.warp(1_700_000_000);
        address registrar = address(0x5EC);
        identity = new IdentityRegistry(address(this));
        identity.setRegistrar(registrar, true);
        RecordRegistry records = new RecordRegistry();
        consent = new ConsentManager(identity, records);
        ConsentManager twin = new ConsentManager(identity, records);
        delegations = new DelegationRegistry(consent);
        address[3] memory doctors = [address(0xD1), address(0xD2), address(0xD3)];
        for (uint256 i; i < 3; ++i) {
            vm.prank(doctors[i]);
            identity.register(bytes32(uint256(i + 1)));
            vm.prank(registrar);
            identity.attestDoctor(doctors[i], type(uint40).max);
        }
        handler = new ConsentHandler(consent, twin, delegations, doctors);
        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](15);
        selectors[0] = ConsentHandler.request.selector;
        selectors[1] = ConsentHandler.grant.selector;
        selectors[2] = ConsentHandler.grantBySig.selector;
        selectors[3] = ConsentHandler.reject.selector;
        selectors[4] = ConsentHandler.revoke.selector;
        selectors[5] = ConsentHandler.requestDelegation.selector;
        selectors[6] = ConsentHandler.approveDelegation.selector;
        selectors[7] = ConsentHandler.revokeDelegation.selector;
        selectors[8] = ConsentHandler.warp.selector;
        selectors[9] = ConsentHandler.impersonate.selector;
        selectors[10] = ConsentHandler.swapDelegation.selector;
        selectors[11] = ConsentHandler.staleRevoke.selector;
        selectors[12] = ConsentHandler.cancelledGrant.selector;
        selectors[13] = ConsentHandler.attest.selector;
        selectors[14] = ConsentHandler.staleReject.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    function _checkAll() internal view {
        assertFalse(handler.breach(), handler.breachReason());
        for (uint256 p; p < 2; ++p) {
            address patient = handler.patients(p);
            for (uint256 d; d < 3; ++d) {
                address reader = handler.doctors(d);
                _checkGrant(patient, reader);
                _checkDelegation(patient, reader);
            }
        }
    }

    /// The grant reads as active exactly when the patient's own last decision says so and it has not expired.
    function _checkGrant(address patient, address doctor) internal view {
        bool live = handler.modelGranted(patient, doctor) && block.timestamp < handler.modelExpiry(patient, doctor)
            && handler.modelAttested(doctor);
        assertEq(consent.isGrantActive(patient, doctor), live, "grant state differs from the patient's decisions");
        if (handler.modelGranted(patient, doctor)) {
            assertEq(consent.grantOf(patient, doctor).serial, handler.modelSerial(patient, doctor), "serial");
        }
        if (live) return;
        for (uint256 r; r < 2; ++r) {
            assertFalse(consent.grantCovers(patient, doctor, handler.recordIdOf(patient, r)), "access without a live grant");
        }
    }

    /// A colleague's delegated access needs the patient's approval, a live parent grant, and stays within it.
    function _checkDelegation(address patient, address colleague) internal view {
        IDelegationRegistry.Delegation memory delegation = delegations.delegationOf(patient, colleague);
        if (delegation.status == IDelegationRegistry.DelegationStatus.None) return;
        bool active = delegations.isDelegationActive(patient, colleague);
        if (active) {
            assertTrue(handler.modelDelegationApproved(patient, colleague), "delegation active without approval");
            assertTrue(consent.isGrantActive(patient, delegation.doctor), "delegation outlived the doctor's grant");
            assertTrue(block.timestamp < delegation.expiresAt, "expired delegation active");
            assertTrue(handler.modelAttested(colleague), "delegation to a de-attested colleague active");
            assertTrue(handler.modelAttested(delegation.doctor), "delegation of a de-attested doctor active");
        }
        for (uint256 r; r < 2; ++r) {
            bytes32 recordId = handler.recordIdOf(patient, r);
            if (!delegations.canRead(patient, colleague, recordId)) continue;
            if (consent.grantCovers(patient, colleague, recordId)) continue;
            assertTrue(active, "delegated access without a live delegation");
            assertTrue(consent.grantCovers(patient, delegation.doctor, recordId), "delegate exceeds the doctor's scope");
        }
    }
}

/// 10,000 short runs (depth set in the `ci` profile).
contract ConsentInvariantTest is ConsentInvariantBase {
    function invariant_consentStateMachine() public view {
        _checkAll();
    }

    /// The handler's paths do reach the states the invariants talk about.
    function test_handlerReachesApprovedDelegation() public {
        handler.grant(0, 0, 0, 5 days);
        handler.requestDelegation(0, 0, 0, 0, 1 days);
        handler.approveDelegation(0, 0);
        assertEq(handler.approvals(), 1, "approved");
        assertTrue(delegations.isDelegationActive(handler.patients(0), handler.doctors(1)), "active");
        _checkAll();
        handler.revoke(0, 0, true);
        assertFalse(delegations.isDelegationActive(handler.patients(0), handler.doctors(1)), "cascaded");
        _checkAll();
    }
}

/// Fewer, long runs: deep sequences (grant, delegate, approve, renew, revoke, expire, ...).
contract ConsentInvariantDeepTest is ConsentInvariantBase {
    /// forge-config: ci.invariant.runs = 100
    /// forge-config: ci.invariant.depth = 30
    function invariant_consentStateMachineDeep() public view {
        _checkAll();
    }
}
