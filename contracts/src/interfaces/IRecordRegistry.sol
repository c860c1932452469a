// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IEIP712Relayed} from "./IEIP712Relayed.sol";
import {IBatchErrors, IRecordOwnerErrors} from "./ISharedErrors.sol";

/// @title IRecordRegistry
/// @notice A patient anchors the CID of an encrypted record envelope with a non-identifying category code and gets a
/// stable record id. A new version (re-wrap or key rotation) supersedes the current one under the same id; every
/// version's CID stays in the `RecordAnchored` / `RecordSuperseded` logs, so the history is readable from the chain.
/// The patient can erase a record: it then takes no new version and no one has access to it any more (`RecordErased`
/// is the audit trail; the envelopes themselves are removed from storage by the patient's client, off chain).
/// @dev Also raises `NotRecordOwner` (`IRecordOwnerErrors`) and `EmptyBatch` (`IBatchErrors`).
interface IRecordRegistry is IEIP712Relayed, IRecordOwnerErrors, IBatchErrors {
    /// @notice The current head of a record.
    struct Record {
        /// The record's owner (zero: no such record).
        address patient;
        /// Non-identifying category code (application-defined, e.g. 1 = ECG).
        uint16 category;
        /// 0 for the first anchor, +1 for each superseding version.
        uint32 version;
        /// When the current version was anchored (or, once erased, when it was erased).
        uint40 updatedAt;
        /// Whether the patient erased the record: it takes no new version and grants no access.
        bool erased;
    }

    /// @notice `patient` anchored record `recordId` (version 0) at envelope `cid`; `actor` submitted it.
    /// @param recordId The new record's id: `keccak256(abi.encode(patient, keccak256(cid)))`.
    /// @param patient The record's owner.
    /// @param actor Who submitted it (the patient or a relayer).
    /// @param category The record's category code.
    /// @param cid The envelope CID of version 0.
    event RecordAnchored(
        bytes32 indexed recordId, address indexed patient, address indexed actor, uint16 category, bytes cid
    );
    /// @notice Version `version` at envelope `cid` superseded the previous version of `recordId`.
    /// @param recordId The record.
    /// @param patient The record's owner.
    /// @param actor Who submitted it (the patient or a relayer).
    /// @param version The new version number.
    /// @param cid The new version's envelope CID.
    event RecordSuperseded(
        bytes32 indexed recordId, address indexed patient, address indexed actor, uint32 version, bytes cid
    );
    /// @notice `patient` erased record `recordId`: it takes no new version, no one has access to it any more, and the
    /// patient's client removed its envelopes from the storage it controls. The event carries no content.
    /// @param recordId The erased record.
    /// @param patient The record's owner.
    /// @param actor Who submitted the erasure (the patient or a relayer).
    event RecordErased(bytes32 indexed recordId, address indexed patient, address indexed actor);

    /// @notice The CID is empty.
    error EmptyCid();
    /// @notice The patient already anchored this CID.
    /// @param recordId The existing record's id.
    error RecordAlreadyAnchored(bytes32 recordId);
    /// @notice No record has this id.
    /// @param recordId The unknown id.
    error RecordNotFound(bytes32 recordId);
    /// @notice A batch lists a different number of record ids and CIDs (or more than the batch limit).
    /// @param recordIds How many record ids it lists.
    /// @param cids How many CIDs it lists.
    error BatchLengthMismatch(uint256 recordIds, uint256 cids);
    /// @notice The record was erased: it takes no new version and cannot be erased again.
    /// @param recordId The erased record.
    error RecordIsErased(bytes32 recordId);

    /// @notice The EIP-712 type hash of a relayed anchor:
    /// `AnchorRecord(address patient,bytes cid,uint16 category,uint256 nonce,uint256 deadline)`.
    /// @return The type hash.
    function ANCHOR_RECORD_TYPEHASH() external view returns (bytes32);

    /// @notice The EIP-712 type hash of a relayed new version:
    /// `SupersedeRecord(address patient,bytes32 recordId,bytes cid,uint256 nonce,uint256 deadline)`.
    /// @return The type hash.
    function SUPERSEDE_RECORD_TYPEHASH() external view returns (bytes32);

    /// @notice The EIP-712 type hash of relayed new versions of several records:
    /// `SupersedeRecords(address patient,bytes32[] recordIds,bytes[] cids,uint256 nonce,uint256 deadline)`.
    /// @return The type hash.
    function SUPERSEDE_RECORDS_TYPEHASH() external view returns (bytes32);

    /// @notice The EIP-712 type hash of a relayed erasure:
    /// `EraseRecords(address patient,bytes32[] recordIds,uint256 nonce,uint256 deadline)`.
    /// @return The type hash.
    function ERASE_RECORDS_TYPEHASH() external view returns (bytes32);

    /// @notice Anchors envelope `cid` (binary CID) for the caller.
    /// @param cid The envelope's binary CID (not empty).
    /// @param category The record's category code.
    /// @return recordId The new record's id (`recordIdOf(caller, cid)`).
    function anchorRecord(bytes calldata cid, uint16 category) external returns (bytes32 recordId);

    /// @notice Anchors a record for `patient` with the patient's EIP-712 signature; anyone may submit it.
    /// @param patient The record's owner.
    /// @param cid The envelope's binary CID (not empty).
    /// @param category The record's category code.
    /// @param deadline The last second the signature may be relayed (Unix seconds).
    /// @param signature The patient's EIP-712 signature of `AnchorRecord` (over `keccak256(cid)`).
    /// @return recordId The new record's id (`recordIdOf(patient, cid)`).
    function anchorRecordBySig(
        address patient,
        bytes calldata cid,
        uint16 category,
        uint256 deadline,
        bytes calldata signature
    ) external returns (bytes32 recordId);

    /// @notice Supersedes the current version of the caller's record with envelope `cid`.
    /// @param recordId The caller's record (not erased).
    /// @param cid The new version's binary CID (not empty).
    /// @return version The new version number.
    function supersedeRecord(bytes32 recordId, bytes calldata cid) external returns (uint32 version);

    /// @notice Supersedes a record of `patient` with the patient's EIP-712 signature; anyone may submit it.
    /// @param patient The record's owner.
    /// @param recordId The record (not erased).
    /// @param cid The new version's binary CID (not empty).
    /// @param deadline The last second the signature may be relayed (Unix seconds).
    /// @param signature The patient's EIP-712 signature of `SupersedeRecord` (over `keccak256(cid)`).
    /// @return version The new version number.
    function supersedeRecordBySig(
        address patient,
        bytes32 recordId,
        bytes calldata cid,
        uint256 deadline,
        bytes calldata signature
    ) external returns (uint32 version);

    /// @notice Supersedes several of the caller's records at once (`cids[i]` becomes the next version of
    /// `recordIds[i]`), all or none: one transaction for a key release or a rotation.
    /// @param recordIds The caller's records (at least one, none erased).
    /// @param cids The new versions' binary CIDs, one per record id.
    /// @return versions The new version numbers, in the order of `recordIds`.
    function supersedeRecords(bytes32[] calldata recordIds, bytes[] calldata cids)
        external
        returns (uint32[] memory versions);

    /// @notice Supersedes several records of `patient` with one EIP-712 signature of the patient; anyone may submit
    /// it.
    /// @param patient The records' owner.
    /// @param recordIds The records (at least one, none erased).
    /// @param cids The new versions' binary CIDs, one per record id.
    /// @param deadline The last second the signature may be relayed (Unix seconds).
    /// @param signature The patient's EIP-712 signature of `SupersedeRecords` (over the packed record ids and the
    /// packed `keccak256` of each CID).
    /// @return versions The new version numbers, in the order of `recordIds`.
    function supersedeRecordsBySig(
        address patient,
        bytes32[] calldata recordIds,
        bytes[] calldata cids,
        uint256 deadline,
        bytes calldata signature
    ) external returns (uint32[] memory versions);

    /// @notice Erases several of the caller's records at once, all or none (see `RecordErased`).
    /// @param recordIds The caller's records (at least one, none erased yet).
    function eraseRecords(bytes32[] calldata recordIds) external;

    /// @notice Erases several records of `patient` with one EIP-712 signature of the patient; anyone may submit it.
    /// @param patient The records' owner.
    /// @param recordIds The records (at least one, none erased yet).
    /// @param deadline The last second the signature may be relayed (Unix seconds).
    /// @param signature The patient's EIP-712 signature of `EraseRecords` (over the packed record ids).
    function eraseRecordsBySig(address patient, bytes32[] calldata recordIds, uint256 deadline, bytes calldata signature)
        external;

    /// @notice The current head of `recordId` (all zero when unknown).
    /// @param recordId The record.
    /// @return The record's current head.
    function recordOf(bytes32 recordId) external view returns (Record memory);

    /// @notice The id a record of `patient` first anchored at `cid` gets.
    /// @param patient The record's owner.
    /// @param cid The binary CID of the record's first version.
    /// @return The record id: `keccak256(abi.encode(patient, keccak256(cid)))`.
    function recordIdOf(address patient, bytes calldata cid) external pure returns (bytes32);
}
