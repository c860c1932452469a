// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IBatchErrors} from "../src/interfaces/ISharedErrors.sol";
import {IStreamAnchors} from "../src/interfaces/IStreamAnchors.sol";
import {EIP712Relayed} from "../src/utils/EIP712Relayed.sol";
import {Fixture} from "./utils/Fixture.sol";

contract StreamAnchorsTest is Fixture {
    address internal device = address(0xDE71CE);

    function _leaf(bytes memory cid) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(bytes1(0x00), cid));
    }

    function _node(bytes32 a, bytes32 b) internal pure returns (bytes32) {
        return a < b ? keccak256(abi.encodePacked(bytes1(0x01), a, b)) : keccak256(abi.encodePacked(bytes1(0x01), b, a));
    }

    /// Three leaves: root = node(node(l0, l1), l2) (the odd last node is carried up).
    function _tree() internal pure returns (bytes32 root, bytes32 l0, bytes32 l1, bytes32 l2) {
        l0 = _leaf("seg-0");
        l1 = _leaf("seg-1");
        l2 = _leaf("seg-2");
        root = _node(_node(l0, l1), l2);
    }

    function test_anchorStreamBatch_byPatientAndVerify() public {
        (bytes32 root, bytes32 l0, bytes32 l1, bytes32 l2) = _tree();
        bytes32 batchId = streams.batchIdOf(patient, root);
        vm.expectEmit(address(streams));
        emit IStreamAnchors.StreamBatchAnchored(batchId, patient, patient, root, 3);
        vm.prank(patient);
        assertEq(streams.anchorStreamBatch(patient, root, 3), batchId, "id");
        IStreamAnchors.Batch memory batch = streams.batchOf(batchId);
        assertEq(batch.patient, patient, "patient");
        assertEq(batch.segmentCount, 3, "count");

        bytes32[] memory proof = new bytes32[](2);
        proof[0] = l1;
        proof[1] = l2;
        assertTrue(streams.verifySegment(patient, root, "seg-0", proof), "seg-0 included");
        proof[0] = l0;
        assertTrue(streams.verifySegment(patient, root, "seg-1", proof), "seg-1 included");
        assertFalse(streams.verifySegment(patient, root, "seg-9", proof), "foreign segment");
        bytes32[] memory short = new bytes32[](1);
        short[0] = _node(l0, l1);
        assertTrue(streams.verifySegment(patient, root, "seg-2", short), "odd leaf carried up");
        assertFalse(streams.verifySegment(stranger, root, "seg-2", short), "not anchored for stranger");
        assertEq(streams.segmentLeaf("seg-0"), l0, "leaf");
    }

    function test_innerNodeNeverPassesAsLeaf() public {
        (bytes32 root, bytes32 l0, bytes32 l1, bytes32 l2) = _tree();
        vm.prank(patient);
        streams.anchorStreamBatch(patient, root, 3);
        bytes32[] memory proof = new bytes32[](1);
        proof[0] = l2;
        assertFalse(streams.verifySegment(patient, root, abi.encodePacked(l0 < l1 ? l0 : l1, l0 < l1 ? l1 : l0), proof), "2nd preimage");
    }

    function test_anchorStreamBatch_byAuthorizedDevice() public {
        vm.expectEmit(address(streams));
        emit IStreamAnchors.DeviceAuthorizationChanged(patient, device, patient, true);
        vm.prank(patient);
        streams.setDeviceAuthorization(device, true);
        assertTrue(streams.isDeviceAuthorized(patient, device), "authorized");
        vm.prank(device);
        streams.anchorStreamBatch(patient, keccak256("r"), 10);
        vm.prank(patient);
        streams.setDeviceAuthorization(device, false);
        vm.prank(device);
        vm.expectRevert(abi.encodeWithSelector(IStreamAnchors.NotAuthorizedDevice.selector, patient, device));
        streams.anchorStreamBatch(patient, keccak256("r2"), 10);
    }

    function test_anchorStreamBatch_revertsForStranger() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IStreamAnchors.NotAuthorizedDevice.selector, patient, stranger));
        streams.anchorStreamBatch(patient, keccak256("r"), 1);
    }

    function test_anchorStreamBatch_revertsOnEmptyBatchOrRoot() public {
        vm.startPrank(patient);
        vm.expectRevert(IBatchErrors.EmptyBatch.selector);
        streams.anchorStreamBatch(patient, keccak256("r"), 0);
        vm.expectRevert(IStreamAnchors.InvalidRoot.selector);
        streams.anchorStreamBatch(patient, bytes32(0), 1);
        vm.stopPrank();
    }

    function test_anchorStreamBatch_revertsWhenAnchored() public {
        vm.startPrank(patient);
        bytes32 batchId = streams.anchorStreamBatch(patient, keccak256("r"), 1);
        vm.expectRevert(abi.encodeWithSelector(IStreamAnchors.BatchAlreadyAnchored.selector, batchId));
        streams.anchorStreamBatch(patient, keccak256("r"), 1);
        vm.stopPrank();
    }

    function test_anchorStreamBatchBySig() public {
        bytes32 root = keccak256("r");
        bytes memory sig = _sign(
            patientKey,
            streams,
            keccak256(abi.encode(streams.ANCHOR_STREAM_BATCH_TYPEHASH(), patient, root, uint32(5), 0, START + 60))
        );
        vm.prank(relayer);
        streams.anchorStreamBatchBySig(patient, root, 5, START + 60, sig);
        assertEq(streams.batchOf(streams.batchIdOf(patient, root)).patient, patient, "anchored");
    }

    function test_setDeviceAuthorizationBySig() public {
        bytes memory sig = _sign(
            patientKey,
            streams,
            keccak256(abi.encode(streams.AUTHORIZE_DEVICE_TYPEHASH(), patient, device, true, 0, START + 60))
        );
        vm.prank(relayer);
        streams.setDeviceAuthorizationBySig(patient, device, true, START + 60, sig);
        assertTrue(streams.isDeviceAuthorized(patient, device), "authorized");
    }

    function test_fuzz_proofOfEveryLeaf(bytes32 seed, uint8 size) public {
        uint256 n = bound(size, 1, 24);
        bytes32[] memory level = new bytes32[](n);
        for (uint256 i; i < n; ++i) level[i] = _leaf(abi.encode(seed, i));
        // Build every level, then a proof for a leaf chosen by the seed.
        uint256 target = uint256(seed) % n;
        bytes32[] memory proof = new bytes32[](8);
        uint256 depth;
        uint256 index = target;
        while (level.length > 1) {
            uint256 parents = (level.length + 1) / 2;
            bytes32[] memory next = new bytes32[](parents);
            for (uint256 i; i < parents; ++i) {
                next[i] = 2 * i + 1 < level.length ? _node(level[2 * i], level[2 * i + 1]) : level[2 * i];
            }
            uint256 sibling = index ^ 1;
            if (sibling < level.length) proof[depth++] = level[sibling];
            index /= 2;
            level = next;
        }
        bytes32[] memory exact = new bytes32[](depth);
        for (uint256 i; i < depth; ++i) exact[i] = proof[i];
        vm.prank(patient);
        streams.anchorStreamBatch(patient, level[0], uint32(n));
        assertTrue(streams.verifySegment(patient, level[0], abi.encode(seed, target), exact), "included");
        assertFalse(streams.verifySegment(patient, level[0], abi.encode(seed, n), exact), "not included");
    }
}
