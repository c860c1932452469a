// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

// Errors more than one contract raises, each declared once. They are split by concern so that a contract inherits
// only the errors it can raise: a contract's ABI lists every error of every interface it inherits.
// (`IConsentErrors.sol` holds the errors the two consent contracts share.)

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
