// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Scope, ScopeKind} from "../consent/Scope.sol";
import {IConsentManager} from "./IConsentManager.sol";
import {IEIP712Relayed} from "./IEIP712Relayed.sol";
import {IIdentityRegistry} from "./IIdentityRegistry.sol";
import {IRecordRegistry} from "./IRecordRegistry.sol";
import {IConsentErrors} from "./ISharedErrors.sol";

/// @title IDelegationRegistry
/// @notice A doctor holding a live grant asks to share a patient's records with a colleague; only the patient's
/// approval makes the delegation effective, and the approval names exactly what it approves (doctor, request serial,
/// scope hash, expiry), so a request swapped after the patient looked at it cannot be approved. A delegated scope and
/// expiry never exceed the doctor's grant, and a delegation lives only as long as the exact grant it was made under:
/// when the patient revokes the doctor (or the grant expires or is replaced), the colleague's access ends with it, and
/// it is void while the doctor or the colleague is not an attested doctor. There is one delegation per
/// (patient, colleague). `canRead` here answers for direct grants and delegations alike.
/// @dev Also raises the errors of `IConsentErrors`.
interface IDelegationRegistry is IEIP712Relayed, IConsentErrors {
    /// @notice Where a delegation stands.
    enum DelegationStatus {
        /// Never requested.
        None,
        /// Requested by the doctor, waiting for the patient's approval.
        Pending,
        /// Approved by the patient (live only while `isDelegationActive`).
        Approved,
        /// Rejected by the patient.
        Rejected,
        /// Revoked by the patient or withdrawn by the doctor.
        Revoked
    }

    /// @notice A delegation from `doctor` to a colleague over a patient's records.
    struct Delegation {
        /// The delegating doctor.
        address doctor;
        /// Where the delegation stands.
        DelegationStatus status;
        /// What the colleague may read (the listed ids of a `Records` delegation are in its `DelegationRequested` log).
        ScopeKind kind;
        /// The category of a `Category` delegation.
        uint16 category;
        /// The serial of the doctor's grant the delegation was made under.
        uint32 parentSerial;
        /// Increments with every delegation request of the pair (keys the listed record ids; approvals name it).
        uint32 serial;
        /// When the delegation ends by itself (Unix seconds).
        uint40 expiresAt;
    }

    /// @notice What a patient's approval names: exactly one delegation request.
    struct DelegationTerms {
        /// The delegating doctor.
        address doctor;
        /// The request's serial (`DelegationRequested.serial`).
        uint32 serial;
        /// The EIP-712 struct hash of the requested `Scope`.
        bytes32 scopeHash;
        /// The requested expiry.
        uint40 expiresAt;
    }

    /// @notice `doctor` asked `patient` to let `colleague` read `scope` until `expiresAt`.
    /// @param patient The patient asked.
    /// @param doctor The delegating doctor.
    /// @param colleague The colleague who would read.
    /// @param serial The request's serial within the (patient, colleague) pair: an approval must name it.
    /// @param parentSerial The serial of the doctor's grant the delegation is made under (it ends with that grant).
    /// @param scope What the colleague would read (an approval names its EIP-712 hash).
    /// @param expiresAt When the delegation would end by itself (Unix seconds).
    event DelegationRequested(
        address indexed patient,
        address indexed doctor,
        address indexed colleague,
        uint32 serial,
        uint32 parentSerial,
        Scope scope,
        uint40 expiresAt
    );
    /// @notice `patient` approved delegation request `serial` of `doctor` to `colleague`, live until `expiresAt` at most.
    /// @param patient The patient.
    /// @param colleague The colleague who may now read.
    /// @param actor Who submitted the approval (the patient or a relayer).
    /// @param doctor The delegating doctor.
    /// @param serial The approved request's serial.
    /// @param expiresAt When the delegation ends by itself (Unix seconds).
    event DelegationApproved(
        address indexed patient,
        address indexed colleague,
        address indexed actor,
        address doctor,
        uint32 serial,
        uint40 expiresAt
    );
    /// @notice `patient` rejected delegation request `serial` to `colleague`.
    /// @param patient The patient.
    /// @param colleague The colleague.
    /// @param actor Who submitted the rejection (the patient or a relayer).
    /// @param serial The rejected request's serial.
    event DelegationRejected(address indexed patient, address indexed colleague, address indexed actor, uint32 serial);
    /// @notice Delegation `serial` to `colleague` (pending or approved) was revoked by `actor` (the patient, its
    /// relayer, or the delegating doctor withdrawing it).
    /// @param patient The patient.
    /// @param colleague The colleague.
    /// @param actor Who revoked.
    /// @param serial The revoked delegation's serial.
    event DelegationRevoked(address indexed patient, address indexed colleague, address indexed actor, uint32 serial);

    /// @notice The colleague is the doctor itself, the patient, or the zero address.
    /// @param colleague The rejected colleague.
    error InvalidColleague(address colleague);
    /// @notice The delegated scope is not within the doctor's grant.
    error ScopeExceedsGrant();
    /// @notice A delegation to `colleague` is already pending or live.
    /// @param patient The patient.
    /// @param colleague The colleague.
    error DelegationAlreadyExists(address patient, address colleague);
    /// @notice There is no pending delegation to `colleague`.
    /// @param patient The patient.
    /// @param colleague The colleague.
    error NoPendingDelegation(address patient, address colleague);
    /// @notice There is no pending or approved delegation to `colleague`.
    /// @param patient The patient.
    /// @param colleague The colleague.
    error NoDelegation(address patient, address colleague);
    /// @notice The doctor's grant the delegation was made under is no longer the live grant.
    /// @param patient The patient.
    /// @param doctor The delegating doctor.
    error ParentGrantChanged(address patient, address doctor);
    /// @notice `account` may not revoke this delegation.
    /// @param account The caller.
    error NotAuthorized(address account);
    /// @notice The approval, rejection or revocation names other terms than the delegation's current ones (the request
    /// was withdrawn and replaced, or the call or signature was made for an earlier one).
    /// @param patient The patient.
    /// @param colleague The colleague.
    /// @param serial The serial the patient (or the doctor withdrawing a delegation) named.
    error DelegationMismatch(address patient, address colleague, uint32 serial);

    /// @notice The EIP-712 type hash of a relayed approval: `ApproveDelegation(address patient,address colleague,
    /// address doctor,uint32 serial,bytes32 scopeHash,uint40 expiresAt,uint256 nonce,uint256 deadline)`.
    /// @return The type hash.
    function APPROVE_DELEGATION_TYPEHASH() external view returns (bytes32);

    /// @notice The EIP-712 type hash of a relayed rejection:
    /// `RejectDelegation(address patient,address colleague,uint32 serial,uint256 nonce,uint256 deadline)`.
    /// @return The type hash.
    function REJECT_DELEGATION_TYPEHASH() external view returns (bytes32);

    /// @notice The EIP-712 type hash of a relayed revocation:
    /// `RevokeDelegation(address patient,address colleague,uint32 serial,uint256 nonce,uint256 deadline)`.
    /// @return The type hash.
    function REVOKE_DELEGATION_TYPEHASH() external view returns (bytes32);

    /// @notice The consent manager whose grants delegations are made under.
    /// @return The consent manager.
    function consent() external view returns (IConsentManager);

    /// @notice The registry that attests doctors (the consent manager's).
    /// @return The identity registry.
    function identities() external view returns (IIdentityRegistry);

    /// @notice The registry of the records delegations cover (the consent manager's).
    /// @return The record registry.
    function records() external view returns (IRecordRegistry);

    /// @notice The caller, holding a live grant from `patient`, asks to delegate `scope` to `colleague`.
    /// @param patient The patient who granted the caller.
    /// @param colleague An attested doctor other than the caller and the patient, with no pending or live delegation
    /// from this patient.
    /// @param scope What the colleague would read (well formed, within the caller's grant).
    /// @param expiresAt When the delegation would end by itself (Unix seconds, in the future, not after the caller's
    /// grant).
    function requestDelegation(address patient, address colleague, Scope calldata scope, uint40 expiresAt) external;

    /// @notice The caller approves the pending delegation to `colleague`, naming what it approves (`terms`: the
    /// request's doctor, serial, scope hash and expiry, as `DelegationRequested` showed them). Reverts with
    /// `DelegationMismatch` when the pending request is another one.
    /// @param colleague The colleague.
    /// @param terms The terms of the request the caller approves.
    function approveDelegation(address colleague, DelegationTerms calldata terms) external;

    /// @notice Approves on behalf of `patient` with the patient's EIP-712 signature over the same terms; anyone may
    /// submit it.
    /// @param patient The patient.
    /// @param colleague The colleague.
    /// @param terms The terms of the request the patient approves.
    /// @param deadline The last second the signature may be relayed (Unix seconds).
    /// @param signature The patient's EIP-712 signature of `ApproveDelegation`.
    function approveDelegationBySig(
        address patient,
        address colleague,
        DelegationTerms calldata terms,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice The caller rejects pending delegation request `serial` to `colleague`. The call names the request it
    /// ends, so a rejection mined late (held in the mempool, or sent again after the doctor withdrew the request and
    /// asked again) cannot reject a later request; reverts with `DelegationMismatch` otherwise.
    /// @param colleague The colleague.
    /// @param serial The serial of the request the caller rejects (the delegation's current one).
    function rejectDelegation(address colleague, uint32 serial) external;

    /// @notice Rejects delegation request `serial` on behalf of `patient` with the patient's EIP-712 signature; anyone
    /// may submit it.
    /// @param patient The patient.
    /// @param colleague The colleague.
    /// @param serial The serial of the request the patient rejects (the delegation's current one).
    /// @param deadline The last second the signature may be relayed (Unix seconds).
    /// @param signature The patient's EIP-712 signature of `RejectDelegation`.
    function rejectDelegationBySig(
        address patient,
        address colleague,
        uint32 serial,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice Revokes delegation `serial` of `patient` to `colleague` (pending or approved): the patient or the
    /// delegating doctor may. The call names the delegation it ends, so a revoke mined late (held in the mempool, or
    /// re-sent after the delegation was replaced) cannot revoke a later delegation to the same colleague; reverts
    /// with `DelegationMismatch` otherwise.
    /// @param patient The patient.
    /// @param colleague The colleague.
    /// @param serial The serial of the delegation revoked (the current one).
    function revokeDelegation(address patient, address colleague, uint32 serial) external;

    /// @notice Revokes delegation `serial` on behalf of `patient` with the patient's EIP-712 signature; anyone may
    /// submit it.
    /// @param patient The patient.
    /// @param colleague The colleague.
    /// @param serial The serial of the delegation the patient revokes (the current one).
    /// @param deadline The last second the signature may be relayed (Unix seconds).
    /// @param signature The patient's EIP-712 signature of `RevokeDelegation`.
    function revokeDelegationBySig(
        address patient,
        address colleague,
        uint32 serial,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice The delegation of (`patient`, `colleague`), live or not.
    /// @param patient The patient.
    /// @param colleague The colleague.
    /// @return The delegation (all zero when never requested).
    function delegationOf(address patient, address colleague) external view returns (Delegation memory);

    /// @notice Whether the delegation is approved, unexpired, its parent grant is still the same live grant, and the
    /// colleague is an attested doctor (the parent grant being live requires the doctor to be one).
    /// @param patient The patient.
    /// @param colleague The colleague.
    /// @return Whether the delegation is live.
    function isDelegationActive(address patient, address colleague) external view returns (bool);

    /// @notice Whether `reader` may read `recordId` of `patient`, through its own grant or a live delegation.
    /// @param patient The patient.
    /// @param reader The doctor or colleague.
    /// @param recordId The record.
    /// @return Whether a live grant or delegation covers the record.
    function canRead(address patient, address reader, bytes32 recordId) external view returns (bool);
}
