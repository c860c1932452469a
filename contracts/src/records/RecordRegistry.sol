// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {EIP712Relayed} from "../utils/EIP712Relayed.sol";

/// @title RecordRegistry
/// @notice A patient anchors the CID of an encrypted record envelope with a non-identifying category code and gets a
/// stable record id. A new version (re-wrap or key rotation) supersedes the current one under the same id; every
/// version's CID stays in the `RecordAnchored` / `RecordSuperseded` logs, so the history is readable from the chain.
/// One storage slot per record keeps anchoring cheap. The patient can erase a record: it then takes no new version and
/// no one has access to it any more (`RecordErased` is the audit trail; the envelopes themselves are removed from
/// storage by the patient's client, off chain).
contract RecordRegistry is EIP712Relayed {
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
    /// @notice `account` does not own the record.
    /// @param recordId The record.
    /// @param account The account that tried to change it.
    error NotRecordOwner(bytes32 recordId, address account);
    /// @notice A batch lists no record.
    error EmptyBatch();
    /// @notice A batch lists a different number of record ids and CIDs (or more than the batch limit).
    /// @param recordIds How many record ids it lists.
    /// @param cids How many CIDs it lists.
    error BatchLengthMismatch(uint256 recordIds, uint256 cids);
    /// @notice The record was erased: it takes no new version and cannot be erased again.
    /// @param recordId The erased record.
    error RecordIsErased(bytes32 recordId);

    bytes32 public constant ANCHOR_RECORD_TYPEHASH =
        keccak256("AnchorRecord(address patient,bytes cid,uint16 category,uint256 nonce,uint256 deadline)");
    bytes32 public constant SUPERSEDE_RECORD_TYPEHASH =
        keccak256("SupersedeRecord(address patient,bytes32 recordId,bytes cid,uint256 nonce,uint256 deadline)");

    bytes32 public constant SUPERSEDE_RECORDS_TYPEHASH = keccak256(
        "SupersedeRecords(address patient,bytes32[] recordIds,bytes[] cids,uint256 nonce,uint256 deadline)"
    );

    bytes32 public constant ERASE_RECORDS_TYPEHASH =
        keccak256("EraseRecords(address patient,bytes32[] recordIds,uint256 nonce,uint256 deadline)");

    mapping(bytes32 recordId => Record) private _records;

    constructor() EIP712Relayed("MHR Chain RecordRegistry", "1") {}

    /// @notice Anchors envelope `cid` (binary CID) for the caller; returns the record id.
    function anchorRecord(bytes calldata cid, uint16 category) external returns (bytes32 recordId) {
        return _anchor(msg.sender, cid, category);
    }

    /// @notice Anchors a record for `patient` with the patient's EIP-712 signature; anyone may submit it.
    function anchorRecordBySig(
        address patient,
        bytes calldata cid,
        uint16 category,
        uint256 deadline,
        bytes calldata signature
    ) external returns (bytes32 recordId) {
        bytes32 structHash = keccak256(
            abi.encode(ANCHOR_RECORD_TYPEHASH, patient, keccak256(cid), category, _useNonce(patient), deadline)
        );
        _checkSignature(patient, structHash, deadline, signature);
        return _anchor(patient, cid, category);
    }

    /// @notice Supersedes the current version of the caller's record with envelope `cid`; returns the new version.
    function supersedeRecord(bytes32 recordId, bytes calldata cid) external returns (uint32 version) {
        return _supersede(msg.sender, recordId, cid);
    }

    /// @notice Supersedes a record of `patient` with the patient's EIP-712 signature.
    function supersedeRecordBySig(
        address patient,
        bytes32 recordId,
        bytes calldata cid,
        uint256 deadline,
        bytes calldata signature
    ) external returns (uint32 version) {
        bytes32 structHash = keccak256(
            abi.encode(SUPERSEDE_RECORD_TYPEHASH, patient, recordId, keccak256(cid), _useNonce(patient), deadline)
        );
        _checkSignature(patient, structHash, deadline, signature);
        return _supersede(patient, recordId, cid);
    }

    /// @notice Supersedes several of the caller's records at once (`cids[i]` becomes the next version of
    /// `recordIds[i]`), all or none: one transaction for a key release or a rotation. Returns the new versions.
    function supersedeRecords(bytes32[] calldata recordIds, bytes[] calldata cids)
        external
        returns (uint32[] memory versions)
    {
        _checkBatch(recordIds, cids);
        return _supersedeEach(msg.sender, recordIds, cids);
    }

    /// @notice Supersedes several records of `patient` with one EIP-712 signature of the patient.
    function supersedeRecordsBySig(
        address patient,
        bytes32[] calldata recordIds,
        bytes[] calldata cids,
        uint256 deadline,
        bytes calldata signature
    ) external returns (uint32[] memory versions) {
        _checkBatch(recordIds, cids);
        bytes32[] memory cidHashes = new bytes32[](cids.length);
        for (uint256 i; i < cids.length; ++i) {
            cidHashes[i] = keccak256(cids[i]);
        }
        bytes32 structHash = keccak256(
            abi.encode(
                SUPERSEDE_RECORDS_TYPEHASH,
                patient,
                keccak256(abi.encodePacked(recordIds)),
                keccak256(abi.encodePacked(cidHashes)),
                _useNonce(patient),
                deadline
            )
        );
        _checkSignature(patient, structHash, deadline, signature);
        return _supersedeEach(patient, recordIds, cids);
    }

    /// @notice Erases several of the caller's records at once, all or none (see `RecordErased`).
    function eraseRecords(bytes32[] calldata recordIds) external {
        _eraseEach(msg.sender, recordIds);
    }

    /// @notice Erases several records of `patient` with one EIP-712 signature of the patient; anyone may submit it.
    function eraseRecordsBySig(address patient, bytes32[] calldata recordIds, uint256 deadline, bytes calldata signature)
        external
    {
        bytes32 structHash = keccak256(
            abi.encode(
                ERASE_RECORDS_TYPEHASH, patient, keccak256(abi.encodePacked(recordIds)), _useNonce(patient), deadline
            )
        );
        _checkSignature(patient, structHash, deadline, signature);
        _eraseEach(patient, recordIds);
    }

    /// @notice The current head of `recordId` (all zero when unknown).
    function recordOf(bytes32 recordId) external view returns (Record memory) {
        return _records[recordId];
    }

    /// @notice The id a record of `patient` first anchored at `cid` gets.
    function recordIdOf(address patient, bytes calldata cid) public pure returns (bytes32) {
        return keccak256(abi.encode(patient, keccak256(cid)));
    }

    function _anchor(address patient, bytes calldata cid, uint16 category) private returns (bytes32 recordId) {
        if (cid.length == 0) revert EmptyCid();
        recordId = recordIdOf(patient, cid);
        Record storage record = _records[recordId];
        if (record.patient != address(0)) revert RecordAlreadyAnchored(recordId);
        record.patient = patient;
        record.category = category;
        record.updatedAt = uint40(block.timestamp);
        emit RecordAnchored(recordId, patient, msg.sender, category, cid);
    }

    function _checkBatch(bytes32[] calldata recordIds, bytes[] calldata cids) private pure {
        if (recordIds.length == 0) revert EmptyBatch();
        if (recordIds.length != cids.length) revert BatchLengthMismatch(recordIds.length, cids.length);
    }

    /// @dev The batch shape was checked by the caller.
    function _supersedeEach(address patient, bytes32[] calldata recordIds, bytes[] calldata cids)
        private
        returns (uint32[] memory versions)
    {
        versions = new uint32[](recordIds.length);
        for (uint256 i; i < recordIds.length; ++i) {
            versions[i] = _supersede(patient, recordIds[i], cids[i]);
        }
    }

    function _supersede(address patient, bytes32 recordId, bytes calldata cid) private returns (uint32 version) {
        if (cid.length == 0) revert EmptyCid();
        Record storage record = _records[recordId];
        _checkOwner(record, recordId, patient);
        version = record.version + 1;
        record.version = version;
        record.updatedAt = uint40(block.timestamp);
        emit RecordSuperseded(recordId, patient, msg.sender, version, cid);
    }

    function _eraseEach(address patient, bytes32[] calldata recordIds) private {
        if (recordIds.length == 0) revert EmptyBatch();
        for (uint256 i; i < recordIds.length; ++i) {
            bytes32 recordId = recordIds[i];
            Record storage record = _records[recordId];
            _checkOwner(record, recordId, patient);
            record.erased = true;
            record.updatedAt = uint40(block.timestamp);
            emit RecordErased(recordId, patient, msg.sender);
        }
    }

    /// @dev Reverts unless `record` exists, belongs to `patient` and is not erased.
    function _checkOwner(Record storage record, bytes32 recordId, address patient) private view {
        address owner = record.patient;
        if (owner == address(0)) revert RecordNotFound(recordId);
        if (owner != patient) revert NotRecordOwner(recordId, patient);
        if (record.erased) revert RecordIsErased(recordId);
    }
}
