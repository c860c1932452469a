// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title IEIP712Relayed
/// @notice What every contract with relayed actions shares: any relayer may submit an action with the actor's EIP-712
/// signature. The domain binds name, version, chain id and the contract's address; every signature consumes the
/// signer's sequential nonce and carries a deadline, so a signature is valid once, on one chain, for one contract. An
/// account cancels signatures it handed out and no longer wants relayed by moving its nonce past them
/// (`invalidateNonces`).
interface IEIP712Relayed {
    /// @notice `account` moved its nonce from `previousNonce` to `newNonce`: every signature it made with a nonce in
    /// between is void.
    /// @param account The account whose signatures were cancelled.
    /// @param actor Who submitted the cancellation (the account itself or a relayer).
    /// @param previousNonce The account's nonce before the cancellation.
    /// @param newNonce The account's nonce after it: the next signature must carry it.
    event NoncesInvalidated(address indexed account, address indexed actor, uint256 previousNonce, uint256 newNonce);

    /// @notice The signature's deadline has passed.
    /// @param deadline The signature's deadline (Unix seconds).
    error SignatureExpired(uint256 deadline);
    /// @notice The signature is malformed or was not made by the expected signer.
    error InvalidSignature();
    /// @notice A cancellation must move the nonce forward, by at most `MAX_NONCE_JUMP`.
    /// @param currentNonce The account's nonce.
    /// @param newNonce The rejected new nonce.
    error InvalidNonceJump(uint256 currentNonce, uint256 newNonce);

    /// @notice The furthest one cancellation may move a nonce (keeps nonces far from overflowing).
    /// @return The largest allowed nonce jump (`type(uint32).max`).
    function MAX_NONCE_JUMP() external view returns (uint256);

    /// @notice The EIP-712 type hash of a relayed nonce cancellation:
    /// `InvalidateNonces(address account,uint256 newNonce,uint256 nonce,uint256 deadline)`.
    /// @return The type hash.
    function INVALIDATE_NONCES_TYPEHASH() external view returns (bytes32);

    /// @notice The EIP-712 domain separator for the current chain.
    /// @return The domain separator relayed signatures are made under.
    function DOMAIN_SEPARATOR() external view returns (bytes32);

    /// @notice The EIP-712 domain (ERC-5267), so wallets and SDKs read it instead of hard-coding it.
    /// @return fields Which domain fields are used (`0x0f`: name, version, chain id, verifying contract).
    /// @return name The domain name.
    /// @return version The domain version.
    /// @return chainId The current chain id.
    /// @return verifyingContract This contract's address.
    /// @return salt Unused (zero).
    /// @return extensions Unused (empty).
    function eip712Domain()
        external
        view
        returns (
            bytes1 fields,
            string memory name,
            string memory version,
            uint256 chainId,
            address verifyingContract,
            bytes32 salt,
            uint256[] memory extensions
        );

    /// @notice The next nonce a signature by `account` must carry.
    /// @param account The signer.
    /// @return The account's next nonce.
    function nonces(address account) external view returns (uint256);

    /// @notice Cancels every signature the caller made with a nonce below `newNonce` that was not relayed yet.
    /// @param newNonce The caller's next nonce: greater than the current one, by at most `MAX_NONCE_JUMP`.
    function invalidateNonces(uint256 newNonce) external;

    /// @notice Cancels `account`'s unrelayed signatures with the account's EIP-712 signature; anyone may submit it.
    /// The signature consumes its own nonce, so `newNonce` must be at least one past it.
    /// @param account The account whose signatures are cancelled.
    /// @param newNonce The account's next nonce after the cancellation.
    /// @param deadline The last second the signature may be relayed (Unix seconds).
    /// @param signature The account's EIP-712 signature of `InvalidateNonces` (65 bytes, or ERC-1271 for a contract).
    function invalidateNoncesBySig(address account, uint256 newNonce, uint256 deadline, bytes calldata signature)
        external;
}
