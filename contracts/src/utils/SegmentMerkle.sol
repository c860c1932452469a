// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title SegmentMerkle
/// @notice The Merkle tree over ECG segment CIDs that a stream batch anchors.
/// A leaf is `keccak256(0x00 ‖ cid)`; an inner node is `keccak256(0x01 ‖ min(a, b) ‖ max(a, b))` (sorted pairs, so a
/// proof needs no left/right flags). Distinct prefixes keep a leaf from ever passing for an inner node.
/// A level with an odd count carries its last node up unchanged. The SDK builds the same tree.
library SegmentMerkle {
    /// @notice The leaf hash of a segment CID (its binary form).
    /// @param cid The segment's binary CID.
    /// @return The leaf hash `keccak256(0x00 ‖ cid)`.
    function leaf(bytes calldata cid) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(bytes1(0x00), cid));
    }

    /// @notice The parent of two nodes.
    /// @param a One child.
    /// @param b The other child.
    /// @return The parent `keccak256(0x01 ‖ min(a, b) ‖ max(a, b))`.
    function node(bytes32 a, bytes32 b) internal pure returns (bytes32) {
        return a < b ? keccak256(abi.encodePacked(bytes1(0x01), a, b)) : keccak256(abi.encodePacked(bytes1(0x01), b, a));
    }

    /// @notice Whether `proof` links `leafHash` to `root`.
    /// @param proof The sibling hashes from the leaf up to the root.
    /// @param root The expected root.
    /// @param leafHash The leaf's hash (`leaf(cid)`).
    /// @return Whether hashing up from `leafHash` through `proof` gives `root`.
    function verify(bytes32[] calldata proof, bytes32 root, bytes32 leafHash) internal pure returns (bool) {
        bytes32 computed = leafHash;
        for (uint256 i; i < proof.length; ++i) {
            computed = node(computed, proof[i]);
        }
        return computed == root;
    }
}
