// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

// Errors more than one contract raises, each declared once, all in this file. They are split by concern into small
// interfaces so that a contract inherits only the errors it can raise: a contract's ABI lists every error of every
// interface it inherits.

/// @title IRecordOwnerErrors
/// @notice The record-ownership error `RecordRegistry` and `ConsentManager` share.
interface IRecordOwnerErrors {
    /// @notice `account` does not own record `recordId`: it tried to change another patient's record, or a grant
    /// listed a record id that is not one of the granting patient's records.
    /// @param recordId The record.
    /// @param account The account named as the record's owner.
    error NotRecordOwner(bytes32 recordId, address account);
}

/// @title IBatchErrors
/// @notice The batch error `RecordRegistry` and `StreamAnchors` share.
interface IBatchErrors {
    /// @notice A batch holds nothing: no record id, or no segment.
    error EmptyBatch();
}

/// @title IConsentErrors
/// @notice The errors `ConsentManager` and `DelegationRegistry` share.
interface IConsentErrors {
    /// @notice `account` holds no current doctor attestation (never attested, expired, withdrawn, or its registrar
    /// was removed).
    /// @param account The account that had to be an attested doctor.
    error NotDoctor(address account);
    /// @notice The scope is malformed (fields its kind does not use are set, or 0 or more than 64 listed ids).
    error InvalidScope();
    /// @notice The expiry is not in the future (or, for a delegation, exceeds the doctor's grant).
    /// @param expiresAt The rejected expiry (Unix seconds).
    error InvalidExpiry(uint40 expiresAt);
    /// @notice `doctor` holds no live grant from `patient` (none, revoked, expired, or the doctor is not attested).
    /// @param patient The patient.
    /// @param doctor The doctor.
    error NoActiveGrant(address patient, address doctor);
    /// @notice The purpose is not a code of the published PurposeOfUse vocabulary (0, or above `MAX_PURPOSE`).
    error InvalidPurpose();
}
