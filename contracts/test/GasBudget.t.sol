// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ConsentManager} from "../src/consent/ConsentManager.sol";
import {DelegationRegistry} from "../src/consent/DelegationRegistry.sol";
import {Scope} from "../src/consent/Scope.sol";
import {IdentityRegistry} from "../src/identity/IdentityRegistry.sol";
import {IDelegationRegistry} from "../src/interfaces/IDelegationRegistry.sol";
import {RecordRegistry} from "../src/records/RecordRegistry.sol";
import {DiseaseReports} from "../src/stats/DiseaseReports.sol";
import {StreamAnchors} from "../src/streams/StreamAnchors.sol";
import {Fixture} from "./utils/Fixture.sol";

/// Gas budgets of the hot paths. Run in forge's isolation mode (`FOUNDRY_PROFILE=gas`), where every top-level call is
/// its own transaction, so storage is cold as on a real chain. Each test sends one call and records two figures in
/// `snapshots/GasBudgetTest.json`: `<name>` the whole transaction's gas, and `<name>:call` that minus the intrinsic
/// 21,000 and calldata gas, i.e. the gas of the contract call itself. The budget applies to the call gas; a test
/// fails, and with it the test command, as soon as a path exceeds it.
contract GasBudgetTest is Fixture {
    uint256 internal constant REGISTER_BUDGET = 70_000;
    uint256 internal constant ANCHOR_RECORD_BUDGET = 50_000;
    uint256 internal constant REQUEST_BUDGET = 60_000;
    uint256 internal constant GRANT_BUDGET = 55_000;
    uint256 internal constant REVOKE_BUDGET = 35_000;
    uint256 internal constant STREAM_BATCH_BUDGET = 60_000;
    uint256 internal constant UNBUDGETED = type(uint256).max;

    bytes internal constant CID = hex"0171122080b0c1d2e3f405162738495a6b7c8d9eafb0c1d2e3f405162738495a6b7c8d9e";

    /// Whether calls run as their own transactions (`isolate = true`, the `gas` profile). Elsewhere the figures would
    /// mix warm and cold storage, so the budget tests skip themselves.
    function _skipUnlessIsolated() internal {
        streams.setDeviceAuthorization(address(0xDEAD), false);
        if (vm.lastCallGas().gasTotalUsed < 21_000) vm.skip(true);
    }

    /// Sends `data` to `target` from `sender` as one transaction and checks its call gas against `budget`.
    function _measure(string memory name, address sender, address target, bytes memory data, uint256 budget)
        internal
        returns (uint256 callGas)
    {
        _skipUnlessIsolated();
        vm.prank(sender);
        (bool ok,) = target.call(data);
        vm.assertTrue(ok, string.concat(name, ": call reverted"));
        uint256 txGas = vm.snapshotGasLastCall(name);
        callGas = txGas - 21_000 - _calldataGas(data);
        vm.snapshotValue(string.concat(name, ":call"), callGas);
        if (budget != UNBUDGETED) vm.assertLe(callGas, budget, string.concat(name, ": gas budget exceeded"));
    }

    function _calldataGas(bytes memory data) internal pure returns (uint256 gas) {
        for (uint256 i; i < data.length; ++i) gas += data[i] == 0 ? 4 : 16;
    }

    function test_gas_register() public {
        _measure(
            "register",
            patient,
            address(identity),
            abi.encodeCall(IdentityRegistry.register, (ENCRYPTION_KEY)),
            REGISTER_BUDGET
        );
    }

    function test_gas_anchorRecord() public {
        _measure(
            "anchorRecord",
            patient,
            address(records),
            abi.encodeCall(RecordRegistry.anchorRecord, (CID, ECG)),
            ANCHOR_RECORD_BUDGET
        );
    }

    function test_gas_supersedeRecord() public {
        bytes32 recordId = _anchor(patient, CID, ECG);
        _measure(
            "supersedeRecord",
            patient,
            address(records),
            abi.encodeCall(RecordRegistry.supersedeRecord, (recordId, CID)),
            UNBUDGETED
        );
    }

    function test_gas_eraseRecords_one() public {
        bytes32[] memory ids = new bytes32[](1);
        ids[0] = _anchor(patient, CID, ECG);
        _measure(
            "eraseRecords(1)", patient, address(records), abi.encodeCall(RecordRegistry.eraseRecords, (ids)), UNBUDGETED
        );
    }

    function test_gas_requestAccess() public {
        _measure(
            "requestAccess",
            doctor,
            address(consent),
            abi.encodeCall(ConsentManager.requestAccess, (patient, _category(ECG), PURPOSE_TREAT, 30 days)),
            REQUEST_BUDGET
        );
    }

    function test_gas_grantAccess_all() public {
        _measure(
            "grantAccess(all)",
            patient,
            address(consent),
            abi.encodeCall(ConsentManager.grantAccess, (doctor, _all(), uint40(START + 30 days))),
            GRANT_BUDGET
        );
    }

    function test_gas_grantAccess_category_answeringRequest() public {
        vm.prank(doctor);
        consent.requestAccess(patient, _category(ECG), PURPOSE_TREAT, 30 days);
        _measure(
            "grantAccess(category, answers request)",
            patient,
            address(consent),
            abi.encodeCall(ConsentManager.grantAccess, (doctor, _category(ECG), uint40(START + 30 days))),
            GRANT_BUDGET
        );
    }

    function test_gas_grantAccess_renewal() public {
        _grant(_all(), 1 days);
        _measure(
            "grantAccess(renewal)",
            patient,
            address(consent),
            abi.encodeCall(ConsentManager.grantAccess, (doctor, _category(ECG), uint40(START + 30 days))),
            GRANT_BUDGET
        );
    }

    /// Listed-record grants pay one storage slot per listed id on top: measured, not budgeted.
    function test_gas_grantAccess_oneListedRecord() public {
        bytes32 recordId = _anchor(patient, CID, ECG);
        _measure(
            "grantAccess(1 listed record)",
            patient,
            address(consent),
            abi.encodeCall(ConsentManager.grantAccess, (doctor, _records(recordId), uint40(START + 30 days))),
            UNBUDGETED
        );
    }

    function test_gas_revokeAccess_first() public {
        _grant(_all(), 1 days);
        _measure(
            "revokeAccess(first: new key-epoch slot)",
            patient,
            address(consent),
            abi.encodeCall(ConsentManager.revokeAccess, (doctor, 1)),
            REVOKE_BUDGET
        );
    }

    function test_gas_revokeAccess_later() public {
        _grant(_all(), 1 days);
        vm.prank(patient);
        consent.revokeAccess(doctor, 1);
        _grant(_all(), 1 days);
        _measure(
            "revokeAccess(later)",
            patient,
            address(consent),
            abi.encodeCall(ConsentManager.revokeAccess, (doctor, 2)),
            REVOKE_BUDGET
        );
    }

    function test_gas_anchorStreamBatch() public {
        _measure(
            "anchorStreamBatch(patient)",
            patient,
            address(streams),
            abi.encodeCall(StreamAnchors.anchorStreamBatch, (patient, keccak256("root"), 1024)),
            STREAM_BATCH_BUDGET
        );
    }

    function test_gas_anchorStreamBatch_device() public {
        address device = address(0xDE71CE);
        vm.prank(patient);
        streams.setDeviceAuthorization(device, true);
        _measure(
            "anchorStreamBatch(device)",
            device,
            address(streams),
            abi.encodeCall(StreamAnchors.anchorStreamBatch, (patient, keccak256("root"), 1024)),
            STREAM_BATCH_BUDGET
        );
    }

    // ------------------------------------------------------------ measured, not budgeted: every other action

    function test_gas_rejectRequest() public {
        vm.prank(doctor);
        consent.requestAccess(patient, _category(ECG), PURPOSE_TREAT, 30 days);
        _measure("rejectRequest", patient, address(consent), abi.encodeCall(ConsentManager.rejectRequest, (doctor, 1)), UNBUDGETED);
    }

    function test_gas_rejectRequestBySig() public {
        vm.prank(doctor);
        consent.requestAccess(patient, _category(ECG), PURPOSE_TREAT, 30 days);
        uint256 deadline = START + 1 hours;
        bytes memory sig = _sign(
            patientKey,
            consent,
            keccak256(abi.encode(consent.REJECT_REQUEST_TYPEHASH(), patient, doctor, uint32(1), uint256(0), deadline))
        );
        _measure(
            "rejectRequestBySig",
            relayer,
            address(consent),
            abi.encodeCall(ConsentManager.rejectRequestBySig, (patient, doctor, 1, deadline, sig)),
            UNBUDGETED
        );
    }

    function test_gas_grantAccessBySig_all() public {
        uint256 deadline = START + 1 hours;
        uint40 expiresAt = uint40(START + 30 days);
        bytes memory sig = _grantSig(doctor, _all(), expiresAt, 0, deadline);
        _measure(
            "grantAccessBySig(all, new pair)",
            relayer,
            address(consent),
            abi.encodeCall(ConsentManager.grantAccessBySig, (patient, doctor, _all(), expiresAt, deadline, sig)),
            UNBUDGETED
        );
    }

    function test_gas_revokeAccessBySig_later() public {
        _grant(_all(), 1 days);
        vm.prank(patient);
        consent.revokeAccess(doctor, 1);
        _grant(_all(), 1 days);
        uint256 deadline = START + 1 hours;
        bytes memory sig = _sign(
            patientKey,
            consent,
            keccak256(abi.encode(consent.REVOKE_ACCESS_TYPEHASH(), patient, doctor, uint32(2), uint256(0), deadline))
        );
        _measure(
            "revokeAccessBySig(later)",
            relayer,
            address(consent),
            abi.encodeCall(ConsentManager.revokeAccessBySig, (patient, doctor, 2, deadline, sig)),
            UNBUDGETED
        );
    }

    function test_gas_requestDelegation() public {
        _grant(_all(), 30 days);
        _measure(
            "requestDelegation(category)",
            doctor,
            address(delegations),
            abi.encodeCall(DelegationRegistry.requestDelegation, (patient, colleague, _category(ECG), uint40(START + 1 days))),
            UNBUDGETED
        );
    }

    function _pendingDelegation() internal {
        _grant(_all(), 30 days);
        vm.prank(doctor);
        delegations.requestDelegation(patient, colleague, _category(ECG), uint40(START + 1 days));
    }

    function test_gas_approveDelegation() public {
        _pendingDelegation();
        bytes32 scopeHash = _scopeHash(_category(ECG));
        uint40 expiresAt = uint40(START + 1 days);
        _measure(
            "approveDelegation",
            patient,
            address(delegations),
            abi.encodeCall(
                DelegationRegistry.approveDelegation,
                (colleague, IDelegationRegistry.DelegationTerms(doctor, 1, scopeHash, expiresAt))
            ),
            UNBUDGETED
        );
    }

    function test_gas_approveDelegationBySig() public {
        _pendingDelegation();
        uint256 deadline = START + 1 hours;
        bytes32 scopeHash = _scopeHash(_category(ECG));
        uint40 expiresAt = uint40(START + 1 days);
        bytes memory sig = _approveDelegationSig(doctor, 1, scopeHash, expiresAt, 0, deadline);
        _measure(
            "approveDelegationBySig",
            relayer,
            address(delegations),
            abi.encodeCall(
                DelegationRegistry.approveDelegationBySig,
                (patient, colleague, IDelegationRegistry.DelegationTerms(doctor, 1, scopeHash, expiresAt), deadline, sig)
            ),
            UNBUDGETED
        );
    }

    function test_gas_rejectDelegation() public {
        _pendingDelegation();
        _measure(
            "rejectDelegation",
            patient,
            address(delegations),
            abi.encodeCall(DelegationRegistry.rejectDelegation, (colleague, 1)),
            UNBUDGETED
        );
    }

    function test_gas_revokeDelegation() public {
        _pendingDelegation();
        _approveDelegation(colleague, _category(ECG));
        _measure(
            "revokeDelegation",
            patient,
            address(delegations),
            abi.encodeCall(DelegationRegistry.revokeDelegation, (patient, colleague, 1)),
            UNBUDGETED
        );
    }

    function test_gas_submitReport() public {
        vm.prank(patient);
        identity.register(ENCRYPTION_KEY);
        uint64 round = reports.openRound(keccak256("schema"), uint64(START + 1 days));
        _measure(
            "submitReport",
            patient,
            address(reports),
            abi.encodeCall(DiseaseReports.submitReport, (round, new bytes(32))),
            UNBUDGETED
        );
    }

    /// The stream budget holds for any batch size: the cost does not depend on it.
    function test_fuzz_gas_anchorStreamBatch_anySize(uint32 segmentCount, bytes32 root) public {
        vm.assume(segmentCount != 0 && root != bytes32(0));
        _skipUnlessIsolated();
        bytes memory data = abi.encodeCall(StreamAnchors.anchorStreamBatch, (patient, root, segmentCount));
        vm.prank(patient);
        (bool ok,) = address(streams).call(data);
        vm.assertTrue(ok, "anchorStreamBatch reverted");
        uint256 callGas = vm.lastCallGas().gasTotalUsed - 21_000 - _calldataGas(data);
        vm.assertLe(callGas, STREAM_BATCH_BUDGET, "anchorStreamBatch: gas budget exceeded");
    }
}
