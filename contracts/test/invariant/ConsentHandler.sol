// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ConsentManager} from "../../src/consent/ConsentManager.sol";
import {DelegationRegistry} from "../../src/consent/DelegationRegistry.sol";
import {Scope, ScopeKind, ScopeLib} from "../../src/consent/Scope.sol";
import {IdentityRegistry} from "../../src/identity/IdentityRegistry.sol";
import {RecordRegistry} from "../../src/records/RecordRegistry.sol";
import {EIP712Relayed} from "../../src/utils/EIP712Relayed.sol";
import {Vm} from "../utils/Vm.sol";

/// Drives the consent state machine with honest patient actions, doctor actions, time, and attacks (strangers acting
/// for patients, forged and replayed signatures), keeping a model of what the patient decided.
contract ConsentHandler {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    ConsentManager public immutable consent;
    ConsentManager public immutable twin;
    DelegationRegistry public immutable delegations;
    RecordRegistry public immutable records;

    uint256[2] internal patientKeys = [uint256(0xA11CE), uint256(0xB0B)];
    address[2] public patients;
    address[3] public doctors;
    address public constant STRANGER = address(0xBAD);
    mapping(address patient => bytes32[2]) internal _recordIds;

    // Model of the patient's decisions.
    mapping(address => mapping(address => bool)) public modelGranted;
    mapping(address => mapping(address => uint40)) public modelExpiry;
    mapping(address => mapping(address => uint32)) public modelSerial;
    mapping(address => mapping(address => bool)) public modelDelegationApproved;
    /// Set when an attack succeeded (must stay false).
    bool public breach;
    string public breachReason;
    uint256 public calls;
    /// Successful patient approvals of delegations (coverage figure).
    uint256 public approvals;
    /// Successful delegation requests (coverage figure).
    uint256 public requests;

    constructor(ConsentManager consent_, ConsentManager twin_, DelegationRegistry delegations_, address[3] memory doctors_)
    {
        consent = consent_;
        twin = twin_;
        delegations = delegations_;
        records = consent_.records();
        doctors = doctors_;
        for (uint256 i; i < 2; ++i) {
            address patient = vm.addr(patientKeys[i]);
            patients[i] = patient;
            vm.prank(patient);
            _recordIds[patient][0] = records.anchorRecord(abi.encode("ecg", i), 1);
            vm.prank(patient);
            _recordIds[patient][1] = records.anchorRecord(abi.encode("lab", i), 2);
        }
    }

    function recordIdOf(address patient, uint256 i) external view returns (bytes32) {
        return _recordIds[patient][i];
    }

    function _scope(address patient, uint256 seed) internal view returns (Scope memory scope) {
        uint256 kind = seed % 3;
        scope.kind = ScopeKind(kind);
        if (kind == 1) scope.category = uint16(1 + (seed >> 8) % 2);
        if (kind == 2) {
            scope.recordIds = new bytes32[](1);
            scope.recordIds[0] = _recordIds[patient][(seed >> 8) % 2];
        }
    }

    function _breach(string memory reason) internal {
        breach = true;
        breachReason = reason;
    }

    // ------------------------------------------------------------ honest actions

    function request(uint256 p, uint256 d, uint256 seed) external {
        calls++;
        vm.prank(doctors[d % 3]);
        try consent.requestAccess(patients[p % 2], _scope(patients[p % 2], seed), bytes32(seed), 30 days) {} catch {}
    }

    function grant(uint256 p, uint256 d, uint256 seed, uint32 duration) external {
        calls++;
        address patient = patients[p % 2];
        address doctor = doctors[d % 3];
        uint40 expiresAt = uint40(block.timestamp + 1 + (duration % 10 days));
        vm.prank(patient);
        try consent.grantAccess(doctor, _scope(patient, seed), expiresAt) returns (uint32 serial) {
            _recordGrant(patient, doctor, expiresAt, serial);
        } catch {}
    }

    function grantBySig(uint256 p, uint256 d, uint256 seed, uint32 duration) external {
        calls++;
        address patient = patients[p % 2];
        address doctor = doctors[d % 3];
        uint40 expiresAt = uint40(block.timestamp + 1 + (duration % 10 days));
        Scope memory scope = _scope(patient, seed);
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory sig = _grantSig(consent, p % 2, doctor, scope, expiresAt, consent.nonces(patient), deadline);
        vm.prank(STRANGER);
        try consent.grantAccessBySig(patient, doctor, scope, expiresAt, deadline, sig) returns (uint32 serial) {
            _recordGrant(patient, doctor, expiresAt, serial);
        } catch {
            return;
        }
        // Replays of the same signature: same contract (nonce used), twin contract, other chain.
        try consent.grantAccessBySig(patient, doctor, scope, expiresAt, deadline, sig) {
            _breach("replay: same nonce");
        } catch {}
        try twin.grantAccessBySig(patient, doctor, scope, expiresAt, deadline, sig) {
            _breach("replay: other contract");
        } catch {}
        uint256 chainId = block.chainid;
        vm.chainId(chainId + 1);
        bytes memory fresh = _grantSig(consent, p % 2, doctor, scope, expiresAt, consent.nonces(patient), deadline);
        vm.chainId(chainId);
        try consent.grantAccessBySig(patient, doctor, scope, expiresAt, deadline, fresh) {
            _breach("replay: signature for another chain");
        } catch {}
    }

    function reject(uint256 p, uint256 d) external {
        calls++;
        vm.prank(patients[p % 2]);
        try consent.rejectRequest(doctors[d % 3]) {} catch {}
    }

    function revoke(uint256 p, uint256 d, bool bySig) external {
        calls++;
        address patient = patients[p % 2];
        address doctor = doctors[d % 3];
        if (bySig) {
            uint256 deadline = block.timestamp + 1 hours;
            bytes32 structHash = keccak256(
                abi.encode(consent.REVOKE_ACCESS_TYPEHASH(), patient, doctor, consent.nonces(patient), deadline)
            );
            bytes memory sig = _sign(consent, patientKeys[p % 2], structHash);
            try consent.revokeAccessBySig(patient, doctor, deadline, sig) {
                modelGranted[patient][doctor] = false;
            } catch {}
        } else {
            vm.prank(patient);
            try consent.revokeAccess(doctor) {
                modelGranted[patient][doctor] = false;
            } catch {}
        }
    }

    /// A doctor with a live grant (the first from `d` on) asks to delegate to a colleague, within its grant.
    function requestDelegation(uint256 p, uint256 d, uint256 c, uint256 seed, uint32 duration) external {
        calls++;
        address patient = patients[p % 2];
        for (uint256 i; i < 3; ++i) {
            address doctor = doctors[(d + i) % 3];
            if (!consent.isGrantActive(patient, doctor)) continue;
            address colleague = doctors[(d + i + 1 + c % 2) % 3];
            uint40 grantExpiry = consent.grantOf(patient, doctor).expiresAt;
            uint40 expiresAt = uint40(block.timestamp + 1 + duration % 10 days);
            if (expiresAt > grantExpiry) expiresAt = grantExpiry;
            vm.prank(doctor);
            try delegations.requestDelegation(patient, colleague, _scope(patient, seed), expiresAt) {
                modelDelegationApproved[patient][colleague] = false;
                requests++;
            } catch {}
            return;
        }
    }

    /// The patient approves a pending delegation (the first from `c` on).
    function approveDelegation(uint256 p, uint256 c) external {
        calls++;
        address patient = patients[p % 2];
        for (uint256 i; i < 3; ++i) {
            address colleague = doctors[(c + i) % 3];
            if (delegations.delegationOf(patient, colleague).status != DelegationRegistry.DelegationStatus.Pending) {
                continue;
            }
            vm.prank(patient);
            try delegations.approveDelegation(colleague) {
                modelDelegationApproved[patient][colleague] = true;
                approvals++;
            } catch {}
            return;
        }
    }

    function revokeDelegation(uint256 p, uint256 c, bool byDoctor) external {
        calls++;
        address patient = patients[p % 2];
        address colleague = doctors[c % 3];
        vm.prank(byDoctor ? delegations.delegationOf(patient, colleague).doctor : patient);
        try delegations.revokeDelegation(patient, colleague) {
            modelDelegationApproved[patient][colleague] = false;
        } catch {}
    }

    function warp(uint32 seconds_) external {
        calls++;
        vm.warp(block.timestamp + (seconds_ % 3 days));
    }

    // ------------------------------------------------------------ attacks

    /// Someone other than the patient tries to grant, revoke or approve for the patient.
    function impersonate(uint256 p, uint256 d, uint256 attackerKey, uint256 seed) external {
        calls++;
        address patient = patients[p % 2];
        address doctor = doctors[d % 3];
        attackerKey = 1 + attackerKey % 1000;
        if (attackerKey == patientKeys[0] || attackerKey == patientKeys[1]) return;
        uint256 deadline = block.timestamp + 1 hours;
        uint40 expiresAt = uint40(block.timestamp + 1 days);
        Scope memory scope = _scope(patient, seed);
        bytes32 structHash = keccak256(
            abi.encode(
                consent.GRANT_ACCESS_TYPEHASH(),
                patient,
                doctor,
                _scopeHash(scope),
                expiresAt,
                consent.nonces(patient),
                deadline
            )
        );
        bytes memory forged = _sign(consent, attackerKey, structHash);
        try consent.grantAccessBySig(patient, doctor, scope, expiresAt, deadline, forged) {
            _breach("forged grant");
        } catch {}
        structHash = keccak256(
            abi.encode(consent.REVOKE_ACCESS_TYPEHASH(), patient, doctor, consent.nonces(patient), deadline)
        );
        forged = _sign(consent, attackerKey, structHash);
        try consent.revokeAccessBySig(patient, doctor, deadline, forged) {
            _breach("forged revoke");
        } catch {}
        structHash = keccak256(
            abi.encode(delegations.APPROVE_DELEGATION_TYPEHASH(), patient, doctor, delegations.nonces(patient), deadline)
        );
        forged = _sign(delegations, attackerKey, structHash);
        try delegations.approveDelegationBySig(patient, doctor, deadline, forged) {
            _breach("forged delegation approval");
        } catch {}
        // A doctor "approving" from its own account only touches its own (empty) patient slot.
        vm.prank(doctor);
        try delegations.approveDelegation(doctors[(d + 1) % 3]) {
            _breach("doctor approved a delegation");
        } catch {}
    }

    // ------------------------------------------------------------ helpers

    function _recordGrant(address patient, address doctor, uint40 expiresAt, uint32 serial) internal {
        modelGranted[patient][doctor] = true;
        modelExpiry[patient][doctor] = expiresAt;
        modelSerial[patient][doctor] = serial;
    }

    function _grantSig(
        ConsentManager target,
        uint256 p,
        address doctor,
        Scope memory scope,
        uint40 expiresAt,
        uint256 nonce,
        uint256 deadline
    ) internal view returns (bytes memory) {
        bytes32 structHash = keccak256(
            abi.encode(
                target.GRANT_ACCESS_TYPEHASH(), patients[p], doctor, _scopeHash(scope), expiresAt, nonce, deadline
            )
        );
        return _sign(target, patientKeys[p], structHash);
    }

    function _scopeHash(Scope memory scope) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(
                ScopeLib.SCOPE_TYPEHASH, uint8(scope.kind), scope.category, keccak256(abi.encodePacked(scope.recordIds))
            )
        );
    }

    function _sign(EIP712Relayed target, uint256 key, bytes32 structHash) internal view returns (bytes memory) {
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", target.DOMAIN_SEPARATOR(), structHash));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }
}
