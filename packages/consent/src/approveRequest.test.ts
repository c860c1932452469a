import { GrantStatus } from '@mhrchain/contracts';
import { anvilTest } from '@mhrchain/contracts/testing';
import type { HeliaStorage } from '@mhrchain/core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { setUpWorld, startStore } from '../test/fixtures.js';
import { approveRequest } from './approveRequest.js';
import { InvalidConsentParametersError } from './errors.js';
import { getPendingRequest } from './getPendingRequest.js';
import { listActiveGrants } from './listActiveGrants.js';
import { requestAccess } from './requestAccess.js';

let storage: { store: HeliaStorage; stop: () => Promise<void> };
beforeAll(async () => {
  storage = await startStore();
});
afterAll(async () => {
  await storage.stop();
});

describe('approveRequest', () => {
  anvilTest(
    'grants what the doctor asked for as long as asked; with no pending request (none, or already approved) it refuses and grants nothing',
    async ({ anvil, mhrChain }) => {
      const { patient, doctorA, doctorB } = await setUpWorld(anvil, mhrChain, storage.store);
      await expect(approveRequest(patient, { doctor: doctorA.address })).rejects.toBeInstanceOf(
        InvalidConsentParametersError,
      );
      expect(await listActiveGrants(patient)).toEqual([]);

      await requestAccess(doctorA, {
        patient: patient.address,
        scope: { kind: 'category', category: 3 },
        purpose: 'TREAT',
        duration: 7200,
      });
      // Doctor B asked nothing: approving "its request" grants nothing to anyone.
      await expect(approveRequest(patient, { doctor: doctorB.address })).rejects.toBeInstanceOf(
        InvalidConsentParametersError,
      );
      expect(await listActiveGrants(patient)).toEqual([]);

      const before = (await anvil.provider.getBlock('latest'))!.timestamp;
      const granted = await approveRequest(patient, { doctor: doctorA.address });
      const [grant, ...others] = await listActiveGrants(patient);
      expect(others).toEqual([]);
      expect(grant).toMatchObject({ doctor: doctorA.address, scope: { kind: 'category', category: 3 } });
      // as long as asked, counted from the chain's time when approved
      expect(grant!.expiresAt).toBeGreaterThanOrEqual(before + 7200);
      expect(grant!.expiresAt).toBeLessThanOrEqual(granted.blockTime + 7200);
      expect(await getPendingRequest(patient, { doctor: doctorA.address })).toBeUndefined();

      // Approving the same request again finds nothing pending, and the grant stays as it was.
      await expect(approveRequest(patient, { doctor: doctorA.address })).rejects.toBeInstanceOf(
        InvalidConsentParametersError,
      );
      const grantOnChain = await mhrChain.chain.consentManager.read.grantOf(patient.address, doctorA.address);
      expect(Number(grantOnChain.status)).toBe(GrantStatus.Active);
      expect(Number(grantOnChain.serial)).toBe(grant!.serial);
    },
  );

  anvilTest('the patient may narrow the scope and shorten the time asked for', async ({ anvil, mhrChain }) => {
    const { patient, doctorA } = await setUpWorld(anvil, mhrChain, storage.store);
    await requestAccess(doctorA, {
      patient: patient.address,
      scope: { kind: 'all' },
      purpose: 'TREAT',
      duration: 7200,
    });
    const now = (await anvil.provider.getBlock('latest'))!.timestamp;
    await approveRequest(patient, {
      doctor: doctorA.address,
      scope: { kind: 'category', category: 1 },
      expiresAt: now + 600,
    });
    const [grant] = await listActiveGrants(patient);
    expect(grant).toMatchObject({ scope: { kind: 'category', category: 1 }, expiresAt: now + 600 });
  });
});
