// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IIdentityRegistry} from "../interfaces/IIdentityRegistry.sol";
import {EIP712Relayed} from "../utils/EIP712Relayed.sol";

/// @title IdentityRegistry
/// @notice Patients and doctors register an address with their X25519 encryption public key. The doctor role is not
/// self-declared: a registrar (a hospital or licensing authority account, appointed by the admin) attests it, with an
/// expiry. Removing a registrar voids every attestation it made.
contract IdentityRegistry is IIdentityRegistry, EIP712Relayed {
    /// @inheritdoc IIdentityRegistry
    bytes32 public constant REGISTER_TYPEHASH =
        keccak256("Register(address account,bytes32 encryptionKey,uint256 nonce,uint256 deadline)");
    /// @inheritdoc IIdentityRegistry
    bytes32 public constant ROTATE_ENCRYPTION_KEY_TYPEHASH =
        keccak256("RotateEncryptionKey(address account,bytes32 encryptionKey,uint256 nonce,uint256 deadline)");

    /// @inheritdoc IIdentityRegistry
    address public admin;
    /// @inheritdoc IIdentityRegistry
    mapping(address registrar => bool) public isRegistrar;
    mapping(address account => Identity) private _identities;

    constructor(address admin_) EIP712Relayed("MHR Chain IdentityRegistry", "1") {
        if (admin_ == address(0)) revert ZeroAddress();
        admin = admin_;
        emit AdminTransferred(address(0), admin_);
    }

    // ---------------------------------------------------------------- admin

    /// @inheritdoc IIdentityRegistry
    function setRegistrar(address registrar, bool enabled) external {
        if (msg.sender != admin) revert NotAdmin(msg.sender);
        if (registrar == address(0)) revert ZeroAddress();
        isRegistrar[registrar] = enabled;
        emit RegistrarUpdated(registrar, msg.sender, enabled);
    }

    /// @inheritdoc IIdentityRegistry
    function transferAdmin(address newAdmin) external {
        if (msg.sender != admin) revert NotAdmin(msg.sender);
        if (newAdmin == address(0)) revert ZeroAddress();
        emit AdminTransferred(msg.sender, newAdmin);
        admin = newAdmin;
    }

    // ---------------------------------------------------------------- accounts

    /// @inheritdoc IIdentityRegistry
    function register(bytes32 encryptionKey) external {
        _register(msg.sender, encryptionKey);
    }

    /// @inheritdoc IIdentityRegistry
    function registerBySig(address account, bytes32 encryptionKey, uint256 deadline, bytes calldata signature)
        external
    {
        bytes32 structHash =
            keccak256(abi.encode(REGISTER_TYPEHASH, account, encryptionKey, _useNonce(account), deadline));
        _checkSignature(account, structHash, deadline, signature);
        _register(account, encryptionKey);
    }

    /// @inheritdoc IIdentityRegistry
    function rotateEncryptionKey(bytes32 encryptionKey) external {
        _rotate(msg.sender, encryptionKey);
    }

    /// @inheritdoc IIdentityRegistry
    function rotateEncryptionKeyBySig(address account, bytes32 encryptionKey, uint256 deadline, bytes calldata signature)
        external
    {
        bytes32 structHash = keccak256(
            abi.encode(ROTATE_ENCRYPTION_KEY_TYPEHASH, account, encryptionKey, _useNonce(account), deadline)
        );
        _checkSignature(account, structHash, deadline, signature);
        _rotate(account, encryptionKey);
    }

    // ---------------------------------------------------------------- doctor role

    /// @inheritdoc IIdentityRegistry
    function attestDoctor(address doctor, uint40 validUntil) external {
        if (!isRegistrar[msg.sender]) revert NotRegistrar(msg.sender);
        if (validUntil <= block.timestamp) revert InvalidAttestationExpiry(validUntil);
        Identity storage identity = _identities[doctor];
        if (identity.registeredAt == 0) revert NotRegistered(doctor);
        identity.doctorUntil = validUntil;
        identity.registrar = msg.sender;
        emit DoctorAttested(doctor, msg.sender, validUntil);
    }

    /// @inheritdoc IIdentityRegistry
    function revokeDoctor(address doctor) external {
        Identity storage identity = _identities[doctor];
        if (identity.doctorUntil == 0) revert NotAttested(doctor);
        if (msg.sender != identity.registrar && msg.sender != admin) revert NotRegistrar(msg.sender);
        identity.doctorUntil = 0;
        emit DoctorAttestationRevoked(doctor, msg.sender);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IIdentityRegistry
    function identityOf(address account) external view returns (Identity memory) {
        return _identities[account];
    }

    /// @inheritdoc IIdentityRegistry
    function isRegistered(address account) external view returns (bool) {
        return _identities[account].registeredAt != 0;
    }

    /// @inheritdoc IIdentityRegistry
    function isDoctor(address account) public view returns (bool) {
        Identity storage identity = _identities[account];
        return identity.doctorUntil > block.timestamp && isRegistrar[identity.registrar];
    }

    // ---------------------------------------------------------------- internal

    function _register(address account, bytes32 encryptionKey) private {
        if (encryptionKey == bytes32(0)) revert InvalidEncryptionKey();
        Identity storage identity = _identities[account];
        if (identity.registeredAt != 0) revert AlreadyRegistered(account);
        identity.encryptionKey = encryptionKey;
        identity.registeredAt = uint40(block.timestamp);
        emit IdentityRegistered(account, msg.sender, encryptionKey);
    }

    function _rotate(address account, bytes32 encryptionKey) private {
        if (encryptionKey == bytes32(0)) revert InvalidEncryptionKey();
        Identity storage identity = _identities[account];
        if (identity.registeredAt == 0) revert NotRegistered(account);
        identity.encryptionKey = encryptionKey;
        emit EncryptionKeyRotated(account, msg.sender, encryptionKey);
    }
}
