// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IEIP712Relayed} from "./IEIP712Relayed.sol";
import {IIdentityRegistry} from "./IIdentityRegistry.sol";

/// @title IDiseaseReports
/// @notice Rounds of anonymous-statistics reports: anyone opens a round for a report schema with a closing time; each
/// patient registered in the IdentityRegistry submits at most one opaque report per round (directly or through a
/// relayer with its EIP-712 signature); unregistered addresses are refused, so a round cannot be stuffed with fresh
/// throwaway addresses. The report bytes are whatever the statistics protocol defines (e.g. a randomized-response
/// vector).
interface IDiseaseReports is IEIP712Relayed {
    /// @notice A reporting round. Round ids start at 1.
    struct Round {
        /// Who opened the round (zero: no such round).
        address opener;
        /// When the round stops accepting reports (Unix seconds).
        uint64 closesAt;
        /// The hash of the report schema the round accepts.
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

    /// @notice The EIP-712 type hash of a relayed report:
    /// `SubmitReport(uint64 roundId,address patient,bytes report,uint256 nonce,uint256 deadline)`.
    /// @return The type hash.
    function SUBMIT_REPORT_TYPEHASH() external view returns (bytes32);

    /// @notice The registry whose registered accounts may report.
    /// @return The identity registry.
    function identities() external view returns (IIdentityRegistry);

    /// @notice The id of the latest round (0: none yet).
    /// @return The latest round id.
    function roundCount() external view returns (uint64);

    /// @notice Opens a round for reports following `schemaHash`, accepting reports before `closesAt`.
    /// @param schemaHash The hash of the report schema the round accepts.
    /// @param closesAt When the round stops accepting reports (Unix seconds, in the future).
    /// @return roundId The new round's id.
    function openRound(bytes32 schemaHash, uint64 closesAt) external returns (uint64 roundId);

    /// @notice The caller, a registered account, submits its report to round `roundId`.
    /// @param roundId An open round.
    /// @param report The opaque report bytes.
    function submitReport(uint64 roundId, bytes calldata report) external;

    /// @notice Submits `patient`'s report with the patient's EIP-712 signature; anyone may submit it.
    /// @param roundId An open round.
    /// @param patient The registered patient who reports.
    /// @param report The opaque report bytes.
    /// @param deadline The last second the signature may be relayed (Unix seconds).
    /// @param signature The patient's EIP-712 signature of `SubmitReport` (over `keccak256(report)`).
    function submitReportBySig(
        uint64 roundId,
        address patient,
        bytes calldata report,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice Whether `patient` already reported in round `roundId`.
    /// @param roundId The round.
    /// @param patient The patient.
    /// @return Whether the patient's report is in.
    function hasReported(uint64 roundId, address patient) external view returns (bool);

    /// @notice Round `roundId` (all zero when unknown).
    /// @param roundId The round.
    /// @return The round.
    function roundOf(uint64 roundId) external view returns (Round memory);
}
