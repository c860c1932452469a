import { BaseError } from '@mhrchain/core';
import { Interface } from 'ethers';
import { describe, expect, it } from 'vitest';
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
