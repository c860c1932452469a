import { TypedDataEncoder } from 'ethers';
import { describe, expect, it } from 'vitest';
import { InvalidConsentParametersError } from './errors.js';
import { createOtpConfirmations } from './otpConfirmations.js';
import type { PurposeOfUse } from './purposeOfUse.js';
import { type RequestBindingParameters, requestBinding, requestIdOf } from './requestBinding.js';
import { type AccessScope, fromScopeTuple, type Hex, isScopeWithin, scopeHash, toScopeTuple } from './scope.js';

const id = (byte: string) => `0x${byte.repeat(32)}` as Hex;

const base: RequestBindingParameters = {
  chainId: 31337n,
  consent: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  requestId: id('11'),
  patient: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
  doctor: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC',
  scope: { kind: 'category', category: 2 },
  purpose: 'TREAT',
  duration: 86_400,
  nonce: new Uint8Array(32).fill(9),
};

describe('scopeHash', () => {
  const scopes: AccessScope[] = [
    { kind: 'all' },
    { kind: 'category', category: 7 },
    { kind: 'records', recordIds: [id('aa')] },
    { kind: 'records', recordIds: [id('aa'), id('bb'), id('cc')] },
  ];
  it.each(scopes)('equals the EIP-712 struct hash of %o', (scope) => {
    const types = {
      Scope: [
        { name: 'kind', type: 'uint8' },
        { name: 'category', type: 'uint16' },
        { name: 'recordIds', type: 'bytes32[]' },
      ],
    };
    expect(scopeHash(scope)).toBe(TypedDataEncoder.hashStruct('Scope', types, toScopeTuple(scope)));
  });
  it('round-trips through the contract tuple', () => {
    for (const scope of scopes) expect(fromScopeTuple(toScopeTuple(scope))).toEqual(scope);
  });
  it.each([
    { kind: 'records', recordIds: [] },
    { kind: 'records', recordIds: Array.from({ length: 65 }, () => id('aa')) },
    { kind: 'records', recordIds: ['0x1234'] },
    { kind: 'category', category: 65_536 },
    { kind: 'category', category: 1.5 },
    { kind: 'everything' },
  ])('rejects the malformed scope %o', (scope) => {
    expect(() => toScopeTuple(scope as AccessScope)).toThrow(InvalidConsentParametersError);
  });
  it('tells a narrower scope from a wider one', () => {
    expect(isScopeWithin({ kind: 'all' }, { kind: 'all' })).toBe(true);
    expect(isScopeWithin({ kind: 'all' }, { kind: 'category', category: 1 })).toBe(false);
    expect(isScopeWithin({ kind: 'category', category: 1 }, { kind: 'category', category: 2 })).toBe(false);
    expect(
      isScopeWithin({ kind: 'records', recordIds: [id('aa')] }, { kind: 'records', recordIds: [id('bb'), id('aa')] }),
    ).toBe(true);
    expect(isScopeWithin({ kind: 'records', recordIds: [id('cc')] }, { kind: 'records', recordIds: [id('aa')] })).toBe(
      false,
    );
  });
});

describe('requestBinding', () => {
  it('is 32 bytes and deterministic, and ignores address case', () => {
    const a = requestBinding(base);
    expect(a).toHaveLength(32);
    expect(requestBinding({ ...base, doctor: base.doctor.toLowerCase() })).toEqual(a);
  });

  const changes: [string, Partial<RequestBindingParameters>][] = [
    ['chain', { chainId: 1n }],
    ['contract', { consent: '0x0000000000000000000000000000000000000001' }],
    ['request', { requestId: id('12') }],
    ['patient', { patient: '0x0000000000000000000000000000000000000002' }],
    ['doctor', { doctor: '0x0000000000000000000000000000000000000003' }],
    ['scope', { scope: { kind: 'all' } }],
    ['purpose', { purpose: 'ETREAT' }],
    ['duration', { duration: 86_401 }],
    ['nonce', { nonce: new Uint8Array(32).fill(8) }],
  ];
  it.each(changes)('changes with the %s', (_, change) => {
    expect(requestBinding({ ...base, ...change })).not.toEqual(requestBinding(base));
  });

  it.each(changes)('a code for this request is refused when the %s differs', (_, change) => {
    const otp = createOtpConfirmations();
    const { code } = otp.issue({ requestId: 'r', binding: requestBinding(base) });
    expect(() => otp.confirm({ requestId: 'r', binding: requestBinding({ ...base, ...change }), code })).toThrow(
      expect.objectContaining({ name: 'OtpRejectedError', reason: 'mismatch' }),
    );
    otp.confirm({ requestId: 'r', binding: requestBinding(base), code });
  });

  it.each([
    { requestId: '0x12' as Hex },
    { purpose: 'treatment' as PurposeOfUse },
    { purpose: `0x${'00'.repeat(31)}01` as PurposeOfUse },
    { nonce: new Uint8Array(31) },
    { duration: 0 },
    { chainId: 0n },
    { doctor: 'not an address' },
  ])('rejects %o', (change) => {
    expect(() => requestBinding({ ...base, ...change })).toThrow(InvalidConsentParametersError);
  });
});

describe('requestIdOf', () => {
  it('differs per transaction and per log index', () => {
    const a = requestIdOf({ transactionHash: id('ab'), logIndex: 0 });
    expect(a).toMatch(/^0x[0-9a-f]{64}$/);
    expect(requestIdOf({ transactionHash: id('ab'), logIndex: 1 })).not.toBe(a);
    expect(requestIdOf({ transactionHash: id('ac'), logIndex: 0 })).not.toBe(a);
    expect(() => requestIdOf({ transactionHash: '0x12', logIndex: 0 })).toThrow(InvalidConsentParametersError);
    expect(() => requestIdOf({ transactionHash: id('ab'), logIndex: -1 })).toThrow(InvalidConsentParametersError);
  });
});
