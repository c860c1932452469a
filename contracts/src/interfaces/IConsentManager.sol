// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Scope, ScopeKind} from "../consent/Scope.sol";
import {IEIP712Relayed} from "./IEIP712Relayed.sol";
import {IIdentityRegistry} from "./IIdentityRegistry.sol";
import {IRecordRegistry} from "./IRecordRegistry.sol";
import {IConsentErrors, IRecordOwnerErrors} from "./ISharedErrors.sol";

/// @title IConsentManager
/// @notice Access requests and grants between a patient and a doctor. A doctor (attested in the IdentityRegistry)
/// requests access with a scope, purpose and duration; the patient grants (scope, expiry) or rejects; the patient
/// revokes at any time; grants expire by themselves. There is at most one grant per (patient, doctor): granting again
/// replaces it under a new serial. Each revoke bumps the patient's key epoch, so clients know which envelopes were
/// wrapped before it and must be re-wrapped. Every patient action also has an EIP-712 relayed form.
/// @dev Also raises the errors of `IConsentErrors` and `NotRecordOwner` (`IRecordOwnerErrors`: a `Records` grant
/// lists an id that is not one of the patient's records).
interface IConsentManager is IEIP712Relayed, IConsentErrors, IRecordOwnerErrors {
    /// @notice Where a grant stands.
    enum GrantStatus {
        /// Never granted.
        None,
        /// Granted and not revoked (live only before its expiry, and while the doctor is attested).
        Active,
        /// Revoked by the patient.
        Revoked
    }

    /// @notice Where the latest request of a (patient, doctor) pair stands.
    enum RequestStatus {
        /// Never requested.
        None,
        /// Waiting for the patient's decision.
        Pending,
        /// Answered by a grant.
        Granted,
        /// Rejected by the patient.
        Rejected
    }

    /// @notice The grant of a (patient, doctor) pair. Live means `status == Active`, before `expiresAt`, and the
    /// doctor still attested (see `isGrantActive`).
    struct Grant {
        /// The grant's serial within the pair (0: never granted).
        uint32 serial;
        /// Whether it is active or revoked.
        GrantStatus status;
        /// What the grant covers (the listed ids of a `Records` grant are in its `AccessGranted` log).
        ScopeKind kind;
        /// The category of a `Category` grant.
        uint16 category;
        /// When it was granted (Unix seconds).
        uint40 grantedAt;
        /// When it ends by itself (Unix seconds).
        uint40 expiresAt;
    }

    /// @notice The latest access request of a (patient, doctor) pair; its purpose and listed ids are in the log.
    struct AccessRequest {
        /// Where the request stands.
        RequestStatus status;
        /// What the doctor asked to read.
        ScopeKind kind;
        /// The category of a `Category` request.
        uint16 category;
        /// How long the doctor asked to read, in seconds.
        uint32 duration;
        /// When the doctor asked (Unix seconds).
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
    /// @notice A revocation names another grant than the pair's current one (sent or signed for an earlier grant).
    /// @param patient The patient.
    /// @param doctor The doctor.
    /// @param signedSerial The grant serial the patient named (sent or signed).
    /// @param currentSerial The pair's current grant serial.
    error GrantSerialMismatch(address patient, address doctor, uint32 signedSerial, uint32 currentSerial);
    /// @notice A rejection names another request than the pair's current one (sent or signed for an earlier request).
    /// @param patient The patient.
    /// @param doctor The doctor.
    /// @param signedSerial The request serial the patient named (sent or signed).
    /// @param currentSerial The pair's current request serial.
    error RequestSerialMismatch(address patient, address doctor, uint32 signedSerial, uint32 currentSerial);

    /// @notice The longest duration a request may ask for (5 years).
    /// @return The longest duration, in seconds.
    function MAX_DURATION() external view returns (uint32);

    // Purposes of use: the codes of HL7 v3 PurposeOfUse (code system
    // `http://terminology.hl7.org/CodeSystem/v3-ActReason`) an access request may name, each under a stable number.
    // The numbers never change meaning; a new purpose gets the next number (and raises `MAX_PURPOSE`). 0 is no
    // purpose and is refused, like every number above `MAX_PURPOSE` (`InvalidPurpose`).

    /// @notice HL7 `TREAT`: treatment.
    /// @return The purpose code (1).
    function PURPOSE_TREAT() external view returns (uint16);
    /// @notice HL7 `ETREAT`: emergency treatment.
    /// @return The purpose code (2).
    function PURPOSE_ETREAT() external view returns (uint16);
    /// @notice HL7 `HPAYMT`: healthcare payment.
    /// @return The purpose code (3).
    function PURPOSE_HPAYMT() external view returns (uint16);
    /// @notice HL7 `HRESCH`: healthcare research.
    /// @return The purpose code (4).
    function PURPOSE_HRESCH() external view returns (uint16);
    /// @notice HL7 `HOPERAT`: healthcare operations.
    /// @return The purpose code (5).
    function PURPOSE_HOPERAT() external view returns (uint16);
    /// @notice HL7 `PUBHLTH`: public health.
    /// @return The purpose code (6).
    function PURPOSE_PUBHLTH() external view returns (uint16);
    /// @notice HL7 `PATRQT`: patient requested.
    /// @return The purpose code (7).
    function PURPOSE_PATRQT() external view returns (uint16);
    /// @notice HL7 `CAREMGT`: care management.
    /// @return The purpose code (8).
    function PURPOSE_CAREMGT() external view returns (uint16);
    /// @notice HL7 `HSYSADMIN`: health system administration.
    /// @return The purpose code (9).
    function PURPOSE_HSYSADMIN() external view returns (uint16);
    /// @notice HL7 `CLINTRCH`: clinical trial research.
    /// @return The purpose code (10).
    function PURPOSE_CLINTRCH() external view returns (uint16);
    /// @notice The highest purpose code in use; codes run from 1 to `MAX_PURPOSE`.
    /// @return The highest purpose code.
    function MAX_PURPOSE() external view returns (uint16);

    /// @notice The EIP-712 type hash of a relayed grant:
    /// `GrantAccess(address patient,address doctor,Scope scope,uint40 expiresAt,uint256 nonce,uint256 deadline)`
    /// followed by `Scope(uint8 kind,uint16 category,bytes32[] recordIds)`.
    /// @return The type hash.
    function GRANT_ACCESS_TYPEHASH() external view returns (bytes32);

    /// @notice The EIP-712 type hash of a relayed rejection:
    /// `RejectRequest(address patient,address doctor,uint32 serial,uint256 nonce,uint256 deadline)`.
    /// @return The type hash.
    function REJECT_REQUEST_TYPEHASH() external view returns (bytes32);

    /// @notice The EIP-712 type hash of a relayed revocation:
    /// `RevokeAccess(address patient,address doctor,uint32 serial,uint256 nonce,uint256 deadline)`.
    /// @return The type hash.
    function REVOKE_ACCESS_TYPEHASH() external view returns (bytes32);

    /// @notice The registry that attests doctors.
    /// @return The identity registry.
    function identities() external view returns (IIdentityRegistry);

    /// @notice The registry of the records grants cover.
    /// @return The record registry.
    function records() external view returns (IRecordRegistry);

    /// @notice The caller, an attested doctor, asks `patient` for access to `scope`, for `purpose` (a PurposeOfUse
    /// code, 1 to `MAX_PURPOSE`: the chain learns which of these purposes, never any text), during `duration` s.
    /// @param patient The patient asked.
    /// @param scope What the doctor asks to read (well formed).
    /// @param purpose The purpose of use code (1 to `MAX_PURPOSE`).
    /// @param duration How long the doctor asks to read, in seconds (1 to `MAX_DURATION`).
    function requestAccess(address patient, Scope calldata scope, uint16 purpose, uint32 duration) external;

    /// @notice The caller grants `doctor` access to `scope` until `expiresAt`, replacing any previous grant.
    /// @param doctor An attested doctor.
    /// @param scope What the doctor may read (well formed; listed ids must be the caller's records).
    /// @param expiresAt When the grant ends by itself (Unix seconds, in the future).
    /// @return serial The new grant's serial.
    function grantAccess(address doctor, Scope calldata scope, uint40 expiresAt) external returns (uint32 serial);

    /// @notice Grants on behalf of `patient` with the patient's EIP-712 signature; anyone may submit it.
    /// @param patient The granting patient.
    /// @param doctor An attested doctor.
    /// @param scope What the doctor may read (well formed; listed ids must be the patient's records).
    /// @param expiresAt When the grant ends by itself (Unix seconds, in the future).
    /// @param deadline The last second the signature may be relayed (Unix seconds).
    /// @param signature The patient's EIP-712 signature of `GrantAccess`.
    /// @return serial The new grant's serial.
    function grantAccessBySig(
        address patient,
        address doctor,
        Scope calldata scope,
        uint40 expiresAt,
        uint256 deadline,
        bytes calldata signature
    ) external returns (uint32 serial);

    /// @notice The caller rejects pending request `serial` of `doctor`. The call names the request it ends, so a
    /// rejection mined late (held in the mempool, or sent again) cannot reject a later request of the same doctor;
    /// reverts with `RequestSerialMismatch` otherwise.
    /// @param doctor The doctor whose request is pending.
    /// @param serial The serial of the request the caller rejects (the pair's current one).
    function rejectRequest(address doctor, uint32 serial) external;

    /// @notice Rejects request `serial` on behalf of `patient` with the patient's EIP-712 signature. The signature
    /// names the request it ends, so a withheld signature cannot reject a later request of the same doctor.
    /// @param patient The patient.
    /// @param doctor The doctor whose request is pending.
    /// @param serial The serial of the request the patient rejects (the pair's current one).
    /// @param deadline The last second the signature may be relayed (Unix seconds).
    /// @param signature The patient's EIP-712 signature of `RejectRequest`.
    function rejectRequestBySig(
        address patient,
        address doctor,
        uint32 serial,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice The caller revokes grant `serial` of `doctor` (also ends every delegation made under it). The call
    /// names the grant it ends, so a revoke mined late (held in the mempool, or re-sent after the caller granted again
    /// from another device) cannot revoke a later grant to the same doctor.
    /// @param doctor The doctor whose grant is active.
    /// @param serial The serial of the grant the caller revokes (the pair's current one).
    /// @return keyEpoch The caller's key epoch after the revocation.
    function revokeAccess(address doctor, uint32 serial) external returns (uint64 keyEpoch);

    /// @notice Revokes grant `serial` on behalf of `patient` with the patient's EIP-712 signature. The signature
    /// names the grant it ends, so a withheld signature cannot revoke a later grant to the same doctor.
    /// @param patient The patient.
    /// @param doctor The doctor whose grant is active.
    /// @param serial The serial of the grant the patient revokes (the pair's current one).
    /// @param deadline The last second the signature may be relayed (Unix seconds).
    /// @param signature The patient's EIP-712 signature of `RevokeAccess`.
    /// @return keyEpoch The patient's key epoch after the revocation.
    function revokeAccessBySig(
        address patient,
        address doctor,
        uint32 serial,
        uint256 deadline,
        bytes calldata signature
    ) external returns (uint64 keyEpoch);

    /// @notice The grant of (`patient`, `doctor`), live or not.
    /// @param patient The patient.
    /// @param doctor The doctor.
    /// @return The pair's grant (all zero when never granted).
    function grantOf(address patient, address doctor) external view returns (Grant memory);

    /// @notice The latest request of (`patient`, `doctor`).
    /// @param patient The patient.
    /// @param doctor The doctor.
    /// @return The pair's latest request (all zero when never requested).
    function requestOf(address patient, address doctor) external view returns (AccessRequest memory);

    /// @notice Whether `doctor` holds a live grant from `patient`: granted, not revoked, not expired, and the doctor
    /// still attested. A doctor whose attestation expired or was withdrawn reads nothing; re-attested before the
    /// grant's expiry, it reads again (the patient revokes to end the grant for good).
    /// @param patient The patient.
    /// @param doctor The doctor.
    /// @return Whether the grant is live.
    function isGrantActive(address patient, address doctor) external view returns (bool);

    /// @notice The grant of (`patient`, `doctor`) and whether it is live (`isGrantActive`), in one call.
    /// @param patient The patient.
    /// @param doctor The doctor.
    /// @return grant The pair's grant (all zero when never granted).
    /// @return live Whether the grant is live.
    function liveGrantOf(address patient, address doctor) external view returns (Grant memory grant, bool live);

    /// @notice Whether `recordId` was listed in grant `serial` of (`patient`, `doctor`).
    /// @param patient The patient.
    /// @param doctor The doctor.
    /// @param serial The grant's serial.
    /// @param recordId The record.
    /// @return Whether that grant listed the record.
    function isListed(address patient, address doctor, uint32 serial, bytes32 recordId) external view returns (bool);

    /// @notice Whether `doctor` may read `recordId` of `patient` through a live grant of its own (never for an erased
    /// record).
    /// @param patient The patient.
    /// @param doctor The reader.
    /// @param recordId The record.
    /// @return Whether the doctor's own live grant covers the record.
    function grantCovers(address patient, address doctor, bytes32 recordId) external view returns (bool);

    /// @notice The key epoch of `patient`: the number of revocations so far.
    /// @param patient The patient.
    /// @return The patient's key epoch.
    function keyEpochOf(address patient) external view returns (uint64);
}
