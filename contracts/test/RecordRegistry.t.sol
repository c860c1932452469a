// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IEIP712Relayed} from "../src/interfaces/IEIP712Relayed.sol";
import {IRecordRegistry} from "../src/interfaces/IRecordRegistry.sol";
import {IBatchErrors, IRecordOwnerErrors} from "../src/interfaces/ISharedErrors.sol";
import {Fixture} from "./utils/Fixture.sol";

contract RecordRegistryTest is Fixture {
    bytes internal constant CID = hex"01551220aabbccddeeff00112233445566778899aabbccddeeff00112233445566778899";
    bytes internal constant CID2 = hex"01551220ffffccddeeff00112233445566778899aabbccddeeff00112233445566778899";

    function test_anchorRecord_storesHeadAndEmits() public {
        bytes32 expected = records.recordIdOf(patient, CID);
        vm.expectEmit(address(records));
        emit IRecordRegistry.RecordAnchored(expected, patient, patient, ECG, CID);
        bytes32 recordId = _anchor(patient, CID, ECG);
        assertEq(recordId, expected, "id");
        IRecordRegistry.Record memory record = records.recordOf(recordId);
        assertEq(record.patient, patient, "patient");
        assertEq(record.category, ECG, "category");
        assertEq(record.version, 0, "version");
        assertEq(record.updatedAt, START, "updatedAt");
    }

    function test_anchorRecord_revertsOnEmptyCid() public {
        vm.prank(patient);
        vm.expectRevert(IRecordRegistry.EmptyCid.selector);
        records.anchorRecord("", ECG);
    }

    function test_anchorRecord_revertsWhenAlreadyAnchored() public {
        bytes32 recordId = _anchor(patient, CID, ECG);
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.RecordAlreadyAnchored.selector, recordId));
        records.anchorRecord(CID, LAB);
    }

    function test_anchorRecord_sameCidOtherPatientIsAnotherRecord() public {
        bytes32 mine = _anchor(patient, CID, ECG);
        bytes32 theirs = _anchor(stranger, CID, ECG);
        assertTrue(mine != theirs, "ids differ: nobody can squat a patient's record id");
    }

    function test_anchorRecordBySig() public {
        uint256 deadline = START + 1 hours;
        bytes memory sig = _sign(
            patientKey,
            records,
            keccak256(abi.encode(records.ANCHOR_RECORD_TYPEHASH(), patient, keccak256(CID), ECG, 0, deadline))
        );
        vm.expectEmit(address(records));
        emit IRecordRegistry.RecordAnchored(records.recordIdOf(patient, CID), patient, relayer, ECG, CID);
        vm.prank(relayer);
        bytes32 recordId = records.anchorRecordBySig(patient, CID, ECG, deadline, sig);
        assertEq(records.recordOf(recordId).patient, patient, "owner is the signer, not the relayer");
    }

    function test_anchorRecordBySig_revertsOnTamperedCategory() public {
        uint256 deadline = START + 1 hours;
        bytes memory sig = _sign(
            patientKey,
            records,
            keccak256(abi.encode(records.ANCHOR_RECORD_TYPEHASH(), patient, keccak256(CID), ECG, 0, deadline))
        );
        vm.expectRevert(IEIP712Relayed.InvalidSignature.selector);
        records.anchorRecordBySig(patient, CID, LAB, deadline, sig);
    }

    function test_supersedeRecord_bumpsVersionKeepsId() public {
        bytes32 recordId = _anchor(patient, CID, ECG);
        vm.warp(START + 100);
        vm.expectEmit(address(records));
        emit IRecordRegistry.RecordSuperseded(recordId, patient, patient, 1, CID2);
        vm.prank(patient);
        uint32 version = records.supersedeRecord(recordId, CID2);
        assertEq(version, 1, "version");
        IRecordRegistry.Record memory record = records.recordOf(recordId);
        assertEq(record.version, 1, "stored version");
        assertEq(record.updatedAt, START + 100, "updatedAt");
        assertEq(record.category, ECG, "category kept");
    }

    function test_supersedeRecord_revertsForUnknownRecord() public {
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.RecordNotFound.selector, bytes32(uint256(1))));
        records.supersedeRecord(bytes32(uint256(1)), CID2);
    }

    function test_supersedeRecord_revertsForNonOwner() public {
        bytes32 recordId = _anchor(patient, CID, ECG);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IRecordOwnerErrors.NotRecordOwner.selector, recordId, stranger));
        records.supersedeRecord(recordId, CID2);
    }

    function test_supersedeRecord_revertsOnEmptyCid() public {
        bytes32 recordId = _anchor(patient, CID, ECG);
        vm.prank(patient);
        vm.expectRevert(IRecordRegistry.EmptyCid.selector);
        records.supersedeRecord(recordId, "");
    }

    function test_supersedeRecordBySig() public {
        bytes32 recordId = _anchor(patient, CID, ECG);
        uint256 deadline = START + 1 hours;
        bytes memory sig = _sign(
            patientKey,
            records,
            keccak256(
                abi.encode(records.SUPERSEDE_RECORD_TYPEHASH(), patient, recordId, keccak256(CID2), 0, deadline)
            )
        );
        vm.prank(relayer);
        assertEq(records.supersedeRecordBySig(patient, recordId, CID2, deadline, sig), 1, "version");
    }

    function test_supersedeRecords_allInOneTransaction() public {
        bytes32 first = _anchor(patient, CID, ECG);
        bytes32 second = _anchor(patient, CID2, LAB);
        vm.prank(patient);
        records.supersedeRecord(second, CID);
        bytes32[] memory ids = new bytes32[](2);
        (ids[0], ids[1]) = (first, second);
        bytes[] memory cids = new bytes[](2);
        (cids[0], cids[1]) = (hex"0155", hex"0156");
        vm.expectEmit(address(records));
        emit IRecordRegistry.RecordSuperseded(first, patient, patient, 1, cids[0]);
        vm.expectEmit(address(records));
        emit IRecordRegistry.RecordSuperseded(second, patient, patient, 2, cids[1]);
        vm.prank(patient);
        uint32[] memory versions = records.supersedeRecords(ids, cids);
        assertEq(versions.length, 2, "count");
        assertEq(versions[0], 1, "first version");
        assertEq(versions[1], 2, "second version");
        assertEq(records.recordOf(second).version, 2, "stored");
    }

    function test_supersedeRecords_allOrNone() public {
        bytes32 own = _anchor(patient, CID, ECG);
        bytes32 foreign = _anchor(stranger, CID2, ECG);
        bytes32[] memory ids = new bytes32[](2);
        (ids[0], ids[1]) = (own, foreign);
        bytes[] memory cids = new bytes[](2);
        (cids[0], cids[1]) = (CID2, CID);
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IRecordOwnerErrors.NotRecordOwner.selector, foreign, patient));
        records.supersedeRecords(ids, cids);
        assertEq(records.recordOf(own).version, 0, "the valid one was not written either");

        (cids[0], cids[1]) = (CID2, "");
        ids[1] = own;
        vm.prank(patient);
        vm.expectRevert(IRecordRegistry.EmptyCid.selector);
        records.supersedeRecords(ids, cids);
        assertEq(records.recordOf(own).version, 0, "unchanged after an empty CID");
    }

    function test_supersedeRecords_revertsOnBadShape() public {
        bytes32[] memory ids = new bytes32[](1);
        ids[0] = _anchor(patient, CID, ECG);
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.BatchLengthMismatch.selector, 1, 0));
        records.supersedeRecords(ids, new bytes[](0));
        vm.prank(patient);
        vm.expectRevert(IBatchErrors.EmptyBatch.selector);
        records.supersedeRecords(new bytes32[](0), new bytes[](0));
    }

    function _batchStructHash(bytes32[] memory ids, bytes[] memory cids, uint256 nonce, uint256 deadline)
        internal
        view
        returns (bytes32)
    {
        bytes32[] memory cidHashes = new bytes32[](cids.length);
        for (uint256 i; i < cids.length; ++i) {
            cidHashes[i] = keccak256(cids[i]);
        }
        return keccak256(
            abi.encode(
                records.SUPERSEDE_RECORDS_TYPEHASH(),
                patient,
                keccak256(abi.encodePacked(ids)),
                keccak256(abi.encodePacked(cidHashes)),
                nonce,
                deadline
            )
        );
    }

    function test_supersedeRecordsBySig_oneSignatureForTheBatch() public {
        bytes32[] memory ids = new bytes32[](2);
        (ids[0], ids[1]) = (_anchor(patient, CID, ECG), _anchor(patient, CID2, ECG));
        bytes[] memory cids = new bytes[](2);
        (cids[0], cids[1]) = (hex"0155", hex"0156");
        uint256 deadline = START + 1 hours;
        bytes memory sig = _sign(patientKey, records, _batchStructHash(ids, cids, 0, deadline));

        // a relayer cannot swap the CIDs or drop a record from what the patient signed
        (bytes memory a, bytes memory b) = (cids[0], cids[1]);
        (cids[0], cids[1]) = (b, a);
        vm.prank(relayer);
        vm.expectRevert(IEIP712Relayed.InvalidSignature.selector);
        records.supersedeRecordsBySig(patient, ids, cids, deadline, sig);
        (cids[0], cids[1]) = (a, b);

        vm.prank(relayer);
        uint32[] memory versions = records.supersedeRecordsBySig(patient, ids, cids, deadline, sig);
        assertEq(versions[1], 1, "version");
        assertEq(records.nonces(patient), 1, "one nonce for the batch");
        vm.prank(relayer);
        vm.expectRevert(IEIP712Relayed.InvalidSignature.selector); // replay: the nonce moved on
        records.supersedeRecordsBySig(patient, ids, cids, deadline, sig);
    }

    function _ids(bytes32 a) internal pure returns (bytes32[] memory ids) {
        ids = new bytes32[](1);
        ids[0] = a;
    }

    function test_eraseRecords_marksErasedAndEmits() public {
        bytes32 recordId = _anchor(patient, CID, ECG);
        vm.warp(START + 100);
        vm.expectEmit(address(records));
        emit IRecordRegistry.RecordErased(recordId, patient, patient);
        vm.prank(patient);
        records.eraseRecords(_ids(recordId));
        IRecordRegistry.Record memory record = records.recordOf(recordId);
        assertTrue(record.erased, "erased");
        assertEq(record.patient, patient, "the owner stays: the id cannot be anchored again by anyone");
        assertEq(record.updatedAt, START + 100, "erasure time");
    }

    function test_eraseRecords_refusesStrangersUnknownEmptyAndTwice() public {
        bytes32 recordId = _anchor(patient, CID, ECG);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IRecordOwnerErrors.NotRecordOwner.selector, recordId, stranger));
        records.eraseRecords(_ids(recordId));
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.RecordNotFound.selector, bytes32(uint256(7))));
        records.eraseRecords(_ids(bytes32(uint256(7))));
        vm.prank(patient);
        vm.expectRevert(IBatchErrors.EmptyBatch.selector);
        records.eraseRecords(new bytes32[](0));
        vm.prank(patient);
        records.eraseRecords(_ids(recordId));
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.RecordIsErased.selector, recordId));
        records.eraseRecords(_ids(recordId));
    }

    function test_eraseRecords_allOrNone() public {
        bytes32[] memory ids = new bytes32[](2);
        (ids[0], ids[1]) = (_anchor(patient, CID, ECG), _anchor(stranger, CID2, ECG));
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IRecordOwnerErrors.NotRecordOwner.selector, ids[1], patient));
        records.eraseRecords(ids);
        assertFalse(records.recordOf(ids[0]).erased, "the first record of a refused batch stays");
    }

    function test_erasedRecord_takesNoNewVersionAndIsNotAnchoredAgain() public {
        bytes32 recordId = _anchor(patient, CID, ECG);
        vm.prank(patient);
        records.eraseRecords(_ids(recordId));
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.RecordIsErased.selector, recordId));
        records.supersedeRecord(recordId, CID2);
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.RecordAlreadyAnchored.selector, recordId));
        records.anchorRecord(CID, ECG);
    }

    function test_erasedRecord_endsEveryAccess() public {
        bytes32 recordId = _anchor(patient, CID, ECG);
        _grant(_records(recordId), 1 days);
        assertTrue(consent.grantCovers(patient, doctor, recordId), "granted before");
        bytes32 other = _anchor(patient, CID2, ECG);
        vm.prank(patient);
        consent.grantAccess(colleague, _all(), uint40(block.timestamp + 1 days));
        vm.prank(patient);
        records.eraseRecords(_ids(recordId));
        assertFalse(consent.grantCovers(patient, doctor, recordId), "listed grant");
        assertFalse(consent.grantCovers(patient, colleague, recordId), "all-records grant");
        assertFalse(delegations.canRead(patient, colleague, recordId), "through the delegation registry");
        assertTrue(consent.grantCovers(patient, colleague, other), "other records stay readable");
    }

    function test_eraseRecordsBySig_bindsTheListAndCannotReplay() public {
        bytes32[] memory ids = new bytes32[](2);
        (ids[0], ids[1]) = (_anchor(patient, CID, ECG), _anchor(patient, CID2, ECG));
        uint256 deadline = START + 1 hours;
        bytes32 structHash = keccak256(
            abi.encode(records.ERASE_RECORDS_TYPEHASH(), patient, keccak256(abi.encodePacked(_ids(ids[0]))), 0, deadline)
        );
        bytes memory sig = _sign(patientKey, records, structHash);
        // a relayer cannot widen the signed list
        vm.prank(relayer);
        vm.expectRevert(IEIP712Relayed.InvalidSignature.selector);
        records.eraseRecordsBySig(patient, ids, deadline, sig);
        vm.expectEmit(address(records));
        emit IRecordRegistry.RecordErased(ids[0], patient, relayer);
        vm.prank(relayer);
        records.eraseRecordsBySig(patient, _ids(ids[0]), deadline, sig);
        assertFalse(records.recordOf(ids[1]).erased, "only what was signed");
        vm.prank(relayer);
        vm.expectRevert(IEIP712Relayed.InvalidSignature.selector);
        records.eraseRecordsBySig(patient, _ids(ids[0]), deadline, sig);
    }

    function test_fuzz_anchorThenSupersede(bytes calldata cid, uint16 category, uint8 versions) public {
        vm.assume(cid.length != 0);
        bytes32 recordId = _anchor(patient, cid, category);
        for (uint256 i = 1; i <= versions % 8; ++i) {
            vm.prank(patient);
            assertEq(records.supersedeRecord(recordId, abi.encode(i)), i, "version");
        }
        assertEq(records.recordOf(recordId).category, category, "category");
    }
}
