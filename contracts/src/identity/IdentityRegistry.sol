// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {EIP712Relayed} from "../utils/EIP712Relayed.sol";

/// @title IdentityRegistry
/// @notice Patients and doctors register an address with their X25519 encryption public key. The doctor role is not
/// self-declared: a registrar (a hospital or licensing authority account, appointed by the admin) attests it, with an
/// expiry. Removing a registrar voids every attestation it made.
contract IdentityRegistry is EIP712Relayed {
    /// @notice A registered account.
    struct Identity {
        /// The account's X25519 public key, to which record keys are wrapped.
        bytes32 encryptionKey;
        /// When the account registered (0: not registered).
        uint40 registeredAt;
        /// Until when the doctor attestation holds (0: never attested or revoked).
        uint40 doctorUntil;
        /// The registrar that attested the doctor role.
        address registrar;
    }

    /// @notice `account` registered with `encryptionKey`; `actor` submitted it (the account or a relayer).
    /// @param account The registered account.
    /// @param actor Who submitted it.
    /// @param encryptionKey The account's X25519 public key.
    event IdentityRegistered(address indexed account, address indexed actor, bytes32 encryptionKey);
    /// @notice `account` replaced its encryption key.
    /// @param account The account.
    /// @param actor Who submitted it (the account or a relayer).
    /// @param encryptionKey The new X25519 public key.
    event EncryptionKeyRotated(address indexed account, address indexed actor, bytes32 encryptionKey);
    /// @notice `registrar` attested that `doctor` is a doctor until `validUntil`.
    /// @param doctor The attested account.
    /// @param registrar The attesting registrar.
    /// @param validUntil When the attestation ends by itself (Unix seconds): the doctor's grants and delegations read
    /// as not live from then on, until a new attestation.
    event DoctorAttested(address indexed doctor, address indexed registrar, uint40 validUntil);
    /// @notice The doctor attestation of `doctor` was withdrawn by `actor`: its grants and delegations read as not live.
    /// @param doctor The account.
    /// @param actor The registrar or the admin.
    event DoctorAttestationRevoked(address indexed doctor, address indexed actor);
    /// @notice `admin` appointed or removed `registrar` (removal voids every attestation it made).
    /// @param registrar The registrar.
    /// @param admin The admin.
    /// @param enabled Whether it is now a registrar.
    event RegistrarUpdated(address indexed registrar, address indexed admin, bool enabled);
    /// @notice The admin role moved from `previousAdmin` to `newAdmin`.
    /// @param previousAdmin The former admin (zero at deployment).
    /// @param newAdmin The new admin.
    event AdminTransferred(address indexed previousAdmin, address indexed newAdmin);

    /// @notice Only the admin may do this.
    /// @param caller The caller.
    error NotAdmin(address caller);
    /// @notice Only a registrar (for a withdrawal: the attesting registrar or the admin) may do this.
    /// @param caller The caller.
    error NotRegistrar(address caller);
    /// @notice The account is already registered.
    /// @param account The account.
    error AlreadyRegistered(address account);
    /// @notice The account is not registered.
    /// @param account The account.
    error NotRegistered(address account);
    /// @notice The encryption key is zero.
    error InvalidEncryptionKey();
    /// @notice The attestation's end is not in the future.
    /// @param validUntil The rejected end (Unix seconds).
    error InvalidAttestationExpiry(uint40 validUntil);
    /// @notice The account holds no attestation to withdraw.
    /// @param doctor The account.
    error NotAttested(address doctor);
    /// @notice The zero address is not allowed here.
    error ZeroAddress();

    bytes32 public constant REGISTER_TYPEHASH =
        keccak256("Register(address account,bytes32 encryptionKey,uint256 nonce,uint256 deadline)");
    bytes32 public constant ROTATE_ENCRYPTION_KEY_TYPEHASH =
        keccak256("RotateEncryptionKey(address account,bytes32 encryptionKey,uint256 nonce,uint256 deadline)");

    /// @notice The account that appoints and removes registrars.
    address public admin;
    mapping(address registrar => bool) public isRegistrar;
    mapping(address account => Identity) private _identities;

    constructor(address admin_) EIP712Relayed("MHR Chain IdentityRegistry", "1") {
        if (admin_ == address(0)) revert ZeroAddress();
        admin = admin_;
        emit AdminTransferred(address(0), admin_);
    }

    // ---------------------------------------------------------------- admin

    /// @notice Appoints or removes a registrar. Only the admin.
    function setRegistrar(address registrar, bool enabled) external {
        if (msg.sender != admin) revert NotAdmin(msg.sender);
        if (registrar == address(0)) revert ZeroAddress();
        isRegistrar[registrar] = enabled;
        emit RegistrarUpdated(registrar, msg.sender, enabled);
    }

    /// @notice Hands the admin role to `newAdmin`. Only the admin.
    function transferAdmin(address newAdmin) external {
        if (msg.sender != admin) revert NotAdmin(msg.sender);
        if (newAdmin == address(0)) revert ZeroAddress();
        emit AdminTransferred(msg.sender, newAdmin);
        admin = newAdmin;
    }

    // ---------------------------------------------------------------- accounts

    /// @notice Registers the caller with its X25519 encryption public key.
    function register(bytes32 encryptionKey) external {
        _register(msg.sender, encryptionKey);
    }

    /// @notice Registers `account` with the account's EIP-712 signature; anyone may submit it.
    function registerBySig(address account, bytes32 encryptionKey, uint256 deadline, bytes calldata signature)
        external
    {
        bytes32 structHash =
            keccak256(abi.encode(REGISTER_TYPEHASH, account, encryptionKey, _useNonce(account), deadline));
        _checkSignature(account, structHash, deadline, signature);
        _register(account, encryptionKey);
    }

    /// @notice Replaces the caller's encryption key (after a device change or key compromise).
    function rotateEncryptionKey(bytes32 encryptionKey) external {
        _rotate(msg.sender, encryptionKey);
    }

    /// @notice Replaces `account`'s encryption key with the account's EIP-712 signature.
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

    /// @notice Attests that the registered `doctor` is a doctor until `validUntil`. Only a registrar.
    function attestDoctor(address doctor, uint40 validUntil) external {
        if (!isRegistrar[msg.sender]) revert NotRegistrar(msg.sender);
        if (validUntil <= block.timestamp) revert InvalidAttestationExpiry(validUntil);
        Identity storage identity = _identities[doctor];
        if (identity.registeredAt == 0) revert NotRegistered(doctor);
        identity.doctorUntil = validUntil;
        identity.registrar = msg.sender;
        emit DoctorAttested(doctor, msg.sender, validUntil);
    }

    /// @notice Withdraws the doctor attestation of `doctor`. Only the attesting registrar or the admin.
    function revokeDoctor(address doctor) external {
        Identity storage identity = _identities[doctor];
        if (identity.doctorUntil == 0) revert NotAttested(doctor);
        if (msg.sender != identity.registrar && msg.sender != admin) revert NotRegistrar(msg.sender);
        identity.doctorUntil = 0;
        emit DoctorAttestationRevoked(doctor, msg.sender);
    }

    // ---------------------------------------------------------------- views

    /// @notice The identity of `account` (all zero when unregistered).
    function identityOf(address account) external view returns (Identity memory) {
        return _identities[account];
    }

    /// @notice Whether `account` registered.
    function isRegistered(address account) external view returns (bool) {
        return _identities[account].registeredAt != 0;
    }

    /// @notice Whether `account` holds a current doctor attestation from a registrar still in office.
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
