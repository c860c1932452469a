// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IConsentManager} from "../interfaces/IConsentManager.sol";
import {IDelegationRegistry} from "../interfaces/IDelegationRegistry.sol";
import {IIdentityRegistry} from "../interfaces/IIdentityRegistry.sol";
import {IRecordRegistry} from "../interfaces/IRecordRegistry.sol";
import {EIP712Relayed} from "../utils/EIP712Relayed.sol";
import {Scope, ScopeKind, ScopeLib} from "./Scope.sol";

/// @title DelegationRegistry
/// @notice A doctor holding a live grant asks to share a patient's records with a colleague; only the patient's
/// approval makes the delegation effective, and the approval names exactly what it approves (doctor, request serial,
/// scope hash, expiry), so a request swapped after the patient looked at it cannot be approved. A delegated scope and
/// expiry never exceed the doctor's grant, and a delegation lives only as long as the exact grant it was made under:
/// when the patient revokes the doctor (or the grant expires or is replaced), the colleague's access ends with it, and
/// it is void while the doctor or the colleague is not an attested doctor. There is one delegation per
/// (patient, colleague). `canRead` here answers for direct grants and delegations alike.
contract DelegationRegistry is IDelegationRegistry, EIP712Relayed {
    using ScopeLib for Scope;

    /// @inheritdoc IDelegationRegistry
    bytes32 public constant APPROVE_DELEGATION_TYPEHASH = keccak256(
        "ApproveDelegation(address patient,address colleague,address doctor,uint32 serial,bytes32 scopeHash,"
        "uint40 expiresAt,uint256 nonce,uint256 deadline)"
    );
    /// @inheritdoc IDelegationRegistry
    bytes32 public constant REJECT_DELEGATION_TYPEHASH = keccak256(
        "RejectDelegation(address patient,address colleague,uint32 serial,uint256 nonce,uint256 deadline)"
    );
    /// @inheritdoc IDelegationRegistry
    bytes32 public constant REVOKE_DELEGATION_TYPEHASH = keccak256(
        "RevokeDelegation(address patient,address colleague,uint32 serial,uint256 nonce,uint256 deadline)"
    );

    /// @inheritdoc IDelegationRegistry
    IConsentManager public immutable consent;
    /// @inheritdoc IDelegationRegistry
    IIdentityRegistry public immutable identities;
    /// @inheritdoc IDelegationRegistry
    IRecordRegistry public immutable records;

    /// @dev Two slots per (patient, colleague): the delegation's first six fields, then its expiry beside the first
    /// 27 bytes of its scope's EIP-712 hash (what an approval is checked against: 216 bits, collision-resistant to
    /// 2^108 work, and the serial binds the request anyway).
    struct Stored {
        address doctor;
        DelegationStatus status;
        ScopeKind kind;
        uint16 category;
        uint32 parentSerial;
        uint32 serial;
        uint40 expiresAt;
        bytes27 scopeHash;
    }

    mapping(address patient => mapping(address colleague => Stored)) private _delegations;
    /// @dev keccak256(patient, colleague, serial, recordId) => listed in a `Records` delegation.
    mapping(bytes32 key => bool) private _listed;

    constructor(IConsentManager consent_) EIP712Relayed("MHR Chain DelegationRegistry", "1") {
        consent = consent_;
        identities = consent_.identities();
        records = consent_.records();
    }

    // ---------------------------------------------------------------- doctor actions

    /// @inheritdoc IDelegationRegistry
    function requestDelegation(address patient, address colleague, Scope calldata scope, uint40 expiresAt) external {
        (IConsentManager.Grant memory grant, bool live) = consent.liveGrantOf(patient, msg.sender);
        if (!live) revert NoActiveGrant(patient, msg.sender);
        if (colleague == msg.sender || colleague == patient || colleague == address(0)) {
            revert InvalidColleague(colleague);
        }
        if (!identities.isDoctor(colleague)) revert NotDoctor(colleague);
        if (!scope.isWellFormed()) revert InvalidScope();
        if (expiresAt <= block.timestamp || expiresAt > grant.expiresAt) revert InvalidExpiry(expiresAt);
        Stored storage delegation = _delegations[patient][colleague];
        if (delegation.status == DelegationStatus.Pending || _isLive(patient, colleague, delegation)) {
            revert DelegationAlreadyExists(patient, colleague);
        }
        uint32 serial = delegation.serial + 1;
        _checkSubset(patient, msg.sender, grant, scope, colleague, serial);
        delegation.doctor = msg.sender;
        delegation.status = DelegationStatus.Pending;
        delegation.kind = scope.kind;
        delegation.category = scope.category;
        delegation.parentSerial = grant.serial;
        delegation.serial = serial;
        delegation.expiresAt = expiresAt;
        delegation.scopeHash = bytes27(scope.hash());
        emit DelegationRequested(patient, msg.sender, colleague, serial, grant.serial, scope, expiresAt);
    }

    // ---------------------------------------------------------------- patient actions

    /// @inheritdoc IDelegationRegistry
    function approveDelegation(address colleague, DelegationTerms calldata terms) external {
        _approve(msg.sender, colleague, terms);
    }

    /// @inheritdoc IDelegationRegistry
    function approveDelegationBySig(
        address patient,
        address colleague,
        DelegationTerms calldata terms,
        uint256 deadline,
        bytes calldata signature
    ) external {
        bytes32 structHash = keccak256(
            abi.encode(
                APPROVE_DELEGATION_TYPEHASH,
                patient,
                colleague,
                terms.doctor,
                terms.serial,
                terms.scopeHash,
                terms.expiresAt,
                _useNonce(patient),
                deadline
            )
        );
        _checkSignature(patient, structHash, deadline, signature);
        _approve(patient, colleague, terms);
    }

    /// @inheritdoc IDelegationRegistry
    function rejectDelegation(address colleague, uint32 serial) external {
        _checkSerial(msg.sender, colleague, serial);
        _reject(msg.sender, colleague);
    }

    /// @inheritdoc IDelegationRegistry
    function rejectDelegationBySig(
        address patient,
        address colleague,
        uint32 serial,
        uint256 deadline,
        bytes calldata signature
    ) external {
        bytes32 structHash = keccak256(
            abi.encode(REJECT_DELEGATION_TYPEHASH, patient, colleague, serial, _useNonce(patient), deadline)
        );
        _checkSignature(patient, structHash, deadline, signature);
        _checkSerial(patient, colleague, serial);
        _reject(patient, colleague);
    }

    /// @inheritdoc IDelegationRegistry
    function revokeDelegation(address patient, address colleague, uint32 serial) external {
        Stored storage delegation = _delegations[patient][colleague];
        if (msg.sender != patient && msg.sender != delegation.doctor) revert NotAuthorized(msg.sender);
        _checkSerial(patient, colleague, serial);
        _revoke(patient, colleague, delegation);
    }

    /// @inheritdoc IDelegationRegistry
    function revokeDelegationBySig(
        address patient,
        address colleague,
        uint32 serial,
        uint256 deadline,
        bytes calldata signature
    ) external {
        bytes32 structHash = keccak256(
            abi.encode(REVOKE_DELEGATION_TYPEHASH, patient, colleague, serial, _useNonce(patient), deadline)
        );
        _checkSignature(patient, structHash, deadline, signature);
        _checkSerial(patient, colleague, serial);
        _revoke(patient, colleague, _delegations[patient][colleague]);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IDelegationRegistry
    function delegationOf(address patient, address colleague) external view returns (Delegation memory) {
        Stored storage d = _delegations[patient][colleague];
        return Delegation(d.doctor, d.status, d.kind, d.category, d.parentSerial, d.serial, d.expiresAt);
    }

    /// @inheritdoc IDelegationRegistry
    function isDelegationActive(address patient, address colleague) public view returns (bool) {
        return _isLive(patient, colleague, _delegations[patient][colleague]);
    }

    /// @inheritdoc IDelegationRegistry
    function canRead(address patient, address reader, bytes32 recordId) external view returns (bool) {
        if (consent.grantCovers(patient, reader, recordId)) return true;
        Stored storage delegation = _delegations[patient][reader];
        if (!_isLive(patient, reader, delegation)) return false;
        IRecordRegistry.Record memory record = records.recordOf(recordId);
        if (record.patient != patient || record.erased) return false;
        if (delegation.kind == ScopeKind.Records) {
            return _listed[_listKey(patient, reader, delegation.serial, recordId)];
        }
        return delegation.kind == ScopeKind.All || record.category == delegation.category;
    }

    // ---------------------------------------------------------------- internal

    function _isLive(address patient, address colleague, Stored storage delegation) private view returns (bool) {
        if (delegation.status != DelegationStatus.Approved || block.timestamp >= delegation.expiresAt) return false;
        (IConsentManager.Grant memory grant, bool live) = consent.liveGrantOf(patient, delegation.doctor);
        return live && grant.serial == delegation.parentSerial && identities.isDoctor(colleague);
    }

    /// @dev Reverts unless `serial` is the delegation's current serial.
    function _checkSerial(address patient, address colleague, uint32 serial) private view {
        if (_delegations[patient][colleague].serial != serial) revert DelegationMismatch(patient, colleague, serial);
    }

    /// @dev Reverts unless `scope` ⊆ the doctor's grant; records the listed ids of a `Records` scope.
    function _checkSubset(
        address patient,
        address doctor,
        IConsentManager.Grant memory grant,
        Scope calldata scope,
        address colleague,
        uint32 serial
    ) private {
        if (scope.kind == ScopeKind.All) {
            if (grant.kind != ScopeKind.All) revert ScopeExceedsGrant();
            return;
        }
        if (scope.kind == ScopeKind.Category) {
            if (grant.kind == ScopeKind.Records) revert ScopeExceedsGrant();
            if (grant.kind == ScopeKind.Category && grant.category != scope.category) revert ScopeExceedsGrant();
            return;
        }
        for (uint256 i; i < scope.recordIds.length; ++i) {
            bytes32 recordId = scope.recordIds[i];
            if (grant.kind == ScopeKind.Records) {
                if (!consent.isListed(patient, doctor, grant.serial, recordId)) revert ScopeExceedsGrant();
            } else {
                IRecordRegistry.Record memory record = records.recordOf(recordId);
                if (record.patient != patient) revert ScopeExceedsGrant();
                if (grant.kind == ScopeKind.Category && record.category != grant.category) revert ScopeExceedsGrant();
            }
            _listed[_listKey(patient, colleague, serial, recordId)] = true;
        }
    }

    function _approve(address patient, address colleague, DelegationTerms calldata terms) private {
        Stored storage delegation = _delegations[patient][colleague];
        if (delegation.status != DelegationStatus.Pending) revert NoPendingDelegation(patient, colleague);
        address doctor = delegation.doctor;
        uint32 serial = delegation.serial;
        uint40 expiresAt = delegation.expiresAt;
        if (
            terms.doctor != doctor || terms.serial != serial || terms.expiresAt != expiresAt
                || delegation.scopeHash != bytes27(terms.scopeHash)
        ) revert DelegationMismatch(patient, colleague, terms.serial);
        // Attestations are not re-checked here: a delegation is live only while the doctor and the colleague are both
        // attested (`_isLive`), whenever it was approved.
        IConsentManager.Grant memory grant = consent.grantOf(patient, doctor);
        if (
            grant.status != IConsentManager.GrantStatus.Active || block.timestamp >= grant.expiresAt
                || grant.serial != delegation.parentSerial
        ) revert ParentGrantChanged(patient, doctor);
        delegation.status = DelegationStatus.Approved;
        emit DelegationApproved(patient, colleague, msg.sender, doctor, serial, expiresAt);
    }

    function _reject(address patient, address colleague) private {
        Stored storage delegation = _delegations[patient][colleague];
        if (delegation.status != DelegationStatus.Pending) revert NoPendingDelegation(patient, colleague);
        delegation.status = DelegationStatus.Rejected;
        emit DelegationRejected(patient, colleague, msg.sender, delegation.serial);
    }

    function _revoke(address patient, address colleague, Stored storage delegation) private {
        if (delegation.status != DelegationStatus.Approved && delegation.status != DelegationStatus.Pending) {
            revert NoDelegation(patient, colleague);
        }
        delegation.status = DelegationStatus.Revoked;
        emit DelegationRevoked(patient, colleague, msg.sender, delegation.serial);
    }

    function _listKey(address patient, address colleague, uint32 serial, bytes32 recordId)
        private
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(patient, colleague, serial, recordId));
    }
}
