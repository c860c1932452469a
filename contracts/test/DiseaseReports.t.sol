// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IDiseaseReports} from "../src/interfaces/IDiseaseReports.sol";
import {IEIP712Relayed} from "../src/interfaces/IEIP712Relayed.sol";
import {Fixture} from "./utils/Fixture.sol";

contract DiseaseReportsTest is Fixture {
    bytes32 internal constant SCHEMA = keccak256("rr-v1");

    function setUp() public override {
        super.setUp();
        vm.prank(patient);
        identity.register(ENCRYPTION_KEY); // only registered patients report
    }

    function _open() internal returns (uint64) {
        vm.prank(stranger);
        return reports.openRound(SCHEMA, uint64(START + 1 days));
    }

    function test_openRound() public {
        vm.expectEmit(address(reports));
        emit IDiseaseReports.RoundOpened(1, stranger, SCHEMA, uint64(START + 1 days));
        assertEq(_open(), 1, "first round id");
        assertEq(_open(), 2, "second round id");
        IDiseaseReports.Round memory round = reports.roundOf(1);
        assertEq(round.opener, stranger, "opener");
        assertEq(round.schemaHash, SCHEMA, "schema");
        assertEq(reports.roundCount(), 2, "count");
    }

    function test_openRound_revertsOnPastClose() public {
        vm.expectRevert(abi.encodeWithSelector(IDiseaseReports.InvalidClosingTime.selector, uint64(START)));
        reports.openRound(SCHEMA, uint64(START));
    }

    function test_submitReport_oncePerPatient() public {
        uint64 roundId = _open();
        vm.expectEmit(address(reports));
        emit IDiseaseReports.ReportSubmitted(roundId, patient, hex"0102");
        vm.prank(patient);
        reports.submitReport(roundId, hex"0102");
        assertTrue(reports.hasReported(roundId, patient), "reported");
        assertFalse(reports.hasReported(roundId, doctor), "others not");
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IDiseaseReports.ReportAlreadySubmitted.selector, roundId, patient));
        reports.submitReport(roundId, hex"03");
    }

    function test_submitReport_revertsWhenRoundNotOpen() public {
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IDiseaseReports.RoundNotOpen.selector, uint64(7)));
        reports.submitReport(7, hex"01");
        uint64 roundId = _open();
        vm.warp(START + 1 days);
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IDiseaseReports.RoundNotOpen.selector, roundId));
        reports.submitReport(roundId, hex"01");
    }

    function test_submitReportBySig() public {
        uint64 roundId = _open();
        bytes memory report = hex"beef";
        bytes memory sig = _sign(
            patientKey,
            reports,
            keccak256(abi.encode(reports.SUBMIT_REPORT_TYPEHASH(), roundId, patient, keccak256(report), 0, START + 60))
        );
        vm.expectEmit(address(reports));
        emit IDiseaseReports.ReportSubmitted(roundId, patient, report);
        vm.prank(relayer);
        reports.submitReportBySig(roundId, patient, report, START + 60, sig);
        assertTrue(reports.hasReported(roundId, patient), "reported");
        vm.expectRevert(IEIP712Relayed.InvalidSignature.selector);
        reports.submitReportBySig(roundId, patient, report, START + 60, sig);
    }
}
