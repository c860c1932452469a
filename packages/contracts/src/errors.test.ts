import { BaseError } from '@mhrchain/core';
import { errorConventionViolations } from '@mhrchain/core/testing';
import { Interface } from 'ethers';
import { describe, expect, it } from 'vitest';
import * as chainErrors from './chainErrors.js';
import * as errors from './errors.js';
import {
  ContractCallError,
  ContractRevertError,
  decodeContractError,
  decodeRevertData,
  isContractRevert,
} from './errors.js';
import { consentManagerAbi, diseaseReportsAbi } from './generated/index.js';

const consent = new Interface(consentManagerAbi as never);
const reports = new Interface(diseaseReportsAbi as never);
const patient = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const doctor = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';

describe('decodeRevertData', () => {
  it('decodes a custom error by name with named arguments', () => {
    const data = consent.encodeErrorResult('NoActiveGrant', [patient, doctor]);
    const error = decodeRevertData(data);
    expect(error).toBeInstanceOf(ContractRevertError);
    expect(error).toBeInstanceOf(BaseError);
    expect(error?.errorName).toBe('NoActiveGrant');
    expect(error?.args).toEqual({ patient, doctor });
    expect(error?.data).toBe(data);
  });

  it('decodes errors of every contract', () => {
    const error = decodeRevertData(reports.encodeErrorResult('ReportAlreadySubmitted', [3n, patient]));
    expect(error?.errorName).toBe('ReportAlreadySubmitted');
    expect(error?.args).toEqual({ roundId: 3n, patient });
  });

  it('returns undefined for unknown selectors, string reverts and garbage', () => {
    expect(decodeRevertData('0xdeadbeef')).toBeUndefined();
    expect(decodeRevertData(new Interface(['error Error(string)']).encodeErrorResult('Error', ['x']))).toBeUndefined();
    expect(decodeRevertData('0x')).toBeUndefined();
  });
});

describe('decodeContractError', () => {
  it('finds revert data nested in ethers errors', () => {
    const data = consent.encodeErrorResult('InvalidScope', []);
    const error = decodeContractError({ code: 'CALL_EXCEPTION', info: { error: { data } } });
    expect(isContractRevert(error, 'InvalidScope')).toBe(true);
    expect(isContractRevert(error, 'NoActiveGrant')).toBe(false);
  });

  it('wraps anything else in a ContractCallError with the cause', () => {
    const cause = new Error('socket hang up');
    const error = decodeContractError(cause);
    expect(error).toBeInstanceOf(ContractCallError);
    expect(error.cause).toBe(cause);
    expect(isContractRevert(error)).toBe(false);
  });
});

/** One instance of every error class `errors.ts` and `chainErrors.ts` export, built the way the package throws it. */
const instances: Record<string, BaseError> = {
  ContractRevertError: new ContractRevertError({
    errorName: 'NoActiveGrant',
    args: { patient, doctor } as never,
    data: '0x',
  }),
  ContractCallError: new ContractCallError('The contract call failed.', { details: 'timeout' }),
  DeploymentNotFoundError: new errors.DeploymentNotFoundError({ chainId: 5n }),
  ContractNotDeployedError: new errors.ContractNotDeployedError({
    chainId: 1n,
    contract: 'consentManager',
    address: doctor,
  }),
  AnvilStartError: new errors.AnvilStartError('anvil exited with code 1.'),
  AnvilNotInstalledError: new errors.AnvilNotInstalledError(),
  InvalidSegmentBatchError: new errors.InvalidSegmentBatchError('A stream batch needs at least one segment.'),
  LogRangeError: new chainErrors.LogRangeError({ fromBlock: 7, toBlock: 7 }),
  RpcUnavailableError: new chainErrors.RpcUnavailableError({ method: 'eth_getLogs', attempts: 6 }),
  LogQueryError: new chainErrors.LogQueryError('The provider rejected the log query.'),
  EventIndexError: new chainErrors.EventIndexError('The index was built for chain 1, not 31337.'),
  TransactionReplacedError: new chainErrors.TransactionReplacedError({ nonce: 4, hashes: ['0x01'] }),
  TransactionDroppedError: new chainErrors.TransactionDroppedError({ nonce: 4, hashes: ['0x01'], reason: 'deadline' }),
  TransactionRevertedError: new chainErrors.TransactionRevertedError({ hash: '0x01', blockNumber: 9 }),
};

/** Old names kept as deprecated aliases of the renamed classes. */
const deprecated: Record<string, string> = { UnknownDeploymentError: 'DeploymentNotFoundError' };

describe('contracts errors', () => {
  it('follow the error conventions', () => {
    expect(errorConventionViolations({ errors: { ...errors, ...chainErrors }, instances, deprecated })).toEqual([]);
  });
});
