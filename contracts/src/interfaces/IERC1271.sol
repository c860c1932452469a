// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title IERC1271
/// @notice The ERC-1271 signature check of a smart account, so smart-account patients can sign relayed actions too.
interface IERC1271 {
    /// @notice Whether `signature` is the account's valid signature of `hash`.
    /// @param hash The signed digest (here: an EIP-712 digest).
    /// @param signature The signature, in whatever form the account defines.
    /// @return magicValue `0x1626ba7e` (this function's selector) when the signature is valid.
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4 magicValue);
}
