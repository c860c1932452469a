// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IdentityRegistry} from "../identity/IdentityRegistry.sol";
import {RecordRegistry} from "../records/RecordRegistry.sol";
import {EIP712Relayed} from "../utils/EIP712Relayed.sol";
import {IConsentErrors} from "./IConsentErrors.sol";
import {Scope, ScopeKind, ScopeLib} from "./Scope.sol";

/// @title ConsentManager
/// @notice Access requests and grants between a patient and a doctor. A doctor (attested in the IdentityRegistry)
/// requests access with a scope, purpose and duration; the patient grants (scope, expiry) or rejects; the patient
/// revokes at any time; grants expire by themselves. There is at most one grant per (patient, doctor): granting again
/// replaces it under a new serial. Each revoke bumps the patient's key epoch, so clients know which envelopes were
/// wrapped before it and must be re-wrapped. Every patient action also has an EIP-712 relayed form.
contract ConsentManager is EIP712Relayed, IConsentErrors {
    using ScopeLib for Scope;

    enum GrantStatus {
        None,
        Active,
        Revoked
    }

    enum RequestStatus {
        None,
        Pending,
        Granted,
        Rejected
    }

    /// @notice The grant of a (patient, doctor) pair. Live means `status == Active`, before `expiresAt`, and the
    /// doctor still attested (see `isGrantActive`).
    struct Grant {
        uint32 serial;
        GrantStatus status;
        ScopeKind kind;
        uint16 category;
        uint40 grantedAt;
        uint40 expiresAt;
    }

    /// @notice The latest access request of a (patient, doctor) pair; its purpose and listed ids are in the log.
    struct AccessRequest {
        RequestStatus status;
        ScopeKind kind;
        uint16 category;
        uint32 duration;
        uint40 requestedAt;
        /// Increments with every request of the pair; a relayed rejection names the request it ends.
        uint32 serial;
    }

    /// @notice `doctor` asked `patient` for access to `scope` for `purpose` during `duration` s.
    /// @param patient The patient asked.
    /// @param doctor The requesting doctor.
    /// @param serial The request's serial within the (patient, doctor) pair.
    /// @param scope What the doctor asks to read.
    /// @param purpose The purpose of use, a code of the vocabulary below (`PURPOSE_TREAT` … `PURPOSE_CLINTRCH`);
    /// never free text.
    /// @param duration How long the doctor asks to read, in seconds.
    event AccessRequested(
        address indexed patient, address indexed doctor, uint32 serial, Scope scope, uint16 purpose, uint32 duration
    );
    /// @notice `patient` granted `doctor` access to `scope` until `expiresAt` under grant `serial`. A grant replaces
    /// the pair's previous one: `replacedSerial` names the grant this one ended while it was still live (0: none),
    /// and with it every delegation made under that grant.
    /// @param patient The granting patient.
    /// @param doctor The doctor granted.
    /// @param actor Who submitted the grant (the patient or a relayer).
    /// @param serial The new grant's serial.
    /// @param scope What the doctor may read.
    /// @param expiresAt When the grant ends by itself (Unix seconds).
    /// @param replacedSerial The live grant this one replaced and ended (0: none).
    event AccessGranted(
        address indexed patient,
        address indexed doctor,
        address indexed actor,
        uint32 serial,
        Scope scope,
        uint40 expiresAt,
        uint32 replacedSerial
    );
    /// @notice `patient` rejected request `serial` of `doctor`.
    /// @param patient The patient.
    /// @param doctor The doctor whose request was rejected.
    /// @param actor Who submitted the rejection (the patient or a relayer).
    /// @param serial The rejected request's serial.
    event AccessRequestRejected(address indexed patient, address indexed doctor, address indexed actor, uint32 serial);
    /// @notice `patient` revoked grant `serial` of `doctor`, and with it every delegation made under that grant; the
    /// patient's key epoch is now `keyEpoch`.
    /// @param patient The patient.
    /// @param doctor The doctor revoked.
    /// @param actor Who submitted the revocation (the patient or a relayer).
    /// @param serial The revoked grant's serial.
    /// @param keyEpoch The patient's key epoch after the revocation.
    event AccessRevoked(
        address indexed patient, address indexed doctor, address indexed actor, uint32 serial, uint64 keyEpoch
    );

    /// @notice The duration is 0 or longer than `MAX_DURATION`.
    /// @param duration The rejected duration (seconds).
    error InvalidDuration(uint32 duration);
    /// @notice `doctor` already has a pending request to `patient`.
    /// @param patient The patient.
    /// @param doctor The doctor.
    error RequestAlreadyPending(address patient, address doctor);
    /// @notice `doctor` has no pending request to `patient`.
    /// @param patient The patient.
    /// @param doctor The doctor.
    error NoPendingRequest(address patient, address doctor);
    /// @notice A listed record id is not a record of `patient`.
    /// @param recordId The record id.
    /// @param patient The patient.
    error NotRecordOwner(bytes32 recordId, address patient);
    /// @notice A relayed revocation names another grant than the pair's current one (signed for an earlier grant).
    /// @param patient The patient.
    /// @param doctor The doctor.
    /// @param signedSerial The grant serial the patient signed.
    /// @param currentSerial The pair's current grant serial.
    error GrantSerialMismatch(address patient, address doctor, uint32 signedSerial, uint32 currentSerial);
    /// @notice A relayed rejection names another request than the pair's current one (signed for an earlier request).
    /// @param patient The patient.
    /// @param doctor The doctor.
    /// @param signedSerial The request serial the patient signed.
    /// @param currentSerial The pair's current request serial.
    error RequestSerialMismatch(address patient, address doctor, uint32 signedSerial, uint32 currentSerial);

    /// @notice The longest duration a request may ask for (5 years).
    uint32 public constant MAX_DURATION = 5 * 365 days;

    // Purposes of use: the codes of HL7 v3 PurposeOfUse (code system
    // `http://terminology.hl7.org/CodeSystem/v3-ActReason`) an access request may name, each under a stable number.
    // The numbers never change meaning; a new purpose gets the next number (and raises `MAX_PURPOSE`). 0 is no
    // purpose and is refused, like every number above `MAX_PURPOSE` (`InvalidPurpose`).

    /// @notice HL7 `TREAT`: treatment.
    uint16 public constant PURPOSE_TREAT = 1;
    /// @notice HL7 `ETREAT`: emergency treatment.
    uint16 public constant PURPOSE_ETREAT = 2;
    /// @notice HL7 `HPAYMT`: healthcare payment.
    uint16 public constant PURPOSE_HPAYMT = 3;
    /// @notice HL7 `HRESCH`: healthcare research.
    uint16 public constant PURPOSE_HRESCH = 4;
    /// @notice HL7 `HOPERAT`: healthcare operations.
    uint16 public constant PURPOSE_HOPERAT = 5;
    /// @notice HL7 `PUBHLTH`: public health.
    uint16 public constant PURPOSE_PUBHLTH = 6;
    /// @notice HL7 `PATRQT`: patient requested.
    uint16 public constant PURPOSE_PATRQT = 7;
    /// @notice HL7 `CAREMGT`: care management.
    uint16 public constant PURPOSE_CAREMGT = 8;
    /// @notice HL7 `HSYSADMIN`: health system administration.
    uint16 public constant PURPOSE_HSYSADMIN = 9;
    /// @notice HL7 `CLINTRCH`: clinical trial research.
    uint16 public constant PURPOSE_CLINTRCH = 10;
    /// @notice The highest purpose code in use; codes run from 1 to `MAX_PURPOSE`.
    uint16 public constant MAX_PURPOSE = PURPOSE_CLINTRCH;

    bytes32 public constant GRANT_ACCESS_TYPEHASH = keccak256(
        "GrantAccess(address patient,address doctor,Scope scope,uint40 expiresAt,uint256 nonce,uint256 deadline)"
        "Scope(uint8 kind,uint16 category,bytes32[] recordIds)"
    );
    bytes32 public constant REJECT_REQUEST_TYPEHASH =
        keccak256("RejectRequest(address patient,address doctor,uint32 serial,uint256 nonce,uint256 deadline)");
    bytes32 public constant REVOKE_ACCESS_TYPEHASH =
        keccak256("RevokeAccess(address patient,address doctor,uint32 serial,uint256 nonce,uint256 deadline)");

    IdentityRegistry public immutable identities;
    RecordRegistry public immutable records;

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

    constructor(IdentityRegistry identities_, RecordRegistry records_) EIP712Relayed("MHR Chain ConsentManager", "1") {
        identities = identities_;
        records = records_;
    }

    // ---------------------------------------------------------------- doctor actions

    /// @notice The caller, an attested doctor, asks `patient` for access to `scope`, for `purpose` (a PurposeOfUse
    /// code, 1 to `MAX_PURPOSE`: the chain learns which of these purposes, never any text), during `duration` s.
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

    /// @notice The caller grants `doctor` access to `scope` until `expiresAt`, replacing any previous grant.
    function grantAccess(address doctor, Scope calldata scope, uint40 expiresAt) external returns (uint32 serial) {
        return _grant(msg.sender, doctor, scope, expiresAt);
    }

    /// @notice Grants on behalf of `patient` with the patient's EIP-712 signature; anyone may submit it.
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

    /// @notice The caller rejects the pending request of `doctor`.
    function rejectRequest(address doctor) external {
        _reject(msg.sender, doctor);
    }

    /// @notice Rejects request `serial` on behalf of `patient` with the patient's EIP-712 signature. The signature
    /// names the request it ends, so a withheld signature cannot reject a later request of the same doctor.
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
        uint32 current = _pairs[patient][doctor].requestSerial;
        if (serial != current) revert RequestSerialMismatch(patient, doctor, serial, current);
        _reject(patient, doctor);
    }

    /// @notice The caller revokes the grant of `doctor` (also ends every delegation made under it).
    function revokeAccess(address doctor) external returns (uint64 keyEpoch) {
        return _revoke(msg.sender, doctor);
    }

    /// @notice Revokes grant `serial` on behalf of `patient` with the patient's EIP-712 signature. The signature
    /// names the grant it ends, so a withheld signature cannot revoke a later grant to the same doctor.
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
        uint32 current = _pairs[patient][doctor].serial;
        if (serial != current) revert GrantSerialMismatch(patient, doctor, serial, current);
        return _revoke(patient, doctor);
    }

    // ---------------------------------------------------------------- views

    /// @notice The grant of (`patient`, `doctor`), live or not.
    function grantOf(address patient, address doctor) external view returns (Grant memory) {
        Pair storage pair = _pairs[patient][doctor];
        return Grant(pair.serial, pair.status, pair.kind, pair.category, pair.grantedAt, pair.expiresAt);
    }

    /// @notice The latest request of (`patient`, `doctor`).
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

    /// @notice Whether `doctor` holds a live grant from `patient`: granted, not revoked, not expired, and the doctor
    /// still attested. A doctor whose attestation expired or was withdrawn reads nothing; re-attested before the
    /// grant's expiry, it reads again (the patient revokes to end the grant for good).
    function isGrantActive(address patient, address doctor) public view returns (bool) {
        Pair storage pair = _pairs[patient][doctor];
        return pair.status == GrantStatus.Active && block.timestamp < pair.expiresAt && identities.isDoctor(doctor);
    }

    /// @notice The grant of (`patient`, `doctor`) and whether it is live (`isGrantActive`), in one call.
    function liveGrantOf(address patient, address doctor) external view returns (Grant memory grant, bool live) {
        Pair storage pair = _pairs[patient][doctor];
        grant = Grant(pair.serial, pair.status, pair.kind, pair.category, pair.grantedAt, pair.expiresAt);
        live = grant.status == GrantStatus.Active && block.timestamp < grant.expiresAt && identities.isDoctor(doctor);
    }

    /// @notice Whether `recordId` was listed in grant `serial` of (`patient`, `doctor`).
    function isListed(address patient, address doctor, uint32 serial, bytes32 recordId) public view returns (bool) {
        return _listed[_listKey(patient, doctor, serial, recordId)];
    }

    /// @notice Whether `doctor` may read `recordId` of `patient` through a live grant of its own (never for an erased
    /// record).
    function hasAccess(address patient, address doctor, bytes32 recordId) external view returns (bool) {
        if (!isGrantActive(patient, doctor)) return false;
        Pair storage pair = _pairs[patient][doctor];
        RecordRegistry.Record memory record = records.recordOf(recordId);
        if (record.patient != patient || record.erased) return false;
        if (pair.kind == ScopeKind.Records) return isListed(patient, doctor, pair.serial, recordId);
        return pair.kind == ScopeKind.All || record.category == pair.category;
    }

    /// @notice The key epoch of `patient`: the number of revocations so far.
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
