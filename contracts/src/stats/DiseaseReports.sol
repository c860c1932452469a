// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IdentityRegistry} from "../identity/IdentityRegistry.sol";
import {EIP712Relayed} from "../utils/EIP712Relayed.sol";

/// @title DiseaseReports
/// @notice Rounds of anonymous-statistics reports: anyone opens a round for a report schema with a closing time;
/// each patient registered in the IdentityRegistry submits at most one opaque report per round (directly or through a
/// relayer with its EIP-712 signature); unregistered addresses are refused, so a round cannot be stuffed with fresh
/// throwaway addresses. The report bytes are whatever the statistics protocol defines (e.g. a randomized-response
/// vector).
contract DiseaseReports is EIP712Relayed {
    /// @notice A reporting round. Round ids start at 1.
    struct Round {
        address opener;
        uint64 closesAt;
        bytes32 schemaHash;
    }

    /// @notice `opener` opened round `roundId` for reports following `schemaHash`, open until `closesAt`.
    /// @param roundId The new round's id.
    /// @param opener Who opened it.
    /// @param schemaHash The hash of the report schema the round accepts.
    /// @param closesAt When the round stops accepting reports (Unix seconds).
    event RoundOpened(uint64 indexed roundId, address indexed opener, bytes32 schemaHash, uint64 closesAt);
    /// @notice `patient` submitted `report` to round `roundId`.
    /// @param roundId The round.
    /// @param patient The registered patient who reported.
    /// @param report The opaque report bytes.
    event ReportSubmitted(uint64 indexed roundId, address indexed patient, bytes report);

    /// @notice `patient` already reported in round `roundId`.
    /// @param roundId The round.
    /// @param patient The patient.
    error ReportAlreadySubmitted(uint64 roundId, address patient);
    /// @notice Round `roundId` does not exist or is closed.
    /// @param roundId The round.
    error RoundNotOpen(uint64 roundId);
    /// @notice The closing time is not in the future.
    /// @param closesAt The rejected closing time (Unix seconds).
    error InvalidClosingTime(uint64 closesAt);
    /// @notice `patient` is not registered in the IdentityRegistry, so its report is refused.
    /// @param patient The unregistered reporter.
    error UnregisteredReporter(address patient);

    bytes32 public constant SUBMIT_REPORT_TYPEHASH =
        keccak256("SubmitReport(uint64 roundId,address patient,bytes report,uint256 nonce,uint256 deadline)");

    /// @notice The registry whose registered accounts may report.
    IdentityRegistry public immutable identities;
    /// @notice The id of the latest round (0: none yet).
    uint64 public roundCount;
    mapping(uint64 roundId => Round) private _rounds;
    mapping(uint64 roundId => mapping(address patient => bool)) private _reported;

    constructor(IdentityRegistry identities_) EIP712Relayed("MHR Chain DiseaseReports", "1") {
        identities = identities_;
    }

    /// @notice Opens a round for reports following `schemaHash`, accepting reports before `closesAt`.
    function openRound(bytes32 schemaHash, uint64 closesAt) external returns (uint64 roundId) {
        if (closesAt <= block.timestamp) revert InvalidClosingTime(closesAt);
        roundId = ++roundCount;
        _rounds[roundId] = Round({opener: msg.sender, closesAt: closesAt, schemaHash: schemaHash});
        emit RoundOpened(roundId, msg.sender, schemaHash, closesAt);
    }

    /// @notice The caller submits its report to round `roundId`.
    function submitReport(uint64 roundId, bytes calldata report) external {
        _submit(roundId, msg.sender, report);
    }

    /// @notice Submits `patient`'s report with the patient's EIP-712 signature; anyone may submit it.
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

    /// @notice Whether `patient` already reported in round `roundId`.
    function hasReported(uint64 roundId, address patient) external view returns (bool) {
        return _reported[roundId][patient];
    }

    /// @notice Round `roundId` (all zero when unknown).
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
