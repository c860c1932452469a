// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IStreamAnchors} from "../interfaces/IStreamAnchors.sol";
import {EIP712Relayed} from "../utils/EIP712Relayed.sol";
import {SegmentMerkle} from "../utils/SegmentMerkle.sol";

/// @title StreamAnchors
/// @notice A patient, or a device the patient authorized, anchors a batch of ECG segment CIDs as one Merkle root
/// (see {SegmentMerkle}); the cost does not depend on the batch size. Anyone can verify a segment's inclusion
/// proof on chain. A batch id binds the patient and the root, so nobody can claim another patient's batch.
contract StreamAnchors is IStreamAnchors, EIP712Relayed {
    /// @inheritdoc IStreamAnchors
    bytes32 public constant AUTHORIZE_DEVICE_TYPEHASH =
        keccak256("AuthorizeDevice(address patient,address device,bool authorized,uint256 nonce,uint256 deadline)");
    /// @inheritdoc IStreamAnchors
    bytes32 public constant ANCHOR_STREAM_BATCH_TYPEHASH = keccak256(
        "AnchorStreamBatch(address patient,bytes32 root,uint32 segmentCount,uint256 nonce,uint256 deadline)"
    );

    mapping(bytes32 batchId => Batch) private _batches;
    /// @inheritdoc IStreamAnchors
    mapping(address patient => mapping(address device => bool)) public isDeviceAuthorized;

    constructor() EIP712Relayed("MHR Chain StreamAnchors", "1") {}

    /// @inheritdoc IStreamAnchors
    function setDeviceAuthorization(address device, bool authorized) external {
        _setDevice(msg.sender, device, authorized);
    }

    /// @inheritdoc IStreamAnchors
    function setDeviceAuthorizationBySig(
        address patient,
        address device,
        bool authorized,
        uint256 deadline,
        bytes calldata signature
    ) external {
        bytes32 structHash = keccak256(
            abi.encode(AUTHORIZE_DEVICE_TYPEHASH, patient, device, authorized, _useNonce(patient), deadline)
        );
        _checkSignature(patient, structHash, deadline, signature);
        _setDevice(patient, device, authorized);
    }

    /// @inheritdoc IStreamAnchors
    function anchorStreamBatch(address patient, bytes32 root, uint32 segmentCount) external returns (bytes32) {
        if (msg.sender != patient && !isDeviceAuthorized[patient][msg.sender]) {
            revert NotAuthorizedDevice(patient, msg.sender);
        }
        return _anchor(patient, root, segmentCount);
    }

    /// @inheritdoc IStreamAnchors
    function anchorStreamBatchBySig(
        address patient,
        bytes32 root,
        uint32 segmentCount,
        uint256 deadline,
        bytes calldata signature
    ) external returns (bytes32) {
        bytes32 structHash = keccak256(
            abi.encode(ANCHOR_STREAM_BATCH_TYPEHASH, patient, root, segmentCount, _useNonce(patient), deadline)
        );
        _checkSignature(patient, structHash, deadline, signature);
        return _anchor(patient, root, segmentCount);
    }

    /// @inheritdoc IStreamAnchors
    function batchOf(bytes32 batchId) external view returns (Batch memory) {
        return _batches[batchId];
    }

    /// @inheritdoc IStreamAnchors
    function batchIdOf(address patient, bytes32 root) public pure returns (bytes32) {
        return keccak256(abi.encode(patient, root));
    }

    /// @inheritdoc IStreamAnchors
    function verifySegment(address patient, bytes32 root, bytes calldata cid, bytes32[] calldata proof)
        external
        view
        returns (bool)
    {
        if (_batches[batchIdOf(patient, root)].patient == address(0)) return false;
        return SegmentMerkle.verify(proof, root, SegmentMerkle.leaf(cid));
    }

    /// @inheritdoc IStreamAnchors
    function segmentLeaf(bytes calldata cid) external pure returns (bytes32) {
        return SegmentMerkle.leaf(cid);
    }

    function _setDevice(address patient, address device, bool authorized) private {
        isDeviceAuthorized[patient][device] = authorized;
        emit DeviceAuthorizationChanged(patient, device, msg.sender, authorized);
    }

    function _anchor(address patient, bytes32 root, uint32 segmentCount) private returns (bytes32 batchId) {
        if (segmentCount == 0) revert EmptyBatch();
        if (root == bytes32(0)) revert InvalidRoot();
        batchId = batchIdOf(patient, root);
        Batch storage batch = _batches[batchId];
        if (batch.patient != address(0)) revert BatchAlreadyAnchored(batchId);
        batch.patient = patient;
        batch.segmentCount = segmentCount;
        batch.anchoredAt = uint40(block.timestamp);
        emit StreamBatchAnchored(batchId, patient, msg.sender, root, segmentCount);
    }
}
