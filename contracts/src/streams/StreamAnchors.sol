// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {EIP712Relayed} from "../utils/EIP712Relayed.sol";
import {SegmentMerkle} from "../utils/SegmentMerkle.sol";

/// @title StreamAnchors
/// @notice A patient, or a device the patient authorized, anchors a batch of ECG segment CIDs as one Merkle root
/// (see {SegmentMerkle}); the cost does not depend on the batch size. Anyone can verify a segment's inclusion
/// proof on chain. A batch id binds the patient and the root, so nobody can claim another patient's batch.
contract StreamAnchors is EIP712Relayed {
    /// @notice An anchored batch.
    struct Batch {
        address patient;
        /// How many segments the tree holds.
        uint32 segmentCount;
        uint40 anchoredAt;
    }

    /// @notice `actor` (the patient, a device or a relayer) anchored `root` over `segmentCount` segments.
    /// @param batchId The batch's id.
    /// @param patient The patient whose stream the batch belongs to.
    /// @param actor Who anchored it (the patient, an authorized device or a relayer).
    /// @param root The Merkle root over the batch's segment CIDs.
    /// @param segmentCount How many segments the batch holds.
    event StreamBatchAnchored(
        bytes32 indexed batchId, address indexed patient, address indexed actor, bytes32 root, uint32 segmentCount
    );
    /// @notice `patient` authorized or deauthorized `device` to anchor batches for it.
    /// @param patient The patient.
    /// @param device The device.
    /// @param actor Who submitted the change (the patient or a relayer).
    /// @param authorized Whether the device may now anchor.
    event DeviceAuthorizationChanged(
        address indexed patient, address indexed device, address indexed actor, bool authorized
    );

    /// @notice `device` may not anchor batches for `patient`.
    /// @param patient The patient.
    /// @param device The caller.
    error NotAuthorizedDevice(address patient, address device);
    /// @notice The batch holds no segment.
    error EmptyBatch();
    /// @notice The root is zero.
    error InvalidRoot();
    /// @notice This batch was already anchored.
    /// @param batchId The batch's id.
    error BatchAlreadyAnchored(bytes32 batchId);

    bytes32 public constant AUTHORIZE_DEVICE_TYPEHASH =
        keccak256("AuthorizeDevice(address patient,address device,bool authorized,uint256 nonce,uint256 deadline)");
    bytes32 public constant ANCHOR_STREAM_BATCH_TYPEHASH = keccak256(
        "AnchorStreamBatch(address patient,bytes32 root,uint32 segmentCount,uint256 nonce,uint256 deadline)"
    );

    mapping(bytes32 batchId => Batch) private _batches;
    mapping(address patient => mapping(address device => bool)) public isDeviceAuthorized;

    constructor() EIP712Relayed("MHR Chain StreamAnchors", "1") {}

    /// @notice The caller authorizes (or stops authorizing) `device` to anchor batches on its behalf.
    function setDeviceAuthorization(address device, bool authorized) external {
        _setDevice(msg.sender, device, authorized);
    }

    /// @notice Sets a device authorization for `patient` with the patient's EIP-712 signature.
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

    /// @notice Anchors a batch for `patient`: the caller is the patient or a device it authorized.
    function anchorStreamBatch(address patient, bytes32 root, uint32 segmentCount) external returns (bytes32) {
        if (msg.sender != patient && !isDeviceAuthorized[patient][msg.sender]) {
            revert NotAuthorizedDevice(patient, msg.sender);
        }
        return _anchor(patient, root, segmentCount);
    }

    /// @notice Anchors a batch for `patient` with the patient's EIP-712 signature; anyone may submit it.
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

    /// @notice The batch `batchId` (all zero when unknown).
    function batchOf(bytes32 batchId) external view returns (Batch memory) {
        return _batches[batchId];
    }

    /// @notice The id of the batch of `patient` with Merkle root `root`.
    function batchIdOf(address patient, bytes32 root) public pure returns (bytes32) {
        return keccak256(abi.encode(patient, root));
    }

    /// @notice Whether the segment with binary CID `cid` belongs to the anchored batch of `patient` with `root`.
    function verifySegment(address patient, bytes32 root, bytes calldata cid, bytes32[] calldata proof)
        external
        view
        returns (bool)
    {
        if (_batches[batchIdOf(patient, root)].patient == address(0)) return false;
        return SegmentMerkle.verify(proof, root, SegmentMerkle.leaf(cid));
    }

    /// @notice The leaf hash of a segment CID, as the tree uses it.
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
