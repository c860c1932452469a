// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IdentityRegistry} from "../identity/IdentityRegistry.sol";
import {RecordRegistry} from "../records/RecordRegistry.sol";
import {EIP712Relayed} from "../utils/EIP712Relayed.sol";
import {ConsentManager} from "./ConsentManager.sol";
import {IConsentErrors} from "./IConsentErrors.sol";
import {Scope, ScopeKind, ScopeLib} from "./Scope.sol";

/// @title DelegationRegistry
/// @notice A doctor holding a live grant asks to share a patient's records with a colleague; only the patient's
/// approval makes the delegation effective, and the approval names exactly what it approves (doctor, request serial,
/// scope hash, expiry), so a request swapped after the patient looked at it cannot be approved. A delegated scope and
/// expiry never exceed the doctor's grant, and a delegation lives only as long as the exact grant it was made under:
/// when the patient revokes the doctor (or the grant expires or is replaced), the colleague's access ends with it, and
/// it is void while the doctor or the colleague is not an attested doctor. There is one delegation per
/// (patient, colleague). `hasAccess` here answers for direct grants and delegations alike.
contract DelegationRegistry is EIP712Relayed, IConsentErrors {
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
        /// Increments with every delegation request of the pair (keys the listed record ids; approvals name it).
        uint32 serial;
        uint40 expiresAt;
    }

    /// @notice What a patient's approval names: exactly one delegation request.
    struct DelegationTerms {
        /// The delegating doctor.
        address doctor;
        /// The request's serial (`DelegationRequested.serial`).
        uint32 serial;
        /// The EIP-712 struct hash of the requested `Scope`.
        bytes32 scopeHash;
        /// The requested expiry.
        uint40 expiresAt;
    }

    /// @notice `doctor` asked `patient` to let `colleague` read `scope` until `expiresAt`.
    /// @param patient The patient asked.
    /// @param doctor The delegating doctor.
    /// @param colleague The colleague who would read.
    /// @param serial The request's serial within the (patient, colleague) pair: an approval must name it.
    /// @param parentSerial The serial of the doctor's grant the delegation is made under (it ends with that grant).
    /// @param scope What the colleague would read (an approval names its EIP-712 hash).
    /// @param expiresAt When the delegation would end by itself (Unix seconds).
    event DelegationRequested(
        address indexed patient,
        address indexed doctor,
        address indexed colleague,
        uint32 serial,
        uint32 parentSerial,
        Scope scope,
        uint40 expiresAt
    );
    /// @notice `patient` approved delegation request `serial` of `doctor` to `colleague`, live until `expiresAt` at most.
    /// @param patient The patient.
    /// @param colleague The colleague who may now read.
    /// @param actor Who submitted the approval (the patient or a relayer).
    /// @param doctor The delegating doctor.
    /// @param serial The approved request's serial.
    /// @param expiresAt When the delegation ends by itself (Unix seconds).
    event DelegationApproved(
        address indexed patient,
        address indexed colleague,
        address indexed actor,
        address doctor,
        uint32 serial,
        uint40 expiresAt
    );
    /// @notice `patient` rejected delegation request `serial` to `colleague`.
    /// @param patient The patient.
    /// @param colleague The colleague.
    /// @param actor Who submitted the rejection (the patient or a relayer).
    /// @param serial The rejected request's serial.
    event DelegationRejected(address indexed patient, address indexed colleague, address indexed actor, uint32 serial);
    /// @notice Delegation `serial` to `colleague` (pending or approved) was revoked by `actor` (the patient, its
    /// relayer, or the delegating doctor withdrawing it).
    /// @param patient The patient.
    /// @param colleague The colleague.
    /// @param actor Who revoked.
    /// @param serial The revoked delegation's serial.
    event DelegationRevoked(address indexed patient, address indexed colleague, address indexed actor, uint32 serial);

    /// @notice The colleague is the doctor itself, the patient, or the zero address.
    /// @param colleague The rejected colleague.
    error InvalidColleague(address colleague);
    /// @notice The delegated scope is not within the doctor's grant.
    error ScopeExceedsGrant();
    /// @notice A delegation to `colleague` is already pending or live.
    /// @param patient The patient.
    /// @param colleague The colleague.
    error DelegationAlreadyExists(address patient, address colleague);
    /// @notice There is no pending delegation to `colleague`.
    /// @param patient The patient.
    /// @param colleague The colleague.
    error NoPendingDelegation(address patient, address colleague);
    /// @notice There is no pending or approved delegation to `colleague`.
    /// @param patient The patient.
    /// @param colleague The colleague.
    error NoDelegation(address patient, address colleague);
    /// @notice The doctor's grant the delegation was made under is no longer the live grant.
    /// @param patient The patient.
    /// @param doctor The delegating doctor.
    error ParentGrantChanged(address patient, address doctor);
    /// @notice `account` may not revoke this delegation.
    /// @param account The caller.
    error NotAuthorized(address account);
    /// @notice The approval, rejection or revocation names other terms than the delegation's current ones (the request
    /// was withdrawn and replaced, or the signature was made for an earlier one).
    /// @param patient The patient.
    /// @param colleague The colleague.
    /// @param serial The serial the patient named.
    error DelegationMismatch(address patient, address colleague, uint32 serial);

    bytes32 public constant APPROVE_DELEGATION_TYPEHASH = keccak256(
        "ApproveDelegation(address patient,address colleague,address doctor,uint32 serial,bytes32 scopeHash,"
        "uint40 expiresAt,uint256 nonce,uint256 deadline)"
    );
    bytes32 public constant REJECT_DELEGATION_TYPEHASH = keccak256(
        "RejectDelegation(address patient,address colleague,uint32 serial,uint256 nonce,uint256 deadline)"
    );
    bytes32 public constant REVOKE_DELEGATION_TYPEHASH = keccak256(
        "RevokeDelegation(address patient,address colleague,uint32 serial,uint256 nonce,uint256 deadline)"
    );

    ConsentManager public immutable consent;
    IdentityRegistry public immutable identities;
    RecordRegistry public immutable records;

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

    constructor(ConsentManager consent_) EIP712Relayed("MHR Chain DelegationRegistry", "1") {
        consent = consent_;
        identities = consent_.identities();
        records = consent_.records();
    }

    // ---------------------------------------------------------------- doctor actions

    /// @notice The caller, holding a live grant from `patient`, asks to delegate `scope` to `colleague`.
    function requestDelegation(address patient, address colleague, Scope calldata scope, uint40 expiresAt) external {
        (ConsentManager.Grant memory grant, bool live) = consent.liveGrantOf(patient, msg.sender);
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

    /// @notice The caller approves the pending delegation to `colleague`, naming what it approves (`terms`: the
    /// request's doctor, serial, scope hash and expiry, as `DelegationRequested` showed them). Reverts with
    /// `DelegationMismatch` when the pending request is another one.
    function approveDelegation(address colleague, DelegationTerms calldata terms) external {
        _approve(msg.sender, colleague, terms);
    }

    /// @notice Approves on behalf of `patient` with the patient's EIP-712 signature over the same terms.
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

    /// @notice The caller rejects the pending delegation to `colleague`.
    function rejectDelegation(address colleague) external {
        _reject(msg.sender, colleague);
    }

    /// @notice Rejects delegation request `serial` on behalf of `patient` with the patient's EIP-712 signature.
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

    /// @notice Revokes the delegation of `patient` to `colleague`: the patient or the delegating doctor may.
    function revokeDelegation(address patient, address colleague) external {
        Stored storage delegation = _delegations[patient][colleague];
        if (msg.sender != patient && msg.sender != delegation.doctor) revert NotAuthorized(msg.sender);
        _revoke(patient, colleague, delegation);
    }

    /// @notice Revokes delegation `serial` on behalf of `patient` with the patient's EIP-712 signature.
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

    /// @notice The delegation of (`patient`, `colleague`), live or not.
    function delegationOf(address patient, address colleague) external view returns (Delegation memory) {
        Stored storage d = _delegations[patient][colleague];
        return Delegation(d.doctor, d.status, d.kind, d.category, d.parentSerial, d.serial, d.expiresAt);
    }

    /// @notice Whether the delegation is approved, unexpired, its parent grant is still the same live grant, and the
    /// colleague is an attested doctor (the parent grant being live requires the doctor to be one).
    function isDelegationActive(address patient, address colleague) public view returns (bool) {
        return _isLive(patient, colleague, _delegations[patient][colleague]);
    }

    /// @notice Whether `reader` may read `recordId` of `patient`, through its own grant or a live delegation.
    function hasAccess(address patient, address reader, bytes32 recordId) external view returns (bool) {
        if (consent.hasAccess(patient, reader, recordId)) return true;
        Stored storage delegation = _delegations[patient][reader];
        if (!_isLive(patient, reader, delegation)) return false;
        RecordRegistry.Record memory record = records.recordOf(recordId);
        if (record.patient != patient || record.erased) return false;
        if (delegation.kind == ScopeKind.Records) {
            return _listed[_listKey(patient, reader, delegation.serial, recordId)];
        }
        return delegation.kind == ScopeKind.All || record.category == delegation.category;
    }

    // ---------------------------------------------------------------- internal

    function _isLive(address patient, address colleague, Stored storage delegation) private view returns (bool) {
        if (delegation.status != DelegationStatus.Approved || block.timestamp >= delegation.expiresAt) return false;
        (ConsentManager.Grant memory grant, bool live) = consent.liveGrantOf(patient, delegation.doctor);
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
        ConsentManager.Grant memory grant = consent.grantOf(patient, doctor);
        if (
            grant.status != ConsentManager.GrantStatus.Active || block.timestamp >= grant.expiresAt
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
