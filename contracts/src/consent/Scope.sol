// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice What a grant, request or delegation covers.
enum ScopeKind {
    /// Every record of the patient.
    All,
    /// Every record of the patient in one category.
    Category,
    /// The listed record ids only.
    Records
}

/// @notice A scope: `category` is used by `Category` only, `recordIds` by `Records` only (1 to 64 ids).
struct Scope {
    ScopeKind kind;
    uint16 category;
    bytes32[] recordIds;
}

/// @title ScopeLib
/// @notice Validation and EIP-712 hashing of scopes.
library ScopeLib {
    /// @notice The most record ids a `Records` scope may list.
    uint256 internal constant MAX_RECORD_IDS = 64;

    bytes32 internal constant SCOPE_TYPEHASH = keccak256("Scope(uint8 kind,uint16 category,bytes32[] recordIds)");

    /// @notice Whether the scope is well formed (fields unused by its kind are zero or empty).
    /// @param scope The scope.
    /// @return Whether it is well formed (a `Records` scope also lists 1 to `MAX_RECORD_IDS` ids).
    function isWellFormed(Scope calldata scope) internal pure returns (bool) {
        if (scope.kind == ScopeKind.All) return scope.category == 0 && scope.recordIds.length == 0;
        if (scope.kind == ScopeKind.Category) return scope.recordIds.length == 0;
        return scope.category == 0 && scope.recordIds.length != 0 && scope.recordIds.length <= MAX_RECORD_IDS;
    }

    /// @notice The EIP-712 struct hash of a scope.
    /// @param scope The scope.
    /// @return The struct hash under `Scope(uint8 kind,uint16 category,bytes32[] recordIds)`.
    function hash(Scope calldata scope) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(SCOPE_TYPEHASH, uint8(scope.kind), scope.category, keccak256(abi.encodePacked(scope.recordIds)))
        );
    }
}
