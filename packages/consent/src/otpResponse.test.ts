import { generateIdentity } from '@mhrchain/core';
import { Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import { InvalidConsentParametersError, InvalidOtpResponseError } from './errors.js';
import { openOtpResponse, type SealOtpResponseParameters, sealOtpResponse } from './otpResponse.js';
import type { Hex } from './scope.js';

const patientKey = generateIdentity();
const doctor = Wallet.createRandom();
const parameters: SealOtpResponseParameters = {
  patientPublicKey: patientKey.publicKey,
  chainId: 31337n,
  consent: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  requestId: `0x${'11'.repeat(32)}` as Hex,
  patient: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
  code: '004271',
  signer: doctor,
};

describe('sealOtpResponse / openOtpResponse', () => {
  it('round-trips and names the signing doctor', async () => {
    const sealed = await sealOtpResponse(parameters);
    const opened = openOtpResponse({ identity: patientKey, sealed });
    expect(opened).toEqual({
      chainId: 31337n,
      consent: parameters.consent,
      requestId: parameters.requestId,
      patient: parameters.patient,
      doctor: doctor.address,
      code: '004271',
    });
  });

  it('never carries the code in clear, and two seals of the same response differ', async () => {
    const a = await sealOtpResponse(parameters);
    const b = await sealOtpResponse(parameters);
    expect(Buffer.from(a).toString('latin1')).not.toContain('004271');
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  it('cannot be opened by anyone but the patient', async () => {
    const sealed = await sealOtpResponse(parameters);
    expect(() => openOtpResponse({ identity: generateIdentity(), sealed })).toThrow(InvalidOtpResponseError);
  });

  it('detects any flipped byte and any truncation', async () => {
    const sealed = await sealOtpResponse(parameters);
    for (let i = 0; i < sealed.length; i += 7) {
      const tampered = sealed.slice();
      tampered[i]! ^= 0x01;
      expect(() => openOtpResponse({ identity: patientKey, sealed: tampered })).toThrow(InvalidOtpResponseError);
    }
    for (const length of [0, 10, 61, sealed.length - 1])
      expect(() => openOtpResponse({ identity: patientKey, sealed: sealed.subarray(0, length) })).toThrow(
        InvalidOtpResponseError,
      );
  });

  it('refuses a response whose signature is not the named doctor’s (a code overheard and relayed)', async () => {
    // An eavesdropper seals a forged body naming the doctor but signed with its own key.
    const eavesdropper = Wallet.createRandom();
    const forgedSigner = {
      getAddress: async () => doctor.address,
      signTypedData: eavesdropper.signTypedData.bind(eavesdropper),
    };
    const sealed = await sealOtpResponse({ ...parameters, signer: forgedSigner });
    expect(() => openOtpResponse({ identity: patientKey, sealed })).toThrow(InvalidOtpResponseError);
  });

  it('rejects malformed input on the sealing side', async () => {
    await expect(sealOtpResponse({ ...parameters, code: '12345' })).rejects.toThrow(InvalidConsentParametersError);
    await expect(sealOtpResponse({ ...parameters, requestId: '0x11' })).rejects.toThrow(InvalidConsentParametersError);
    await expect(sealOtpResponse({ ...parameters, patientPublicKey: new Uint8Array(32) })).rejects.toThrow();
  });
});
