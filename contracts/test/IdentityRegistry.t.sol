// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IdentityRegistry} from "../src/identity/IdentityRegistry.sol";
import {IEIP712Relayed} from "../src/interfaces/IEIP712Relayed.sol";
import {IIdentityRegistry} from "../src/interfaces/IIdentityRegistry.sol";
import {Fixture} from "./utils/Fixture.sol";

contract IdentityRegistryTest is Fixture {
    function test_constructor_rejectsZeroAdmin() public {
        vm.expectRevert(IIdentityRegistry.ZeroAddress.selector);
        new IdentityRegistry(address(0));
    }

    function test_register_storesKeyAndEmits() public {
        vm.expectEmit(address(identity));
        emit IIdentityRegistry.IdentityRegistered(patient, patient, ENCRYPTION_KEY);
        vm.prank(patient);
        identity.register(ENCRYPTION_KEY);
        IIdentityRegistry.Identity memory id = identity.identityOf(patient);
        assertEq(id.encryptionKey, ENCRYPTION_KEY, "key");
        assertEq(id.registeredAt, START, "registeredAt");
        assertTrue(identity.isRegistered(patient), "registered");
        assertFalse(identity.isDoctor(patient), "a patient is no doctor");
    }

    function test_register_revertsWhenAlreadyRegistered() public {
        vm.startPrank(patient);
        identity.register(ENCRYPTION_KEY);
        vm.expectRevert(abi.encodeWithSelector(IIdentityRegistry.AlreadyRegistered.selector, patient));
        identity.register(ENCRYPTION_KEY);
        vm.stopPrank();
    }

    function test_register_revertsOnZeroKey() public {
        vm.prank(patient);
        vm.expectRevert(IIdentityRegistry.InvalidEncryptionKey.selector);
        identity.register(bytes32(0));
    }

    function test_registerBySig_relayed() public {
        bytes memory sig = _sign(
            patientKey,
            identity,
            keccak256(abi.encode(identity.REGISTER_TYPEHASH(), patient, ENCRYPTION_KEY, 0, START + 1 hours))
        );
        vm.expectEmit(address(identity));
        emit IIdentityRegistry.IdentityRegistered(patient, relayer, ENCRYPTION_KEY);
        vm.prank(relayer);
        identity.registerBySig(patient, ENCRYPTION_KEY, START + 1 hours, sig);
        assertTrue(identity.isRegistered(patient), "registered");
        assertEq(identity.nonces(patient), 1, "nonce consumed");
    }

    function test_registerBySig_revertsForOtherAccount() public {
        bytes memory sig = _sign(
            patientKey,
            identity,
            keccak256(abi.encode(identity.REGISTER_TYPEHASH(), stranger, ENCRYPTION_KEY, 0, START + 1 hours))
        );
        vm.expectRevert(IEIP712Relayed.InvalidSignature.selector);
        identity.registerBySig(stranger, ENCRYPTION_KEY, START + 1 hours, sig);
    }

    function test_rotateEncryptionKey() public {
        vm.startPrank(patient);
        identity.register(ENCRYPTION_KEY);
        vm.expectEmit(address(identity));
        emit IIdentityRegistry.EncryptionKeyRotated(patient, patient, bytes32(uint256(7)));
        identity.rotateEncryptionKey(bytes32(uint256(7)));
        vm.stopPrank();
        assertEq(identity.identityOf(patient).encryptionKey, bytes32(uint256(7)), "rotated");
    }

    function test_rotateEncryptionKey_revertsWhenUnregistered() public {
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IIdentityRegistry.NotRegistered.selector, patient));
        identity.rotateEncryptionKey(bytes32(uint256(7)));
    }

    function test_rotateEncryptionKey_revertsOnZeroKey() public {
        vm.startPrank(patient);
        identity.register(ENCRYPTION_KEY);
        vm.expectRevert(IIdentityRegistry.InvalidEncryptionKey.selector);
        identity.rotateEncryptionKey(bytes32(0));
        vm.stopPrank();
    }

    function test_rotateEncryptionKeyBySig() public {
        vm.prank(patient);
        identity.register(ENCRYPTION_KEY);
        bytes32 newKey = bytes32(uint256(9));
        bytes memory sig = _sign(
            patientKey,
            identity,
            keccak256(abi.encode(identity.ROTATE_ENCRYPTION_KEY_TYPEHASH(), patient, newKey, 0, START + 60))
        );
        vm.prank(relayer);
        identity.rotateEncryptionKeyBySig(patient, newKey, START + 60, sig);
        assertEq(identity.identityOf(patient).encryptionKey, newKey, "rotated");
    }

    function test_attestDoctor_makesDoctorUntilExpiry() public {
        vm.prank(patient);
        identity.register(ENCRYPTION_KEY);
        vm.expectEmit(address(identity));
        emit IIdentityRegistry.DoctorAttested(patient, registrar, uint40(START + 10));
        vm.prank(registrar);
        identity.attestDoctor(patient, uint40(START + 10));
        assertTrue(identity.isDoctor(patient), "doctor");
        vm.warp(START + 10);
        assertFalse(identity.isDoctor(patient), "attestation expired");
    }

    function test_attestDoctor_revertsForNonRegistrar() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IIdentityRegistry.NotRegistrar.selector, stranger));
        identity.attestDoctor(doctor, uint40(START + 10));
    }

    function test_attestDoctor_revertsForUnregistered() public {
        vm.prank(registrar);
        vm.expectRevert(abi.encodeWithSelector(IIdentityRegistry.NotRegistered.selector, stranger));
        identity.attestDoctor(stranger, uint40(START + 10));
    }

    function test_attestDoctor_revertsOnPastExpiry() public {
        vm.prank(registrar);
        vm.expectRevert(abi.encodeWithSelector(IIdentityRegistry.InvalidAttestationExpiry.selector, uint40(START)));
        identity.attestDoctor(doctor, uint40(START));
    }

    function test_revokeDoctor_byRegistrarAndAdmin() public {
        vm.expectEmit(address(identity));
        emit IIdentityRegistry.DoctorAttestationRevoked(doctor, registrar);
        vm.prank(registrar);
        identity.revokeDoctor(doctor);
        assertFalse(identity.isDoctor(doctor), "revoked");
        vm.prank(admin);
        identity.revokeDoctor(colleague);
        assertFalse(identity.isDoctor(colleague), "revoked by admin");
    }

    function test_revokeDoctor_revertsForStranger() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IIdentityRegistry.NotRegistrar.selector, stranger));
        identity.revokeDoctor(doctor);
    }

    function test_revokeDoctor_revertsWhenNotAttested() public {
        vm.prank(registrar);
        vm.expectRevert(abi.encodeWithSelector(IIdentityRegistry.NotAttested.selector, patient));
        identity.revokeDoctor(patient);
    }

    function test_removingRegistrar_voidsItsAttestations() public {
        vm.prank(admin);
        identity.setRegistrar(registrar, false);
        assertFalse(identity.isDoctor(doctor), "voided");
    }

    function test_setRegistrar_revertsForNonAdmin() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IIdentityRegistry.NotAdmin.selector, stranger));
        identity.setRegistrar(stranger, true);
    }

    function test_setRegistrar_revertsOnZero() public {
        vm.prank(admin);
        vm.expectRevert(IIdentityRegistry.ZeroAddress.selector);
        identity.setRegistrar(address(0), true);
    }

    function test_transferAdmin() public {
        vm.expectEmit(address(identity));
        emit IIdentityRegistry.AdminTransferred(admin, stranger);
        vm.prank(admin);
        identity.transferAdmin(stranger);
        assertEq(identity.admin(), stranger, "admin");
        vm.prank(admin);
        vm.expectRevert(abi.encodeWithSelector(IIdentityRegistry.NotAdmin.selector, admin));
        identity.transferAdmin(admin);
    }

    function test_transferAdmin_revertsOnZero() public {
        vm.prank(admin);
        vm.expectRevert(IIdentityRegistry.ZeroAddress.selector);
        identity.transferAdmin(address(0));
    }

    function test_fuzz_register_anyNonZeroKey(address account, bytes32 key) public {
        vm.assume(key != bytes32(0) && account != doctor && account != colleague);
        vm.prank(account);
        identity.register(key);
        assertEq(identity.identityOf(account).encryptionKey, key, "key");
        assertFalse(identity.isDoctor(account), "no self-declared doctors");
    }
}
