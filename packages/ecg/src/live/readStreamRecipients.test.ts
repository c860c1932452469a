import { connectMhrChain, scopeAll, scopeCategory } from '@mhrchain/contracts';
import { anvilTest } from '@mhrchain/contracts/testing';
import { generateIdentity } from '@mhrchain/core';
import { hexlify } from 'ethers';
import { expect } from 'vitest';
import { readStreamRecipients } from './readStreamRecipients.js';

const ECG = 3;
const LAB = 4;
/** HL7 PurposeOfUse TREAT (`ConsentManager.PURPOSE_TREAT`). */
const TREAT = 1;

anvilTest(
  'reads the doctors with a live grant covering the stream, and their keys, from the chain',
  async ({ anvil, mhrChain }) => {
    const [admin, patient, a, b, c, d, registrar] = anvil.signers;
    const as = (signer: typeof patient) => connectMhrChain(signer!, mhrChain.addresses);
    await as(admin).identityRegistry.write.setRegistrar(registrar!.address, true);
    const keys = new Map<string, Uint8Array>();
    for (const signer of [patient, a, b, c, d]) {
      const identity = generateIdentity();
      keys.set(signer!.address, identity.publicKey);
      await as(signer).identityRegistry.write.register(hexlify(identity.publicKey));
    }
    const block = await anvil.provider.getBlock('latest');
    const now = BigInt(block!.timestamp);
    for (const doctor of [a, b, c, d]) {
      await as(registrar).identityRegistry.write.attestDoctor(doctor!.address, now + 365n * 86400n);
    }
    const p = as(patient);
    // a: ECG for a day; b: everything for 10 minutes; c: lab only; d: nothing.
    await as(a).consentManager.write.requestAccess(patient!.address, scopeCategory(ECG), TREAT, 86400);
    await p.consentManager.write.grantAccess(a!.address, scopeCategory(ECG), now + 86400n);
    await as(b).consentManager.write.requestAccess(patient!.address, scopeAll(), TREAT, 600);
    await p.consentManager.write.grantAccess(b!.address, scopeAll(), now + 600n);
    await as(c).consentManager.write.requestAccess(patient!.address, scopeCategory(LAB), TREAT, 600);
    await p.consentManager.write.grantAccess(c!.address, scopeCategory(LAB), now + 600n);
    const reader = connectMhrChain(anvil.provider, mhrChain.addresses);
    const read = () =>
      readStreamRecipients({
        chain: reader,
        patient: patient!.address,
        doctors: [a!.address, b!.address, c!.address, d!.address],
        category: ECG,
      });

    const first = await read();
    expect(first.doctors).toEqual([a!.address, b!.address]);
    expect(first.recipients).toEqual([keys.get(a!.address), keys.get(b!.address)]);
    expect(first.nextExpiry).toBe(Number(now + 600n));

    await p.consentManager.write.revokeAccess(a!.address, 1);
    expect((await read()).doctors).toEqual([b!.address]);

    await anvil.increaseTime(601); // b's grant expires
    const last = await read();
    expect(last.doctors).toEqual([]);
    expect(last.nextExpiry).toBeUndefined();
  },
);
