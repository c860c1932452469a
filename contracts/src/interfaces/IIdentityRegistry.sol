// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IEIP712Relayed} from "./IEIP712Relayed.sol";

/// @title IIdentityRegistry
/// @notice Patients and doctors register an address with their X25519 encryption public key. The doctor role is not
/// self-declared: a registrar (a hospital or licensing authority account, appointed by the admin) attests it, with an
/// expiry. Removing a registrar voids every attestation it made.
interface IIdentityRegistry is IEIP712Relayed {
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

    /// @notice The EIP-712 type hash of a relayed registration:
    /// `Register(address account,bytes32 encryptionKey,uint256 nonce,uint256 deadline)`.
    /// @return The type hash.
    function REGISTER_TYPEHASH() external view returns (bytes32);

    /// @notice The EIP-712 type hash of a relayed key rotation:
    /// `RotateEncryptionKey(address account,bytes32 encryptionKey,uint256 nonce,uint256 deadline)`.
    /// @return The type hash.
    function ROTATE_ENCRYPTION_KEY_TYPEHASH() external view returns (bytes32);

    /// @notice The account that appoints and removes registrars.
    /// @return The admin.
    function admin() external view returns (address);

    /// @notice Whether `registrar` is a registrar in office.
    /// @param registrar The account.
    /// @return Whether it may attest doctors.
    function isRegistrar(address registrar) external view returns (bool);

    /// @notice Appoints or removes a registrar. Only the admin.
    /// @param registrar The registrar (not zero).
    /// @param enabled Whether it is a registrar from now on (removal voids every attestation it made).
    function setRegistrar(address registrar, bool enabled) external;

    /// @notice Hands the admin role to `newAdmin`. Only the admin.
    /// @param newAdmin The new admin (not zero).
    function transferAdmin(address newAdmin) external;

    /// @notice Registers the caller with its X25519 encryption public key.
    /// @param encryptionKey The caller's X25519 public key (not zero).
    function register(bytes32 encryptionKey) external;

    /// @notice Registers `account` with the account's EIP-712 signature; anyone may submit it.
    /// @param account The account to register.
    /// @param encryptionKey The account's X25519 public key (not zero).
    /// @param deadline The last second the signature may be relayed (Unix seconds).
    /// @param signature The account's EIP-712 signature of `Register`.
    function registerBySig(address account, bytes32 encryptionKey, uint256 deadline, bytes calldata signature)
        external;

    /// @notice Replaces the caller's encryption key (after a device change or key compromise).
    /// @param encryptionKey The new X25519 public key (not zero).
    function rotateEncryptionKey(bytes32 encryptionKey) external;

    /// @notice Replaces `account`'s encryption key with the account's EIP-712 signature; anyone may submit it.
    /// @param account The registered account.
    /// @param encryptionKey The new X25519 public key (not zero).
    /// @param deadline The last second the signature may be relayed (Unix seconds).
    /// @param signature The account's EIP-712 signature of `RotateEncryptionKey`.
    function rotateEncryptionKeyBySig(address account, bytes32 encryptionKey, uint256 deadline, bytes calldata signature)
        external;

    /// @notice Attests that the registered `doctor` is a doctor until `validUntil`. Only a registrar.
    /// @param doctor The registered account.
    /// @param validUntil When the attestation ends by itself (Unix seconds, in the future).
    function attestDoctor(address doctor, uint40 validUntil) external;

    /// @notice Withdraws the doctor attestation of `doctor`. Only the attesting registrar or the admin.
    /// @param doctor The attested account.
    function revokeDoctor(address doctor) external;

    /// @notice The identity of `account` (all zero when unregistered).
    /// @param account The account.
    /// @return The account's identity.
    function identityOf(address account) external view returns (Identity memory);

    /// @notice Whether `account` registered.
    /// @param account The account.
    /// @return Whether it is registered.
    function isRegistered(address account) external view returns (bool);

    /// @notice Whether `account` holds a current doctor attestation from a registrar still in office.
    /// @param account The account.
    /// @return Whether it is an attested doctor now.
    function isDoctor(address account) external view returns (bool);
}
