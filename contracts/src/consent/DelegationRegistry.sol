// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IdentityRegistry} from "../identity/IdentityRegistry.sol";
import {RecordRegistry} from "../records/RecordRegistry.sol";
import {EIP712Relayed} from "../utils/EIP712Relayed.sol";
import {ConsentManager} from "./ConsentManager.sol";
import {Scope, ScopeKind, ScopeLib} from "./Scope.sol";

/// @title DelegationRegistry
/// @notice A doctor holding a live grant asks to share a patient's records with a colleague; only the patient's
/// approval makes the delegation effective. A delegated scope and expiry never exceed the doctor's grant, and a
/// delegation lives only as long as the exact grant it was made under: when the patient revokes the doctor (or the
/// grant expires or is replaced), the colleague's access ends with it. There is one delegation per
/// (patient, colleague). `hasAccess` here answers for direct grants and delegations alike.
contract DelegationRegistry is EIP712Relayed {
    using ScopeLib for Scope;

    enum DelegationStatus {
        None,
        Pending,
        Approved,
        Rejected,
        Revoked
    }

    /// @notice A delegation from `doctor` to a colleague over a patient's records.
    struct Delegation {
        address doctor;
        DelegationStatus status;
        ScopeKind kind;
        uint16 category;
        /// The serial of the doctor's grant the delegation was made under.
        uint32 parentSerial;
        /// Increments with every delegation request of the pair (keys the listed record ids).
        uint32 serial;
        uint40 expiresAt;
    }

    /// @notice `doctor` asked `patient` to let `colleague` read `scope` until `expiresAt`.
    event DelegationRequested(
        address indexed patient, address indexed doctor, address indexed colleague, Scope scope, uint40 expiresAt
    );
    /// @notice `patient` approved the delegation to `colleague`; `actor` submitted it.
    event DelegationApproved(address indexed patient, address indexed colleague, address indexed actor);
    /// @notice `patient` rejected the delegation to `colleague`.
    event DelegationRejected(address indexed patient, address indexed colleague, address indexed actor);
    /// @notice The delegation to `colleague` was revoked by `actor` (the patient, its relayer or the doctor).
    event DelegationRevoked(address indexed patient, address indexed colleague, address indexed actor);

    error NoActiveGrant(address patient, address doctor);
    error NotDoctor(address account);
    error InvalidColleague(address colleague);
    error InvalidScope();
    error ScopeExceedsGrant();
    error InvalidExpiry(uint40 expiresAt);
    error DelegationAlreadyExists(address patient, address colleague);
    error NoPendingDelegation(address patient, address colleague);
    error NoDelegation(address patient, address colleague);
    error ParentGrantChanged(address patient, address doctor);
    error NotAuthorized(address account);

    bytes32 public constant APPROVE_DELEGATION_TYPEHASH =
        keccak256("ApproveDelegation(address patient,address colleague,uint256 nonce,uint256 deadline)");
    bytes32 public constant REJECT_DELEGATION_TYPEHASH =
        keccak256("RejectDelegation(address patient,address colleague,uint256 nonce,uint256 deadline)");
    bytes32 public constant REVOKE_DELEGATION_TYPEHASH =
        keccak256("RevokeDelegation(address patient,address colleague,uint256 nonce,uint256 deadline)");

    ConsentManager public immutable consent;
    IdentityRegistry public immutable identities;
    RecordRegistry public immutable records;

    mapping(address patient => mapping(address colleague => Delegation)) private _delegations;
    /// @dev keccak256(patient, colleague, serial, recordId) => listed in a `Records` delegation.
    mapping(bytes32 key => bool) private _listed;

    constructor(ConsentManager consent_) EIP712Relayed("MHR Chain DelegationRegistry", "1") {
        consent = consent_;
        identities = consent_.identities();
        records = consent_.records();
    }

    // ---------------------------------------------------------------- doctor actions

    /// @notice The caller, holding a live grant from `patient`, asks to delegate `scope` to `colleague`.
    function requestDelegation(address patient, address colleague, Scope calldata scope, uint40 expiresAt) external {
        ConsentManager.Grant memory grant = consent.grantOf(patient, msg.sender);
        if (!consent.isGrantActive(patient, msg.sender)) revert NoActiveGrant(patient, msg.sender);
        if (colleague == msg.sender || colleague == patient || colleague == address(0)) {
            revert InvalidColleague(colleague);
        }
        if (!identities.isDoctor(colleague)) revert NotDoctor(colleague);
        if (!scope.isWellFormed()) revert InvalidScope();
        if (expiresAt <= block.timestamp || expiresAt > grant.expiresAt) revert InvalidExpiry(expiresAt);
        Delegation storage delegation = _delegations[patient][colleague];
        if (delegation.status == DelegationStatus.Pending || _isLive(patient, delegation)) {
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
        emit DelegationRequested(patient, msg.sender, colleague, scope, expiresAt);
    }

    // ---------------------------------------------------------------- patient actions

    /// @notice The caller approves the pending delegation to `colleague`.
    function approveDelegation(address colleague) external {
        _approve(msg.sender, colleague);
    }

    /// @notice Approves on behalf of `patient` with the patient's EIP-712 signature.
    function approveDelegationBySig(address patient, address colleague, uint256 deadline, bytes calldata signature)
        external
    {
        bytes32 structHash =
            keccak256(abi.encode(APPROVE_DELEGATION_TYPEHASH, patient, colleague, _useNonce(patient), deadline));
        _checkSignature(patient, structHash, deadline, signature);
        _approve(patient, colleague);
    }

    /// @notice The caller rejects the pending delegation to `colleague`.
    function rejectDelegation(address colleague) external {
        _reject(msg.sender, colleague);
    }

    /// @notice Rejects on behalf of `patient` with the patient's EIP-712 signature.
    function rejectDelegationBySig(address patient, address colleague, uint256 deadline, bytes calldata signature)
        external
    {
        bytes32 structHash =
            keccak256(abi.encode(REJECT_DELEGATION_TYPEHASH, patient, colleague, _useNonce(patient), deadline));
        _checkSignature(patient, structHash, deadline, signature);
        _reject(patient, colleague);
    }

    /// @notice Revokes the delegation of `patient` to `colleague`: the patient or the delegating doctor may.
    function revokeDelegation(address patient, address colleague) external {
        Delegation storage delegation = _delegations[patient][colleague];
        if (msg.sender != patient && msg.sender != delegation.doctor) revert NotAuthorized(msg.sender);
        _revoke(patient, colleague, delegation);
    }

    /// @notice Revokes on behalf of `patient` with the patient's EIP-712 signature.
    function revokeDelegationBySig(address patient, address colleague, uint256 deadline, bytes calldata signature)
        external
    {
        bytes32 structHash =
            keccak256(abi.encode(REVOKE_DELEGATION_TYPEHASH, patient, colleague, _useNonce(patient), deadline));
        _checkSignature(patient, structHash, deadline, signature);
        _revoke(patient, colleague, _delegations[patient][colleague]);
    }

    // ---------------------------------------------------------------- views

    /// @notice The delegation of (`patient`, `colleague`), live or not.
    function delegationOf(address patient, address colleague) external view returns (Delegation memory) {
        return _delegations[patient][colleague];
    }

    /// @notice Whether the delegation is approved, unexpired and its parent grant is still the same live grant.
    function isDelegationActive(address patient, address colleague) public view returns (bool) {
        return _isLive(patient, _delegations[patient][colleague]);
    }

    /// @notice Whether `reader` may read `recordId` of `patient`, through its own grant or a live delegation.
    function hasAccess(address patient, address reader, bytes32 recordId) external view returns (bool) {
        if (consent.hasAccess(patient, reader, recordId)) return true;
        Delegation storage delegation = _delegations[patient][reader];
        if (!_isLive(patient, delegation)) return false;
        if (delegation.kind == ScopeKind.Records) {
            return _listed[_listKey(patient, reader, delegation.serial, recordId)];
        }
        RecordRegistry.Record memory record = records.recordOf(recordId);
        if (record.patient != patient) return false;
        return delegation.kind == ScopeKind.All || record.category == delegation.category;
    }

    // ---------------------------------------------------------------- internal

    function _isLive(address patient, Delegation storage delegation) private view returns (bool) {
        if (delegation.status != DelegationStatus.Approved || block.timestamp >= delegation.expiresAt) return false;
        address doctor = delegation.doctor;
        return consent.isGrantActive(patient, doctor) && consent.grantOf(patient, doctor).serial == delegation.parentSerial;
    }

    /// @dev Reverts unless `scope` ⊆ the doctor's grant; records the listed ids of a `Records` scope.
    function _checkSubset(
        address patient,
        address doctor,
        ConsentManager.Grant memory grant,
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
                RecordRegistry.Record memory record = records.recordOf(recordId);
                if (record.patient != patient) revert ScopeExceedsGrant();
                if (grant.kind == ScopeKind.Category && record.category != grant.category) revert ScopeExceedsGrant();
            }
            _listed[_listKey(patient, colleague, serial, recordId)] = true;
        }
    }

    function _approve(address patient, address colleague) private {
        Delegation storage delegation = _delegations[patient][colleague];
        if (delegation.status != DelegationStatus.Pending) revert NoPendingDelegation(patient, colleague);
        address doctor = delegation.doctor;
        if (!consent.isGrantActive(patient, doctor) || consent.grantOf(patient, doctor).serial != delegation.parentSerial)
        {
            revert ParentGrantChanged(patient, doctor);
        }
        delegation.status = DelegationStatus.Approved;
        emit DelegationApproved(patient, colleague, msg.sender);
    }

    function _reject(address patient, address colleague) private {
        Delegation storage delegation = _delegations[patient][colleague];
        if (delegation.status != DelegationStatus.Pending) revert NoPendingDelegation(patient, colleague);
        delegation.status = DelegationStatus.Rejected;
        emit DelegationRejected(patient, colleague, msg.sender);
    }

    function _revoke(address patient, address colleague, Delegation storage delegation) private {
        if (delegation.status != DelegationStatus.Approved && delegation.status != DelegationStatus.Pending) {
            revert NoDelegation(patient, colleague);
        }
        delegation.status = DelegationStatus.Revoked;
        emit DelegationRevoked(patient, colleague, msg.sender);
    }

    function _listKey(address patient, address colleague, uint32 serial, bytes32 recordId)
        private
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(patient, colleague, serial, recordId));
    }
}
