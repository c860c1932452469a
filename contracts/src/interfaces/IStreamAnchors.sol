// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IEIP712Relayed} from "./IEIP712Relayed.sol";
import {IBatchErrors} from "./ISharedErrors.sol";

/// @title IStreamAnchors
/// @notice A patient, or a device the patient authorized, anchors a batch of ECG segment CIDs as one Merkle root
/// (see `SegmentMerkle`); the cost does not depend on the batch size. Anyone can verify a segment's inclusion proof on
/// chain. A batch id binds the patient and the root, so nobody can claim another patient's batch.
/// @dev Also raises `EmptyBatch` (`IBatchErrors`) for a batch of no segment.
interface IStreamAnchors is IEIP712Relayed, IBatchErrors {
    /// @notice An anchored batch.
    struct Batch {
        /// The patient whose stream the batch belongs to (zero: no such batch).
        address patient;
        /// How many segments the tree holds.
        uint32 segmentCount;
        /// When the batch was anchored (Unix seconds).
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
    /// @notice The root is zero.
    error InvalidRoot();
    /// @notice This batch was already anchored.
    /// @param batchId The batch's id.
    error BatchAlreadyAnchored(bytes32 batchId);

    /// @notice The EIP-712 type hash of a relayed device authorization:
    /// `AuthorizeDevice(address patient,address device,bool authorized,uint256 nonce,uint256 deadline)`.
    /// @return The type hash.
    function AUTHORIZE_DEVICE_TYPEHASH() external view returns (bytes32);

    /// @notice The EIP-712 type hash of a relayed batch anchor:
    /// `AnchorStreamBatch(address patient,bytes32 root,uint32 segmentCount,uint256 nonce,uint256 deadline)`.
    /// @return The type hash.
    function ANCHOR_STREAM_BATCH_TYPEHASH() external view returns (bytes32);

    /// @notice Whether `device` may anchor batches for `patient`.
    /// @param patient The patient.
    /// @param device The device.
    /// @return Whether the patient authorized the device.
    function isDeviceAuthorized(address patient, address device) external view returns (bool);

    /// @notice The caller authorizes (or stops authorizing) `device` to anchor batches on its behalf.
    /// @param device The device.
    /// @param authorized Whether the device may anchor from now on.
    function setDeviceAuthorization(address device, bool authorized) external;

    /// @notice Sets a device authorization for `patient` with the patient's EIP-712 signature; anyone may submit it.
    /// @param patient The patient.
    /// @param device The device.
    /// @param authorized Whether the device may anchor from now on.
    /// @param deadline The last second the signature may be relayed (Unix seconds).
    /// @param signature The patient's EIP-712 signature of `AuthorizeDevice`.
    function setDeviceAuthorizationBySig(
        address patient,
        address device,
        bool authorized,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice Anchors a batch for `patient`: the caller is the patient or a device it authorized.
    /// @param patient The patient whose stream the batch belongs to.
    /// @param root The Merkle root over the batch's segment CIDs (not zero).
    /// @param segmentCount How many segments the batch holds (at least one).
    /// @return The batch's id (`batchIdOf(patient, root)`).
    function anchorStreamBatch(address patient, bytes32 root, uint32 segmentCount) external returns (bytes32);

    /// @notice Anchors a batch for `patient` with the patient's EIP-712 signature; anyone may submit it.
    /// @param patient The patient whose stream the batch belongs to.
    /// @param root The Merkle root over the batch's segment CIDs (not zero).
    /// @param segmentCount How many segments the batch holds (at least one).
    /// @param deadline The last second the signature may be relayed (Unix seconds).
    /// @param signature The patient's EIP-712 signature of `AnchorStreamBatch`.
    /// @return The batch's id (`batchIdOf(patient, root)`).
    function anchorStreamBatchBySig(
        address patient,
        bytes32 root,
        uint32 segmentCount,
        uint256 deadline,
        bytes calldata signature
    ) external returns (bytes32);

    /// @notice The batch `batchId` (all zero when unknown).
    /// @param batchId The batch's id.
    /// @return The batch.
    function batchOf(bytes32 batchId) external view returns (Batch memory);

    /// @notice The id of the batch of `patient` with Merkle root `root`.
    /// @param patient The patient.
    /// @param root The batch's Merkle root.
    /// @return The batch id: `keccak256(abi.encode(patient, root))`.
    function batchIdOf(address patient, bytes32 root) external pure returns (bytes32);

    /// @notice Whether the segment with binary CID `cid` belongs to the anchored batch of `patient` with `root`.
    /// @param patient The patient.
    /// @param root The batch's Merkle root.
    /// @param cid The segment's binary CID.
    /// @param proof The sibling hashes from the segment's leaf up to the root.
    /// @return Whether the batch is anchored and `proof` links the segment to `root`.
    function verifySegment(address patient, bytes32 root, bytes calldata cid, bytes32[] calldata proof)
        external
        view
        returns (bool);

    /// @notice The leaf hash of a segment CID, as the tree uses it.
    /// @param cid The segment's binary CID.
    /// @return The leaf hash: `keccak256(0x00 ‖ cid)`.
    function segmentLeaf(bytes calldata cid) external pure returns (bytes32);
}
