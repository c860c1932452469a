// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title IConsentErrors
/// @notice The errors `ConsentManager` and `DelegationRegistry` share, declared once (see `ISharedErrors.sol` for the
/// errors other contracts share).
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
