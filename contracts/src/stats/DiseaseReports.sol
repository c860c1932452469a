// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IDiseaseReports} from "../interfaces/IDiseaseReports.sol";
import {IIdentityRegistry} from "../interfaces/IIdentityRegistry.sol";
import {EIP712Relayed} from "../utils/EIP712Relayed.sol";

/// @title DiseaseReports
/// @notice Rounds of anonymous-statistics reports: anyone opens a round for a report schema with a closing time;
/// each patient registered in the IdentityRegistry submits at most one opaque report per round (directly or through a
/// relayer with its EIP-712 signature); unregistered addresses are refused, so a round cannot be stuffed with fresh
/// throwaway addresses. The report bytes are whatever the statistics protocol defines (e.g. a randomized-response
/// vector).
contract DiseaseReports is IDiseaseReports, EIP712Relayed {
    /// @inheritdoc IDiseaseReports
    bytes32 public constant SUBMIT_REPORT_TYPEHASH =
        keccak256("SubmitReport(uint64 roundId,address patient,bytes report,uint256 nonce,uint256 deadline)");

    /// @inheritdoc IDiseaseReports
    IIdentityRegistry public immutable identities;
    /// @inheritdoc IDiseaseReports
    uint64 public roundCount;
    mapping(uint64 roundId => Round) private _rounds;
    mapping(uint64 roundId => mapping(address patient => bool)) private _reported;

    constructor(IIdentityRegistry identities_) EIP712Relayed("MHR Chain DiseaseReports", "1") {
        identities = identities_;
    }

    /// @inheritdoc IDiseaseReports
    function openRound(bytes32 schemaHash, uint64 closesAt) external returns (uint64 roundId) {
        if (closesAt <= block.timestamp) revert InvalidClosingTime(closesAt);
        roundId = ++roundCount;
        _rounds[roundId] = Round({opener: msg.sender, closesAt: closesAt, schemaHash: schemaHash});
        emit RoundOpened(roundId, msg.sender, schemaHash, closesAt);
    }

    /// @inheritdoc IDiseaseReports
    function submitReport(uint64 roundId, bytes calldata report) external {
        _submit(roundId, msg.sender, report);
    }

    /// @inheritdoc IDiseaseReports
    function submitReportBySig(
        uint64 roundId,
        address patient,
        bytes calldata report,
        uint256 deadline,
        bytes calldata signature
    ) external {
        bytes32 structHash = keccak256(
            abi.encode(SUBMIT_REPORT_TYPEHASH, roundId, patient, keccak256(report), _useNonce(patient), deadline)
        );
        _checkSignature(patient, structHash, deadline, signature);
        _submit(roundId, patient, report);
    }

    /// @inheritdoc IDiseaseReports
    function hasReported(uint64 roundId, address patient) external view returns (bool) {
        return _reported[roundId][patient];
    }

    /// @inheritdoc IDiseaseReports
    function roundOf(uint64 roundId) external view returns (Round memory) {
        return _rounds[roundId];
    }

    function _submit(uint64 roundId, address patient, bytes calldata report) private {
        Round storage round = _rounds[roundId];
        if (round.opener == address(0) || block.timestamp >= round.closesAt) revert RoundNotOpen(roundId);
        if (_reported[roundId][patient]) revert ReportAlreadySubmitted(roundId, patient);
        if (!identities.isRegistered(patient)) revert UnregisteredReporter(patient);
        _reported[roundId][patient] = true;
        emit ReportSubmitted(roundId, patient, report);
    }
}
