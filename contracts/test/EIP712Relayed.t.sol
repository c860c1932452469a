// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ConsentManager} from "../src/consent/ConsentManager.sol";
import {IEIP712Relayed} from "../src/interfaces/IEIP712Relayed.sol";
import {IERC1271} from "../src/utils/EIP712Relayed.sol";
import {Fixture} from "./utils/Fixture.sol";

/// @dev A smart account that accepts exactly one digest.
contract SmartAccount is IERC1271 {
    bytes32 public approved;

    function approve(bytes32 digest) external {
        approved = digest;
    }

    function isValidSignature(bytes32 hash, bytes calldata) external view returns (bytes4) {
        return hash == approved ? IERC1271.isValidSignature.selector : bytes4(0xffffffff);
    }
}

/// Signature replay across nonces, chains and contracts; deadlines; malleability; ERC-1271 signers.
contract EIP712RelayedTest is Fixture {
    uint256 internal constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    function _revokeSig(uint256 nonce, uint256 deadline) internal view returns (bytes memory) {
        return _sign(
            patientKey,
            consent,
            keccak256(abi.encode(consent.REVOKE_ACCESS_TYPEHASH(), patient, doctor, uint32(1), nonce, deadline))
        );
    }

    function test_domain() public view {
        (, string memory name, string memory version, uint256 chainId, address verifying,,) = consent.eip712Domain();
        assertEq(keccak256(bytes(name)), keccak256("MHR Chain ConsentManager"), "name");
        assertEq(keccak256(bytes(version)), keccak256("1"), "version");
        assertEq(chainId, block.chainid, "chain");
        assertEq(verifying, address(consent), "contract");
    }

    function test_replaySameNonce_fails() public {
        uint40 expiresAt = uint40(START + 1 days);
        bytes memory sig = _grantSig(doctor, _all(), expiresAt, 0, START + 60);
        consent.grantAccessBySig(patient, doctor, _all(), expiresAt, START + 60, sig);
        vm.expectRevert(IEIP712Relayed.InvalidSignature.selector);
        consent.grantAccessBySig(patient, doctor, _all(), expiresAt, START + 60, sig);
    }

    function test_futureNonce_fails() public {
        _grant(_all(), 1 days);
        bytes memory sig = _revokeSig(1, START + 60);
        vm.expectRevert(IEIP712Relayed.InvalidSignature.selector);
        consent.revokeAccessBySig(patient, doctor, 1, START + 60, sig);
    }

    function test_replayOtherChain_fails() public {
        _grant(_all(), 1 days);
        bytes memory sig = _revokeSig(0, START + 60);
        vm.chainId(31337 + 1);
        vm.expectRevert(IEIP712Relayed.InvalidSignature.selector);
        consent.revokeAccessBySig(patient, doctor, 1, START + 60, sig);
    }

    function test_replayOtherContract_fails() public {
        ConsentManager twin = new ConsentManager(identity, records);
        vm.prank(patient);
        twin.grantAccess(doctor, _all(), uint40(START + 1 days));
        bytes memory sig = _revokeSig(0, START + 60);
        vm.expectRevert(IEIP712Relayed.InvalidSignature.selector);
        twin.revokeAccessBySig(patient, doctor, 1, START + 60, sig);
    }

    function test_expiredDeadline_fails() public {
        _grant(_all(), 1 days);
        bytes memory sig = _revokeSig(0, START + 60);
        vm.warp(START + 61);
        vm.expectRevert(abi.encodeWithSelector(IEIP712Relayed.SignatureExpired.selector, START + 60));
        consent.revokeAccessBySig(patient, doctor, 1, START + 60, sig);
    }

    function test_malleableSignature_fails() public {
        _grant(_all(), 1 days);
        bytes memory sig = _revokeSig(0, START + 60);
        bytes32 r;
        bytes32 s;
        uint8 v;
        assembly {
            r := mload(add(sig, 32))
            s := mload(add(sig, 64))
            v := byte(0, mload(add(sig, 96)))
        }
        bytes memory flipped = abi.encodePacked(r, bytes32(SECP256K1_N - uint256(s)), v == 27 ? uint8(28) : uint8(27));
        vm.expectRevert(IEIP712Relayed.InvalidSignature.selector);
        consent.revokeAccessBySig(patient, doctor, 1, START + 60, flipped);
    }

    function test_malformedSignatures_fail() public {
        _grant(_all(), 1 days);
        vm.expectRevert(IEIP712Relayed.InvalidSignature.selector);
        consent.revokeAccessBySig(patient, doctor, 1, START + 60, hex"01");
        bytes memory sig = _revokeSig(0, START + 60);
        sig[64] = bytes1(uint8(29));
        vm.expectRevert(IEIP712Relayed.InvalidSignature.selector);
        consent.revokeAccessBySig(patient, doctor, 1, START + 60, sig);
    }

    function test_erc1271Signer() public {
        SmartAccount account = new SmartAccount();
        vm.prank(address(account));
        consent.grantAccess(doctor, _all(), uint40(START + 1 days));
        bytes32 structHash =
            keccak256(abi.encode(consent.REVOKE_ACCESS_TYPEHASH(), address(account), doctor, uint32(1), 0, START + 60));
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", consent.DOMAIN_SEPARATOR(), structHash));
        vm.expectRevert(IEIP712Relayed.InvalidSignature.selector);
        consent.revokeAccessBySig(address(account), doctor, 1, START + 60, "");
        account.approve(digest);
        consent.revokeAccessBySig(address(account), doctor, 1, START + 60, "");
        assertFalse(consent.isGrantActive(address(account), doctor), "revoked by smart account");
    }

    function test_fuzz_wrongSignerNeverPasses(uint256 signerKey) public {
        signerKey = bound(signerKey, 1, SECP256K1_N - 1);
        vm.assume(signerKey != patientKey);
        _grant(_all(), 1 days);
        bytes32 structHash = keccak256(abi.encode(consent.REVOKE_ACCESS_TYPEHASH(), patient, doctor, uint32(1), 0, START + 60));
        bytes memory sig = _sign(signerKey, consent, structHash);
        vm.expectRevert(IEIP712Relayed.InvalidSignature.selector);
        consent.revokeAccessBySig(patient, doctor, 1, START + 60, sig);
    }
}
