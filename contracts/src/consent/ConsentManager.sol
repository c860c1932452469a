// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IConsentManager} from "../interfaces/IConsentManager.sol";
import {IIdentityRegistry} from "../interfaces/IIdentityRegistry.sol";
import {IRecordRegistry} from "../interfaces/IRecordRegistry.sol";
import {EIP712Relayed} from "../utils/EIP712Relayed.sol";
import {Scope, ScopeKind, ScopeLib} from "./Scope.sol";

/// @title ConsentManager
/// @notice Access requests and grants between a patient and a doctor. A doctor (attested in the IdentityRegistry)
/// requests access with a scope, purpose and duration; the patient grants (scope, expiry) or rejects; the patient
/// revokes at any time; grants expire by themselves. There is at most one grant per (patient, doctor): granting again
/// replaces it under a new serial. Each revoke bumps the patient's key epoch, so clients know which envelopes were
/// wrapped before it and must be re-wrapped. Every patient action also has an EIP-712 relayed form.
contract ConsentManager is IConsentManager, EIP712Relayed {
    using ScopeLib for Scope;

    /// @inheritdoc IConsentManager
    uint32 public constant MAX_DURATION = 5 * 365 days;

    /// @inheritdoc IConsentManager
    uint16 public constant PURPOSE_TREAT = 1;
    /// @inheritdoc IConsentManager
    uint16 public constant PURPOSE_ETREAT = 2;
    /// @inheritdoc IConsentManager
    uint16 public constant PURPOSE_HPAYMT = 3;
    /// @inheritdoc IConsentManager
    uint16 public constant PURPOSE_HRESCH = 4;
    /// @inheritdoc IConsentManager
    uint16 public constant PURPOSE_HOPERAT = 5;
    /// @inheritdoc IConsentManager
    uint16 public constant PURPOSE_PUBHLTH = 6;
    /// @inheritdoc IConsentManager
    uint16 public constant PURPOSE_PATRQT = 7;
    /// @inheritdoc IConsentManager
    uint16 public constant PURPOSE_CAREMGT = 8;
    /// @inheritdoc IConsentManager
    uint16 public constant PURPOSE_HSYSADMIN = 9;
    /// @inheritdoc IConsentManager
    uint16 public constant PURPOSE_CLINTRCH = 10;
    /// @inheritdoc IConsentManager
    uint16 public constant MAX_PURPOSE = PURPOSE_CLINTRCH;

    /// @inheritdoc IConsentManager
    bytes32 public constant GRANT_ACCESS_TYPEHASH = keccak256(
        "GrantAccess(address patient,address doctor,Scope scope,uint40 expiresAt,uint256 nonce,uint256 deadline)"
        "Scope(uint8 kind,uint16 category,bytes32[] recordIds)"
    );
    /// @inheritdoc IConsentManager
    bytes32 public constant REJECT_REQUEST_TYPEHASH =
        keccak256("RejectRequest(address patient,address doctor,uint32 serial,uint256 nonce,uint256 deadline)");
    /// @inheritdoc IConsentManager
    bytes32 public constant REVOKE_ACCESS_TYPEHASH =
        keccak256("RevokeAccess(address patient,address doctor,uint32 serial,uint256 nonce,uint256 deadline)");

    /// @inheritdoc IConsentManager
    IIdentityRegistry public immutable identities;
    /// @inheritdoc IConsentManager
    IRecordRegistry public immutable records;

    /// @dev The grant and the latest request of a (patient, doctor) pair share one storage slot (32 bytes), so a grant
    /// answering a request rewrites a warm, non-zero slot instead of creating a second one. The two block times are
    /// kept as uint32 (good until 2106) to make room for the request serial; the views return them as uint40.
    struct Pair {
        uint32 serial;
        GrantStatus status;
        ScopeKind kind;
        uint16 category;
        uint32 grantedAt;
        uint40 expiresAt;
        RequestStatus requestStatus;
        ScopeKind requestKind;
        uint16 requestCategory;
        uint32 requestDuration;
        uint32 requestedAt;
        uint24 requestSerial;
    }

    mapping(address patient => mapping(address doctor => Pair)) private _pairs;
    mapping(address patient => uint64) private _keyEpochs;
    /// @dev keccak256(patient, doctor, serial, recordId) => listed in a `Records` grant.
    mapping(bytes32 key => bool) private _listed;

    constructor(IIdentityRegistry identities_, IRecordRegistry records_)
        EIP712Relayed("MHR Chain ConsentManager", "1")
    {
        identities = identities_;
        records = records_;
    }

    // ---------------------------------------------------------------- doctor actions

    /// @inheritdoc IConsentManager
    function requestAccess(address patient, Scope calldata scope, uint16 purpose, uint32 duration) external {
        if (!identities.isDoctor(msg.sender)) revert NotDoctor(msg.sender);
        if (!scope.isWellFormed()) revert InvalidScope();
        if (purpose == 0 || purpose > MAX_PURPOSE) revert InvalidPurpose();
        if (duration == 0 || duration > MAX_DURATION) revert InvalidDuration(duration);
        Pair storage pair = _pairs[patient][msg.sender];
        if (pair.requestStatus == RequestStatus.Pending) revert RequestAlreadyPending(patient, msg.sender);
        // A new request needs the patient's decision on the previous one: 2^24 - 1 requests per pair at most.
        uint24 serial = pair.requestSerial + 1;
        pair.requestStatus = RequestStatus.Pending;
        pair.requestKind = scope.kind;
        pair.requestCategory = scope.category;
        pair.requestDuration = duration;
        pair.requestedAt = uint32(block.timestamp);
        pair.requestSerial = serial;
        emit AccessRequested(patient, msg.sender, serial, scope, purpose, duration);
    }

    // ---------------------------------------------------------------- patient actions

    /// @inheritdoc IConsentManager
    function grantAccess(address doctor, Scope calldata scope, uint40 expiresAt) external returns (uint32 serial) {
        return _grant(msg.sender, doctor, scope, expiresAt);
    }

    /// @inheritdoc IConsentManager
    function grantAccessBySig(
        address patient,
        address doctor,
        Scope calldata scope,
        uint40 expiresAt,
        uint256 deadline,
        bytes calldata signature
    ) external returns (uint32 serial) {
        bytes32 structHash = keccak256(
            abi.encode(GRANT_ACCESS_TYPEHASH, patient, doctor, scope.hash(), expiresAt, _useNonce(patient), deadline)
        );
        _checkSignature(patient, structHash, deadline, signature);
        return _grant(patient, doctor, scope, expiresAt);
    }

    /// @inheritdoc IConsentManager
    function rejectRequest(address doctor, uint32 serial) external {
        _checkRequestSerial(msg.sender, doctor, serial);
        _reject(msg.sender, doctor);
    }

    /// @inheritdoc IConsentManager
    function rejectRequestBySig(
        address patient,
        address doctor,
        uint32 serial,
        uint256 deadline,
        bytes calldata signature
    ) external {
        bytes32 structHash =
            keccak256(abi.encode(REJECT_REQUEST_TYPEHASH, patient, doctor, serial, _useNonce(patient), deadline));
        _checkSignature(patient, structHash, deadline, signature);
        _checkRequestSerial(patient, doctor, serial);
        _reject(patient, doctor);
    }

    /// @inheritdoc IConsentManager
    function revokeAccess(address doctor, uint32 serial) external returns (uint64 keyEpoch) {
        _checkGrantSerial(msg.sender, doctor, serial);
        return _revoke(msg.sender, doctor);
    }

    /// @inheritdoc IConsentManager
    function revokeAccessBySig(
        address patient,
        address doctor,
        uint32 serial,
        uint256 deadline,
        bytes calldata signature
    ) external returns (uint64 keyEpoch) {
        bytes32 structHash =
            keccak256(abi.encode(REVOKE_ACCESS_TYPEHASH, patient, doctor, serial, _useNonce(patient), deadline));
        _checkSignature(patient, structHash, deadline, signature);
        _checkGrantSerial(patient, doctor, serial);
        return _revoke(patient, doctor);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IConsentManager
    function grantOf(address patient, address doctor) external view returns (Grant memory) {
        Pair storage pair = _pairs[patient][doctor];
        return Grant(pair.serial, pair.status, pair.kind, pair.category, pair.grantedAt, pair.expiresAt);
    }

    /// @inheritdoc IConsentManager
    function requestOf(address patient, address doctor) external view returns (AccessRequest memory) {
        Pair storage pair = _pairs[patient][doctor];
        return AccessRequest(
            pair.requestStatus,
            pair.requestKind,
            pair.requestCategory,
            pair.requestDuration,
            pair.requestedAt,
            pair.requestSerial
        );
    }

    /// @inheritdoc IConsentManager
    function isGrantActive(address patient, address doctor) public view returns (bool) {
        Pair storage pair = _pairs[patient][doctor];
        return pair.status == GrantStatus.Active && block.timestamp < pair.expiresAt && identities.isDoctor(doctor);
    }

    /// @inheritdoc IConsentManager
    function liveGrantOf(address patient, address doctor) external view returns (Grant memory grant, bool live) {
        Pair storage pair = _pairs[patient][doctor];
        grant = Grant(pair.serial, pair.status, pair.kind, pair.category, pair.grantedAt, pair.expiresAt);
        live = grant.status == GrantStatus.Active && block.timestamp < grant.expiresAt && identities.isDoctor(doctor);
    }

    /// @inheritdoc IConsentManager
    function isListed(address patient, address doctor, uint32 serial, bytes32 recordId) public view returns (bool) {
        return _listed[_listKey(patient, doctor, serial, recordId)];
    }

    /// @inheritdoc IConsentManager
    function grantCovers(address patient, address doctor, bytes32 recordId) external view returns (bool) {
        if (!isGrantActive(patient, doctor)) return false;
        Pair storage pair = _pairs[patient][doctor];
        IRecordRegistry.Record memory record = records.recordOf(recordId);
        if (record.patient != patient || record.erased) return false;
        if (pair.kind == ScopeKind.Records) return isListed(patient, doctor, pair.serial, recordId);
        return pair.kind == ScopeKind.All || record.category == pair.category;
    }

    /// @inheritdoc IConsentManager
    function keyEpochOf(address patient) external view returns (uint64) {
        return _keyEpochs[patient];
    }

    // ---------------------------------------------------------------- internal

    function _grant(address patient, address doctor, Scope calldata scope, uint40 expiresAt)
        private
        returns (uint32 serial)
    {
        if (!identities.isDoctor(doctor)) revert NotDoctor(doctor);
        if (!scope.isWellFormed()) revert InvalidScope();
        if (expiresAt <= block.timestamp) revert InvalidExpiry(expiresAt);
        Pair storage pair = _pairs[patient][doctor];
        uint32 previous = pair.serial;
        serial = previous + 1;
        if (scope.kind == ScopeKind.Records) {
            for (uint256 i; i < scope.recordIds.length; ++i) {
                bytes32 recordId = scope.recordIds[i];
                if (records.recordOf(recordId).patient != patient) revert NotRecordOwner(recordId, patient);
                _listed[_listKey(patient, doctor, serial, recordId)] = true;
            }
        }
        // The previous grant ends here if it was still live by its own terms (its delegations end with it).
        uint32 replacedSerial =
            pair.status == GrantStatus.Active && block.timestamp < pair.expiresAt ? previous : 0;
        pair.serial = serial;
        pair.status = GrantStatus.Active;
        pair.kind = scope.kind;
        pair.category = scope.category;
        pair.grantedAt = uint32(block.timestamp);
        pair.expiresAt = expiresAt;
        if (pair.requestStatus == RequestStatus.Pending) pair.requestStatus = RequestStatus.Granted;
        emit AccessGranted(patient, doctor, msg.sender, serial, scope, expiresAt, replacedSerial);
    }

    function _reject(address patient, address doctor) private {
        Pair storage pair = _pairs[patient][doctor];
        if (pair.requestStatus != RequestStatus.Pending) revert NoPendingRequest(patient, doctor);
        pair.requestStatus = RequestStatus.Rejected;
        emit AccessRequestRejected(patient, doctor, msg.sender, pair.requestSerial);
    }

    /// @dev Reverts unless `serial` is the pair's current request serial (a rejection ends only the request it names).
    function _checkRequestSerial(address patient, address doctor, uint32 serial) private view {
        uint32 current = _pairs[patient][doctor].requestSerial;
        if (serial != current) revert RequestSerialMismatch(patient, doctor, serial, current);
    }

    /// @dev Reverts unless `serial` is the pair's current grant serial (a revoke ends only the grant it names).
    function _checkGrantSerial(address patient, address doctor, uint32 serial) private view {
        uint32 current = _pairs[patient][doctor].serial;
        if (serial != current) revert GrantSerialMismatch(patient, doctor, serial, current);
    }

    function _revoke(address patient, address doctor) private returns (uint64 keyEpoch) {
        Pair storage pair = _pairs[patient][doctor];
        if (pair.status != GrantStatus.Active) revert NoActiveGrant(patient, doctor);
        pair.status = GrantStatus.Revoked;
        // A uint64 counter bumped once per revocation cannot overflow.
        unchecked {
            keyEpoch = ++_keyEpochs[patient];
        }
        emit AccessRevoked(patient, doctor, msg.sender, pair.serial, keyEpoch);
    }

    function _listKey(address patient, address doctor, uint32 serial, bytes32 recordId)
        private
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(patient, doctor, serial, recordId));
    }
}
