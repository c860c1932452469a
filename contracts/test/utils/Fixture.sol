// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ConsentManager} from "../../src/consent/ConsentManager.sol";
import {DelegationRegistry} from "../../src/consent/DelegationRegistry.sol";
import {Scope, ScopeKind, ScopeLib} from "../../src/consent/Scope.sol";
import {IdentityRegistry} from "../../src/identity/IdentityRegistry.sol";
import {IDelegationRegistry} from "../../src/interfaces/IDelegationRegistry.sol";
import {RecordRegistry} from "../../src/records/RecordRegistry.sol";
import {DiseaseReports} from "../../src/stats/DiseaseReports.sol";
import {StreamAnchors} from "../../src/streams/StreamAnchors.sol";
import {EIP712Relayed} from "../../src/utils/EIP712Relayed.sol";
import {Test} from "./Test.sol";

/// @notice Every contract deployed and wired, with a patient, two attested doctors, a registrar and a relayer.
abstract contract Fixture is Test {
    uint256 internal constant START = 1_700_000_000;
    uint16 internal constant ECG = 1;
    uint16 internal constant LAB = 2;
    /// HL7 PurposeOfUse TREAT, as `ConsentManager.PURPOSE_TREAT`.
    uint16 internal constant PURPOSE_TREAT = 1;
    bytes32 internal constant ENCRYPTION_KEY = keccak256("x25519 public key");

    IdentityRegistry internal identity;
    RecordRegistry internal records;
    ConsentManager internal consent;
    DelegationRegistry internal delegations;
    StreamAnchors internal streams;
    DiseaseReports internal reports;

    uint256 internal patientKey = 0xA11CE;
    uint256 internal doctorKey = 0xD0C;
    uint256 internal colleagueKey = 0xC011;
    address internal patient;
    address internal doctor;
    address internal colleague;
    address internal admin = address(0xAD);
    address internal registrar = address(0x5EC);
    address internal relayer = address(0x7E1A);
    address internal stranger = address(0xBAD);

    function setUp() public virtual {
        vm.warp(START);
        patient = vm.addr(patientKey);
        doctor = vm.addr(doctorKey);
        colleague = vm.addr(colleagueKey);

        identity = new IdentityRegistry(admin);
        records = new RecordRegistry();
        consent = new ConsentManager(identity, records);
        delegations = new DelegationRegistry(consent);
        streams = new StreamAnchors();
        reports = new DiseaseReports(identity);

        vm.prank(admin);
        identity.setRegistrar(registrar, true);
        _registerDoctor(doctor);
        _registerDoctor(colleague);
    }

    function _registerDoctor(address account) internal {
        vm.prank(account);
        identity.register(keccak256(abi.encode(account)));
        vm.prank(registrar);
        identity.attestDoctor(account, uint40(block.timestamp + 365 days));
    }

    function _sign(uint256 privateKey, EIP712Relayed target, bytes32 structHash) internal view returns (bytes memory) {
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", target.DOMAIN_SEPARATOR(), structHash));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(privateKey, digest);
        return abi.encodePacked(r, s, v);
    }

    function _all() internal pure returns (Scope memory scope) {
        scope.kind = ScopeKind.All;
    }

    function _category(uint16 category) internal pure returns (Scope memory scope) {
        scope.kind = ScopeKind.Category;
        scope.category = category;
    }

    function _records(bytes32 recordId) internal pure returns (Scope memory scope) {
        scope.kind = ScopeKind.Records;
        scope.recordIds = new bytes32[](1);
        scope.recordIds[0] = recordId;
    }

    function _scopeHash(Scope memory scope) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(
                ScopeLib.SCOPE_TYPEHASH, uint8(scope.kind), scope.category, keccak256(abi.encodePacked(scope.recordIds))
            )
        );
    }

    function _anchor(address owner, bytes memory cid, uint16 category) internal returns (bytes32) {
        vm.prank(owner);
        return records.anchorRecord(cid, category);
    }

    function _grant(Scope memory scope, uint256 duration) internal returns (uint32) {
        vm.prank(patient);
        return consent.grantAccess(doctor, scope, uint40(block.timestamp + duration));
    }

    function _grantSig(address doctor_, Scope memory scope, uint40 expiresAt, uint256 nonce, uint256 deadline)
        internal
        view
        returns (bytes memory)
    {
        bytes32 structHash = keccak256(
            abi.encode(
                consent.GRANT_ACCESS_TYPEHASH(), patient, doctor_, _scopeHash(scope), expiresAt, nonce, deadline
            )
        );
        return _sign(patientKey, consent, structHash);
    }

    /// The terms an approval of the pending delegation to `colleague_` names, with the scope the patient reviewed.
    function _terms(address colleague_, Scope memory scope)
        internal
        view
        returns (address doctor_, uint32 serial, bytes32 scopeHash, uint40 expiresAt)
    {
        IDelegationRegistry.Delegation memory d = delegations.delegationOf(patient, colleague_);
        return (d.doctor, d.serial, _scopeHash(scope), d.expiresAt);
    }

    /// The patient approves the pending delegation to `colleague_`, naming `scope` as the one it reviewed.
    function _approveDelegation(address colleague_, Scope memory scope) internal {
        (address doctor_, uint32 serial, bytes32 scopeHash, uint40 expiresAt) = _terms(colleague_, scope);
        vm.prank(patient);
        delegations.approveDelegation(colleague_, IDelegationRegistry.DelegationTerms(doctor_, serial, scopeHash, expiresAt));
    }

    function _approveDelegationSig(
        address doctor_,
        uint32 serial,
        bytes32 scopeHash,
        uint40 expiresAt,
        uint256 nonce,
        uint256 deadline
    ) internal view returns (bytes memory) {
        bytes32 structHash = keccak256(
            abi.encode(
                delegations.APPROVE_DELEGATION_TYPEHASH(),
                patient,
                colleague,
                doctor_,
                serial,
                scopeHash,
                expiresAt,
                nonce,
                deadline
            )
        );
        return _sign(patientKey, delegations, structHash);
    }
}
