// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ConsentManager} from "../../src/consent/ConsentManager.sol";
import {DelegationRegistry} from "../../src/consent/DelegationRegistry.sol";
import {Scope, ScopeKind, ScopeLib} from "../../src/consent/Scope.sol";
import {IdentityRegistry} from "../../src/identity/IdentityRegistry.sol";
import {IConsentManager} from "../../src/interfaces/IConsentManager.sol";
import {IDelegationRegistry} from "../../src/interfaces/IDelegationRegistry.sol";
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
    IdentityRegistry public immutable identity;
    address public constant REGISTRAR = address(0x5EC);

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
    /// The scope hash of the latest delegation request the patient saw, per (patient, colleague).
    mapping(address => mapping(address => bytes32)) public modelRequestedScope;
    /// Whether the registrar currently attests the doctor.
    mapping(address => bool) public modelAttested;
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
        records = RecordRegistry(address(consent_.records()));
        doctors = doctors_;
        identity = IdentityRegistry(address(consent_.identities()));
        for (uint256 i; i < 3; ++i) modelAttested[doctors_[i]] = true;
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
        try consent.requestAccess(patients[p % 2], _scope(patients[p % 2], seed), uint16(1 + seed % 10), 30 days) {} catch {}
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
        address patient = patients[p % 2];
        address doctor = doctors[d % 3];
        uint32 serial = consent.requestOf(patient, doctor).serial;
        vm.prank(patient);
        try consent.rejectRequest(doctor, serial) {} catch {}
    }

    function revoke(uint256 p, uint256 d, bool bySig) external {
        calls++;
        address patient = patients[p % 2];
        address doctor = doctors[d % 3];
        if (bySig) {
            uint256 deadline = block.timestamp + 1 hours;
            uint32 serial = consent.grantOf(patient, doctor).serial;
            bytes memory sig = _revokeSig(p % 2, doctor, serial, consent.nonces(patient), deadline);
            try consent.revokeAccessBySig(patient, doctor, serial, deadline, sig) {
                modelGranted[patient][doctor] = false;
            } catch {}
        } else {
            uint32 serial = consent.grantOf(patient, doctor).serial;
            vm.prank(patient);
            try consent.revokeAccess(doctor, serial) {
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
            Scope memory scope = _scope(patient, seed);
            try delegations.requestDelegation(patient, colleague, scope, expiresAt) {
                modelDelegationApproved[patient][colleague] = false;
                modelRequestedScope[patient][colleague] = _scopeHash(scope);
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
            if (delegations.delegationOf(patient, colleague).status != IDelegationRegistry.DelegationStatus.Pending) {
                continue;
            }
            IDelegationRegistry.Delegation memory d = delegations.delegationOf(patient, colleague);
            vm.prank(patient);
            try delegations.approveDelegation(
                colleague,
                IDelegationRegistry.DelegationTerms(d.doctor, d.serial, modelRequestedScope[patient][colleague], d.expiresAt)
            ) {
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
        IDelegationRegistry.Delegation memory d = delegations.delegationOf(patient, colleague);
        vm.prank(byDoctor ? d.doctor : patient);
        try delegations.revokeDelegation(patient, colleague, d.serial) {
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
        uint32 serial = consent.grantOf(patient, doctor).serial;
        structHash = keccak256(
            abi.encode(consent.REVOKE_ACCESS_TYPEHASH(), patient, doctor, serial, consent.nonces(patient), deadline)
        );
        forged = _sign(consent, attackerKey, structHash);
        try consent.revokeAccessBySig(patient, doctor, serial, deadline, forged) {
            _breach("forged revoke");
        } catch {}
        _impersonateApproval(p % 2, d % 3, attackerKey, deadline);
    }

    function _impersonateApproval(uint256 p, uint256 d, uint256 attackerKey, uint256 deadline) internal {
        address patient = patients[p];
        address doctor = doctors[d];
        IDelegationRegistry.Delegation memory pending = delegations.delegationOf(patient, doctor);
        bytes32 scopeHash = modelRequestedScope[patient][doctor];
        bytes32 structHash = keccak256(
            abi.encode(
                delegations.APPROVE_DELEGATION_TYPEHASH(),
                patient,
                doctor,
                pending.doctor,
                pending.serial,
                scopeHash,
                pending.expiresAt,
                delegations.nonces(patient),
                deadline
            )
        );
        bytes memory forged = _sign(delegations, attackerKey, structHash);
        IDelegationRegistry.DelegationTerms memory terms =
            IDelegationRegistry.DelegationTerms(pending.doctor, pending.serial, scopeHash, pending.expiresAt);
        try delegations.approveDelegationBySig(patient, doctor, terms, deadline, forged) {
            _breach("forged delegation approval");
        } catch {}
        // A doctor "approving" from its own account only touches its own (empty) patient slot.
        vm.prank(doctor);
        try delegations.approveDelegation(doctors[(d + 1) % 3], terms) {
            _breach("doctor approved a delegation");
        } catch {}
    }

    /// The delegating doctor swaps its pending request for a wider one after the patient signed an approval of the
    /// first: neither the signed approval nor a direct approval naming the first request may approve the second.
    function swapDelegation(uint256 p, uint256 c, uint256 seed) external {
        calls++;
        address patient = patients[p % 2];
        address colleague = doctors[c % 3];
        IDelegationRegistry.Delegation memory first = delegations.delegationOf(patient, colleague);
        if (first.status != IDelegationRegistry.DelegationStatus.Pending) return;
        IDelegationRegistry.DelegationTerms memory stale = IDelegationRegistry.DelegationTerms(
            first.doctor, first.serial, modelRequestedScope[patient][colleague], first.expiresAt
        );
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory sig = _approvalSig(p % 2, colleague, stale, deadline);
        Scope memory wider = _scope(patient, seed);
        vm.startPrank(first.doctor);
        delegations.revokeDelegation(patient, colleague, first.serial);
        try delegations.requestDelegation(patient, colleague, wider, first.expiresAt) {
            modelRequestedScope[patient][colleague] = _scopeHash(wider);
        } catch {
            vm.stopPrank();
            return;
        }
        vm.stopPrank();
        requests++;
        try delegations.approveDelegationBySig(patient, colleague, stale, deadline, sig) {
            _breach("signed approval of a swapped delegation request");
        } catch {}
        vm.prank(patient);
        try delegations.approveDelegation(colleague, stale) {
            _breach("direct approval of a swapped delegation request");
        } catch {}
        // Nor may the patient's rejection of the first request, mined late, reject the second.
        vm.prank(patient);
        try delegations.rejectDelegation(colleague, first.serial) {
            _breach("late direct rejection ended a swapped delegation request");
        } catch {}
    }

    /// A relayer withholds a revocation, the patient revokes and grants again itself, then the relayer submits it:
    /// the signature names the first grant and must not end the second. Neither may a late copy of the patient's own
    /// revoke (mined after the second grant): it names the first grant too.
    function staleRevoke(uint256 p, uint256 d, uint32 duration) external {
        calls++;
        address patient = patients[p % 2];
        address doctor = doctors[d % 3];
        if (!consent.isGrantActive(patient, doctor)) return;
        uint32 first = consent.grantOf(patient, doctor).serial;
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory sig = _revokeSig(p % 2, doctor, first, consent.nonces(patient), deadline);
        vm.prank(patient);
        consent.revokeAccess(doctor, first);
        modelGranted[patient][doctor] = false;
        uint40 expiresAt = uint40(block.timestamp + 1 + (duration % 10 days));
        vm.prank(patient);
        try consent.grantAccess(doctor, _scope(patient, duration), expiresAt) returns (uint32 serial) {
            _recordGrant(patient, doctor, expiresAt, serial);
        } catch {}
        try consent.revokeAccessBySig(patient, doctor, first, deadline, sig) {
            _breach("withheld revocation ended a later grant");
        } catch {}
        vm.prank(patient);
        try consent.revokeAccess(doctor, first) {
            _breach("late direct revocation ended a later grant");
        } catch {}
    }

    /// The patient rejects a doctor's pending request and the doctor asks again: a late copy of the rejection (mined
    /// after the new request) names the first request and must not reject the second.
    function staleReject(uint256 p, uint256 d, uint256 seed) external {
        calls++;
        address patient = patients[p % 2];
        address doctor = doctors[d % 3];
        IConsentManager.AccessRequest memory first = consent.requestOf(patient, doctor);
        if (first.status != IConsentManager.RequestStatus.Pending) return;
        vm.prank(patient);
        consent.rejectRequest(doctor, first.serial);
        vm.prank(doctor);
        try consent.requestAccess(patient, _scope(patient, seed), uint16(1 + seed % 10), 30 days) {} catch {
            return;
        }
        vm.prank(patient);
        try consent.rejectRequest(doctor, first.serial) {
            _breach("late direct rejection ended a later request");
        } catch {}
        if (consent.requestOf(patient, doctor).status != IConsentManager.RequestStatus.Pending) {
            _breach("the later request is no longer pending");
        }
    }

    /// The patient signs a grant, then cancels it (nonce invalidation): the signature must never be relayed.
    function cancelledGrant(uint256 p, uint256 d, uint256 seed) external {
        calls++;
        address patient = patients[p % 2];
        address doctor = doctors[d % 3];
        uint256 deadline = block.timestamp + 1 hours;
        uint40 expiresAt = uint40(block.timestamp + 1 days);
        Scope memory scope = _scope(patient, seed);
        uint256 nonce = consent.nonces(patient);
        bytes memory sig = _grantSig(consent, p % 2, doctor, scope, expiresAt, nonce, deadline);
        vm.prank(patient);
        consent.invalidateNonces(nonce + 1 + seed % 3);
        try consent.grantAccessBySig(patient, doctor, scope, expiresAt, deadline, sig) {
            _breach("cancelled signature relayed");
        } catch {}
    }

    /// The registrar withdraws or renews a doctor's attestation.
    function attest(uint256 d, bool withdraw) external {
        calls++;
        address doctor = doctors[d % 3];
        vm.prank(REGISTRAR);
        if (withdraw) {
            try identity.revokeDoctor(doctor) {
                modelAttested[doctor] = false;
            } catch {}
        } else {
            identity.attestDoctor(doctor, type(uint40).max);
            modelAttested[doctor] = true;
        }
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

    function _approvalSig(uint256 p, address colleague, IDelegationRegistry.DelegationTerms memory terms, uint256 deadline)
        internal
        view
        returns (bytes memory)
    {
        bytes32 structHash = keccak256(
            abi.encode(
                delegations.APPROVE_DELEGATION_TYPEHASH(),
                patients[p],
                colleague,
                terms.doctor,
                terms.serial,
                terms.scopeHash,
                terms.expiresAt,
                delegations.nonces(patients[p]),
                deadline
            )
        );
        return _sign(delegations, patientKeys[p], structHash);
    }

    function _revokeSig(uint256 p, address doctor, uint32 serial, uint256 nonce, uint256 deadline)
        internal
        view
        returns (bytes memory)
    {
        bytes32 structHash =
            keccak256(abi.encode(consent.REVOKE_ACCESS_TYPEHASH(), patients[p], doctor, serial, nonce, deadline));
        return _sign(consent, patientKeys[p], structHash);
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
