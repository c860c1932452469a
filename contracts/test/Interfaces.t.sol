// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IConsentManager} from "../src/interfaces/IConsentManager.sol";
import {IDelegationRegistry} from "../src/interfaces/IDelegationRegistry.sol";
import {IDiseaseReports} from "../src/interfaces/IDiseaseReports.sol";
import {IEIP712Relayed} from "../src/interfaces/IEIP712Relayed.sol";
import {IIdentityRegistry} from "../src/interfaces/IIdentityRegistry.sol";
import {IRecordRegistry} from "../src/interfaces/IRecordRegistry.sol";
import {IStreamAnchors} from "../src/interfaces/IStreamAnchors.sol";
import {Fixture} from "./utils/Fixture.sol";

/// @notice Every contract is exactly its interface: each function its deployed code dispatches is declared in the
/// interface (plus `IEIP712Relayed`), and each declared function is dispatched. The selector lists below are checked
/// against `type(I).interfaceId`, so a function added to an interface must be added here too, and a public function
/// added to a contract without declaring it in its interface fails here.
contract InterfacesTest is Fixture {
    function test_identityRegistry_isItsInterface() public view {
        IIdentityRegistry i = identity;
        bytes4[] memory own = new bytes4[](15);
        own[0] = i.REGISTER_TYPEHASH.selector;
        own[1] = i.ROTATE_ENCRYPTION_KEY_TYPEHASH.selector;
        own[2] = i.admin.selector;
        own[3] = i.isRegistrar.selector;
        own[4] = i.setRegistrar.selector;
        own[5] = i.transferAdmin.selector;
        own[6] = i.register.selector;
        own[7] = i.registerBySig.selector;
        own[8] = i.rotateEncryptionKey.selector;
        own[9] = i.rotateEncryptionKeyBySig.selector;
        own[10] = i.attestDoctor.selector;
        own[11] = i.revokeDoctor.selector;
        own[12] = i.identityOf.selector;
        own[13] = i.isRegistered.selector;
        own[14] = i.isDoctor.selector;
        _checkContract("IdentityRegistry", address(i), type(IIdentityRegistry).interfaceId, own);
    }

    function test_recordRegistry_isItsInterface() public view {
        IRecordRegistry i = records;
        bytes4[] memory own = new bytes4[](14);
        own[0] = i.ANCHOR_RECORD_TYPEHASH.selector;
        own[1] = i.SUPERSEDE_RECORD_TYPEHASH.selector;
        own[2] = i.SUPERSEDE_RECORDS_TYPEHASH.selector;
        own[3] = i.ERASE_RECORDS_TYPEHASH.selector;
        own[4] = i.anchorRecord.selector;
        own[5] = i.anchorRecordBySig.selector;
        own[6] = i.supersedeRecord.selector;
        own[7] = i.supersedeRecordBySig.selector;
        own[8] = i.supersedeRecords.selector;
        own[9] = i.supersedeRecordsBySig.selector;
        own[10] = i.eraseRecords.selector;
        own[11] = i.eraseRecordsBySig.selector;
        own[12] = i.recordOf.selector;
        own[13] = i.recordIdOf.selector;
        _checkContract("RecordRegistry", address(i), type(IRecordRegistry).interfaceId, own);
    }

    function test_consentManager_isItsInterface() public view {
        IConsentManager i = consent;
        bytes4[] memory own = new bytes4[](31);
        own[0] = i.MAX_DURATION.selector;
        own[1] = i.PURPOSE_TREAT.selector;
        own[2] = i.PURPOSE_ETREAT.selector;
        own[3] = i.PURPOSE_HPAYMT.selector;
        own[4] = i.PURPOSE_HRESCH.selector;
        own[5] = i.PURPOSE_HOPERAT.selector;
        own[6] = i.PURPOSE_PUBHLTH.selector;
        own[7] = i.PURPOSE_PATRQT.selector;
        own[8] = i.PURPOSE_CAREMGT.selector;
        own[9] = i.PURPOSE_HSYSADMIN.selector;
        own[10] = i.PURPOSE_CLINTRCH.selector;
        own[11] = i.MAX_PURPOSE.selector;
        own[12] = i.GRANT_ACCESS_TYPEHASH.selector;
        own[13] = i.REJECT_REQUEST_TYPEHASH.selector;
        own[14] = i.REVOKE_ACCESS_TYPEHASH.selector;
        own[15] = i.identities.selector;
        own[16] = i.records.selector;
        own[17] = i.requestAccess.selector;
        own[18] = i.grantAccess.selector;
        own[19] = i.grantAccessBySig.selector;
        own[20] = i.rejectRequest.selector;
        own[21] = i.rejectRequestBySig.selector;
        own[22] = i.revokeAccess.selector;
        own[23] = i.revokeAccessBySig.selector;
        own[24] = i.grantOf.selector;
        own[25] = i.requestOf.selector;
        own[26] = i.isGrantActive.selector;
        own[27] = i.liveGrantOf.selector;
        own[28] = i.isListed.selector;
        own[29] = i.grantCovers.selector;
        own[30] = i.keyEpochOf.selector;
        _checkContract("ConsentManager", address(i), type(IConsentManager).interfaceId, own);
    }

    function test_delegationRegistry_isItsInterface() public view {
        IDelegationRegistry i = delegations;
        bytes4[] memory own = new bytes4[](16);
        own[0] = i.APPROVE_DELEGATION_TYPEHASH.selector;
        own[1] = i.REJECT_DELEGATION_TYPEHASH.selector;
        own[2] = i.REVOKE_DELEGATION_TYPEHASH.selector;
        own[3] = i.consent.selector;
        own[4] = i.identities.selector;
        own[5] = i.records.selector;
        own[6] = i.requestDelegation.selector;
        own[7] = i.approveDelegation.selector;
        own[8] = i.approveDelegationBySig.selector;
        own[9] = i.rejectDelegation.selector;
        own[10] = i.rejectDelegationBySig.selector;
        own[11] = i.revokeDelegation.selector;
        own[12] = i.revokeDelegationBySig.selector;
        own[13] = i.delegationOf.selector;
        own[14] = i.isDelegationActive.selector;
        own[15] = i.canRead.selector;
        _checkContract("DelegationRegistry", address(i), type(IDelegationRegistry).interfaceId, own);
    }

    function test_streamAnchors_isItsInterface() public view {
        IStreamAnchors i = streams;
        bytes4[] memory own = new bytes4[](11);
        own[0] = i.AUTHORIZE_DEVICE_TYPEHASH.selector;
        own[1] = i.ANCHOR_STREAM_BATCH_TYPEHASH.selector;
        own[2] = i.isDeviceAuthorized.selector;
        own[3] = i.setDeviceAuthorization.selector;
        own[4] = i.setDeviceAuthorizationBySig.selector;
        own[5] = i.anchorStreamBatch.selector;
        own[6] = i.anchorStreamBatchBySig.selector;
        own[7] = i.batchOf.selector;
        own[8] = i.batchIdOf.selector;
        own[9] = i.verifySegment.selector;
        own[10] = i.segmentLeaf.selector;
        _checkContract("StreamAnchors", address(i), type(IStreamAnchors).interfaceId, own);
    }

    function test_diseaseReports_isItsInterface() public view {
        IDiseaseReports i = reports;
        bytes4[] memory own = new bytes4[](8);
        own[0] = i.SUBMIT_REPORT_TYPEHASH.selector;
        own[1] = i.identities.selector;
        own[2] = i.roundCount.selector;
        own[3] = i.openRound.selector;
        own[4] = i.submitReport.selector;
        own[5] = i.submitReportBySig.selector;
        own[6] = i.hasReported.selector;
        own[7] = i.roundOf.selector;
        _checkContract("DiseaseReports", address(i), type(IDiseaseReports).interfaceId, own);
    }

    /// The dispatcher scan must find every function of a contract whose functions are known, or the checks above
    /// prove nothing.
    function test_dispatchedSelectors_findsEveryFunctionOfAKnownContract() public {
        bytes4[] memory found = _dispatchedSelectors(address(new SelectorProbe()).code);
        bytes4[] memory expected = new bytes4[](3);
        expected[0] = SelectorProbe.one.selector;
        expected[1] = SelectorProbe.two.selector;
        expected[2] = SelectorProbe.three.selector;
        assertEq(found.length, expected.length, "probe: function count");
        for (uint256 k; k < expected.length; ++k) {
            assertTrue(_contains(found, expected[k]), string.concat("probe: missed ", _hex(expected[k])));
        }
    }

    /// Selectors with leading zero bytes are pushed with fewer bytes; tags of small contracts with one byte.
    function test_dispatchedSelectors_readsShortPushes() public pure {
        // DUP1 PUSH4 0x0badf00d EQ PUSH1 0x3e JUMPI, DUP1 PUSH3 0xc0ffee EQ PUSH2 0x0040 JUMPI
        bytes memory code = hex"5f3560e01c80630badf00d14603e578062c0ffee1461004057";
        bytes4[] memory found = _dispatchedSelectors(code);
        assertEq(found.length, 2, "two selectors");
        assertEq(bytes32(found[0]), bytes32(bytes4(0x0badf00d)), "first");
        assertEq(bytes32(found[1]), bytes32(bytes4(0x00c0ffee)), "second");
    }

    // ---------------------------------------------------------------- helpers

    function _checkContract(string memory name, address target, bytes4 interfaceId, bytes4[] memory own)
        internal
        view
    {
        assertEq(bytes32(_xor(own)), bytes32(interfaceId), string.concat(name, ": selector list != interface id"));
        bytes4[] memory relayed = _relayedSelectors();
        assertEq(
            bytes32(_xor(relayed)),
            bytes32(type(IEIP712Relayed).interfaceId),
            "IEIP712Relayed: selector list != interface id"
        );
        bytes4[] memory declared = _concat(own, relayed);
        _checkUnique(name, declared);
        bytes4[] memory dispatched = _dispatchedSelectors(target.code);
        for (uint256 k; k < dispatched.length; ++k) {
            assertTrue(
                _contains(declared, dispatched[k]),
                string.concat(name, ": function ", _hex(dispatched[k]), " is not declared in its interface")
            );
        }
        for (uint256 k; k < declared.length; ++k) {
            assertTrue(
                _contains(dispatched, declared[k]),
                string.concat(name, ": declared function ", _hex(declared[k]), " is not dispatched")
            );
        }
        assertEq(dispatched.length, declared.length, string.concat(name, ": function count"));
    }

    function _relayedSelectors() internal pure returns (bytes4[] memory s) {
        s = new bytes4[](7);
        s[0] = IEIP712Relayed.MAX_NONCE_JUMP.selector;
        s[1] = IEIP712Relayed.INVALIDATE_NONCES_TYPEHASH.selector;
        s[2] = IEIP712Relayed.DOMAIN_SEPARATOR.selector;
        s[3] = IEIP712Relayed.eip712Domain.selector;
        s[4] = IEIP712Relayed.nonces.selector;
        s[5] = IEIP712Relayed.invalidateNonces.selector;
        s[6] = IEIP712Relayed.invalidateNoncesBySig.selector;
    }

    /// @dev The selectors a contract's dispatcher compares the call's selector with: every
    /// `DUP1 PUSHn selector EQ PUSHm tag JUMPI` (n ≤ 4: the optimizer shortens a selector with leading zero bytes;
    /// m ≤ 3: small contracts jump with one-byte tags).
    function _dispatchedSelectors(bytes memory code) internal pure returns (bytes4[] memory found) {
        found = new bytes4[](code.length / 9 + 1);
        uint256 count;
        uint256 i;
        while (i < code.length) {
            uint8 op = uint8(code[i]);
            if (op >= 0x60 && op <= 0x63 && i > 0 && uint8(code[i - 1]) == 0x80) {
                uint256 size = op - 0x5f;
                uint256 eq = i + 1 + size;
                if (eq + 2 < code.length && uint8(code[eq]) == 0x14) {
                    uint8 tagPush = uint8(code[eq + 1]);
                    uint256 jumpi = eq + 2 + (tagPush - 0x5f);
                    if (tagPush >= 0x60 && tagPush <= 0x62 && jumpi < code.length && uint8(code[jumpi]) == 0x57) {
                        uint256 value;
                        for (uint256 k; k < size; ++k) {
                            value = (value << 8) | uint8(code[i + 1 + k]);
                        }
                        found[count++] = bytes4(uint32(value));
                    }
                }
            }
            // Skip the immediate bytes of PUSH1..PUSH32.
            i += op >= 0x60 && op <= 0x7f ? op - 0x5e : 1;
        }
        assembly ("memory-safe") {
            mstore(found, count)
        }
    }

    function _xor(bytes4[] memory s) internal pure returns (bytes4 x) {
        for (uint256 k; k < s.length; ++k) {
            x ^= s[k];
        }
    }

    function _concat(bytes4[] memory a, bytes4[] memory b) internal pure returns (bytes4[] memory c) {
        c = new bytes4[](a.length + b.length);
        for (uint256 k; k < a.length; ++k) {
            c[k] = a[k];
        }
        for (uint256 k; k < b.length; ++k) {
            c[a.length + k] = b[k];
        }
    }

    function _contains(bytes4[] memory s, bytes4 x) internal pure returns (bool) {
        for (uint256 k; k < s.length; ++k) {
            if (s[k] == x) return true;
        }
        return false;
    }

    function _checkUnique(string memory name, bytes4[] memory s) internal pure {
        for (uint256 k; k < s.length; ++k) {
            for (uint256 m = k + 1; m < s.length; ++m) {
                assertTrue(s[k] != s[m], string.concat(name, ": selector listed twice: ", _hex(s[k])));
            }
        }
    }

    function _hex(bytes4 selector) internal pure returns (string memory) {
        bytes memory digits = "0123456789abcdef";
        bytes memory out = new bytes(10);
        out[0] = "0";
        out[1] = "x";
        for (uint256 k; k < 4; ++k) {
            out[2 + 2 * k] = digits[uint8(selector[k]) >> 4];
            out[3 + 2 * k] = digits[uint8(selector[k]) & 0x0f];
        }
        return string(out);
    }
}

/// @notice A contract with three known functions, to check the dispatcher scan against.
contract SelectorProbe {
    uint256 private _value;

    function one() external view returns (uint256) {
        return _value;
    }

    function two(uint256 value) external {
        _value = value;
    }

    function three(address account) external view returns (bool) {
        return account == address(this) && _value != 0;
    }
}
