// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IRecordRegistry} from "../interfaces/IRecordRegistry.sol";
import {EIP712Relayed} from "../utils/EIP712Relayed.sol";

/// @title RecordRegistry
/// @notice A patient anchors the CID of an encrypted record envelope with a non-identifying category code and gets a
/// stable record id. A new version (re-wrap or key rotation) supersedes the current one under the same id; every
/// version's CID stays in the `RecordAnchored` / `RecordSuperseded` logs, so the history is readable from the chain.
/// One storage slot per record keeps anchoring cheap. The patient can erase a record: it then takes no new version and
/// no one has access to it any more (`RecordErased` is the audit trail; the envelopes themselves are removed from
/// storage by the patient's client, off chain).
contract RecordRegistry is IRecordRegistry, EIP712Relayed {
    /// @inheritdoc IRecordRegistry
    bytes32 public constant ANCHOR_RECORD_TYPEHASH =
        keccak256("AnchorRecord(address patient,bytes cid,uint16 category,uint256 nonce,uint256 deadline)");
    /// @inheritdoc IRecordRegistry
    bytes32 public constant SUPERSEDE_RECORD_TYPEHASH =
        keccak256("SupersedeRecord(address patient,bytes32 recordId,bytes cid,uint256 nonce,uint256 deadline)");

    /// @inheritdoc IRecordRegistry
    bytes32 public constant SUPERSEDE_RECORDS_TYPEHASH = keccak256(
        "SupersedeRecords(address patient,bytes32[] recordIds,bytes[] cids,uint256 nonce,uint256 deadline)"
    );

    /// @inheritdoc IRecordRegistry
    bytes32 public constant ERASE_RECORDS_TYPEHASH =
        keccak256("EraseRecords(address patient,bytes32[] recordIds,uint256 nonce,uint256 deadline)");

    mapping(bytes32 recordId => Record) private _records;

    constructor() EIP712Relayed("MHR Chain RecordRegistry", "1") {}

    /// @inheritdoc IRecordRegistry
    function anchorRecord(bytes calldata cid, uint16 category) external returns (bytes32 recordId) {
        return _anchor(msg.sender, cid, category);
    }

    /// @inheritdoc IRecordRegistry
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

    /// @inheritdoc IRecordRegistry
    function supersedeRecord(bytes32 recordId, bytes calldata cid) external returns (uint32 version) {
        return _supersede(msg.sender, recordId, cid);
    }

    /// @inheritdoc IRecordRegistry
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

    /// @inheritdoc IRecordRegistry
    function supersedeRecords(bytes32[] calldata recordIds, bytes[] calldata cids)
        external
        returns (uint32[] memory versions)
    {
        _checkBatch(recordIds, cids);
        return _supersedeEach(msg.sender, recordIds, cids);
    }

    /// @inheritdoc IRecordRegistry
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

    /// @inheritdoc IRecordRegistry
    function eraseRecords(bytes32[] calldata recordIds) external {
        _eraseEach(msg.sender, recordIds);
    }

    /// @inheritdoc IRecordRegistry
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

    /// @inheritdoc IRecordRegistry
    function recordOf(bytes32 recordId) external view returns (Record memory) {
        return _records[recordId];
    }

    /// @inheritdoc IRecordRegistry
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
