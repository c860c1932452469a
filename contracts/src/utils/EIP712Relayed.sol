// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IEIP712Relayed} from "../interfaces/IEIP712Relayed.sol";
import {IERC1271} from "../interfaces/IERC1271.sol";

/// @title EIP712Relayed
/// @notice Base for contracts whose actions can be submitted by any relayer with the actor's EIP-712 signature.
/// The domain binds name, version, chain id and this contract's address; every signature consumes the signer's
/// sequential nonce and carries a deadline, so a signature is valid once, on one chain, for one contract. An account
/// cancels signatures it handed out and no longer wants relayed by moving its nonce past them (`invalidateNonces`).
abstract contract EIP712Relayed is IEIP712Relayed {
    /// @inheritdoc IEIP712Relayed
    uint256 public constant MAX_NONCE_JUMP = type(uint32).max;
    /// @inheritdoc IEIP712Relayed
    bytes32 public constant INVALIDATE_NONCES_TYPEHASH =
        keccak256("InvalidateNonces(address account,uint256 newNonce,uint256 nonce,uint256 deadline)");

    bytes32 private constant _DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    /// @dev Upper bound of `s` for non-malleable secp256k1 signatures (EIP-2).
    uint256 private constant _HALF_ORDER = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    bytes32 private immutable _hashedName;
    bytes32 private immutable _hashedVersion;
    uint256 private immutable _cachedChainId;
    address private immutable _cachedThis;
    bytes32 private immutable _cachedDomainSeparator;

    string private _name;
    string private _version;

    mapping(address account => uint256) private _nonces;

    constructor(string memory name_, string memory version_) {
        _name = name_;
        _version = version_;
        _hashedName = keccak256(bytes(name_));
        _hashedVersion = keccak256(bytes(version_));
        _cachedChainId = block.chainid;
        _cachedThis = address(this);
        _cachedDomainSeparator = _buildDomainSeparator();
    }

    /// @inheritdoc IEIP712Relayed
    function DOMAIN_SEPARATOR() public view returns (bytes32) {
        if (address(this) == _cachedThis && block.chainid == _cachedChainId) return _cachedDomainSeparator;
        return _buildDomainSeparator();
    }

    /// @inheritdoc IEIP712Relayed
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
        )
    {
        return (hex"0f", _name, _version, block.chainid, address(this), bytes32(0), new uint256[](0));
    }

    /// @inheritdoc IEIP712Relayed
    function nonces(address account) external view returns (uint256) {
        return _nonces[account];
    }

    /// @inheritdoc IEIP712Relayed
    function invalidateNonces(uint256 newNonce) external {
        _invalidateNonces(msg.sender, _nonces[msg.sender], newNonce);
    }

    /// @inheritdoc IEIP712Relayed
    function invalidateNoncesBySig(address account, uint256 newNonce, uint256 deadline, bytes calldata signature)
        external
    {
        uint256 nonce = _useNonce(account);
        _checkSignature(
            account,
            keccak256(abi.encode(INVALIDATE_NONCES_TYPEHASH, account, newNonce, nonce, deadline)),
            deadline,
            signature
        );
        _invalidateNonces(account, nonce, newNonce);
    }

    function _invalidateNonces(address account, uint256 previousNonce, uint256 newNonce) private {
        if (newNonce <= previousNonce || newNonce - previousNonce > MAX_NONCE_JUMP) {
            revert InvalidNonceJump(previousNonce, newNonce);
        }
        _nonces[account] = newNonce;
        emit NoncesInvalidated(account, msg.sender, previousNonce, newNonce);
    }

    /// @dev Returns the current nonce of `account` and consumes it.
    function _useNonce(address account) internal returns (uint256 current) {
        unchecked {
            current = _nonces[account]++;
        }
    }

    /// @dev Reverts unless `signature` is `signer`'s signature of the typed struct `structHash` before `deadline`.
    function _checkSignature(address signer, bytes32 structHash, uint256 deadline, bytes calldata signature)
        internal
        view
    {
        if (block.timestamp > deadline) revert SignatureExpired(deadline);
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", DOMAIN_SEPARATOR(), structHash));
        if (signer.code.length != 0) {
            (bool ok, bytes memory result) =
                signer.staticcall(abi.encodeCall(IERC1271.isValidSignature, (digest, signature)));
            if (!ok || result.length != 32 || abi.decode(result, (bytes4)) != IERC1271.isValidSignature.selector) {
                revert InvalidSignature();
            }
            return;
        }
        if (signature.length != 65) revert InvalidSignature();
        bytes32 r = bytes32(signature[0:32]);
        bytes32 s = bytes32(signature[32:64]);
        uint8 v = uint8(signature[64]);
        if (uint256(s) > _HALF_ORDER || (v != 27 && v != 28)) revert InvalidSignature();
        address recovered = ecrecover(digest, v, r, s);
        if (recovered == address(0) || recovered != signer) revert InvalidSignature();
    }

    function _buildDomainSeparator() private view returns (bytes32) {
        return keccak256(abi.encode(_DOMAIN_TYPEHASH, _hashedName, _hashedVersion, block.chainid, address(this)));
    }
}
