import { anvilTest } from '@mhrchain/contracts/testing';
import type { HeliaStorage } from '@mhrchain/core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { setUpWorld, startStore } from '../test/fixtures.js';
import { addRecord } from './addRecord.js';
import { approveDelegation } from './approveDelegation.js';
import { InvalidConsentParametersError } from './errors.js';
import { grantAccess } from './grantAccess.js';
import { listReadableRecords } from './listReadableRecords.js';
import { requestDelegation } from './requestDelegation.js';
import { toScopeTuple } from './scope.js';

let storage: { store: HeliaStorage; stop: () => Promise<void> };
beforeAll(async () => {
  storage = await startStore();
});
afterAll(async () => {
  await storage.stop();
});

const ECG = 1;
const LAB = 2;

describe('approveDelegation against a hostile doctor', () => {
  anvilTest(
    'a request swapped after the patient reviewed it is not approved, and no key is released for it',
    { timeout: 120_000 },
    async ({ anvil, mhrChain }) => {
      const { patient, doctorA, colleague } = await setUpWorld(anvil, mhrChain, storage.store);
      const now = (await anvil.provider.getBlock('latest'))!.timestamp;
      await addRecord(patient, {
        data: new Uint8Array([1]),
        metadata: { mediaType: 'application/octet-stream' },
        category: ECG,
      });
      await addRecord(patient, {
        data: new Uint8Array([2]),
        metadata: { mediaType: 'application/octet-stream' },
        category: LAB,
      });
      await grantAccess(patient, { doctor: doctorA.address, scope: { kind: 'all' }, expiresAt: now + 86_400 });
      const expiresAt = now + 3600;
      await requestDelegation(doctorA, {
        patient: patient.address,
        colleague: colleague.address,
        scope: { kind: 'category', category: ECG },
        expiresAt,
      });
      // The patient reviews request 1 (ECG only); the doctor withdraws it and asks for everything.
      const reviewed = await patient.chain.delegationRegistry.read.delegationOf(patient.address, colleague.address);
      expect(reviewed.serial).toBe(1n);
      await doctorA.chain.delegationRegistry.write.revokeDelegation(
        patient.address,
        colleague.address,
        reviewed.serial,
      );
      await doctorA.chain.delegationRegistry.write.requestDelegation(
        patient.address,
        colleague.address,
        toScopeTuple({ kind: 'all' }),
        expiresAt,
      );
      await expect(approveDelegation(patient, { colleague: colleague.address, serial: 1 })).rejects.toBeInstanceOf(
        InvalidConsentParametersError,
      );
      expect(await listReadableRecords(colleague)).toEqual([]);
      expect(await patient.chain.delegationRegistry.read.isDelegationActive(patient.address, colleague.address)).toBe(
        false,
      );

      // Approving the request pending now names its exact terms: the colleague reads what request 2 covers.
      const approved = await approveDelegation(patient, { colleague: colleague.address, serial: 2 });
      expect(approved.released).toHaveLength(2);
      expect(await listReadableRecords(colleague)).toHaveLength(2);
    },
  );

  anvilTest(
    'no key goes to a colleague whose attestation was withdrawn',
    { timeout: 120_000 },
    async ({ anvil, mhrChain }) => {
      const { registrar, patient, doctorA, colleague } = await setUpWorld(anvil, mhrChain, storage.store);
      const now = (await anvil.provider.getBlock('latest'))!.timestamp;
      await addRecord(patient, {
        data: new Uint8Array([1]),
        metadata: { mediaType: 'application/octet-stream' },
        category: ECG,
      });
      await grantAccess(patient, { doctor: doctorA.address, scope: { kind: 'all' }, expiresAt: now + 86_400 });
      await requestDelegation(doctorA, {
        patient: patient.address,
        colleague: colleague.address,
        scope: { kind: 'all' },
        expiresAt: now + 3600,
      });
      await registrar.chain.identityRegistry.write.revokeDoctor(colleague.address);
      await expect(approveDelegation(patient, { colleague: colleague.address })).rejects.toBeInstanceOf(
        InvalidConsentParametersError,
      );
      expect(await listReadableRecords(colleague)).toEqual([]);
    },
  );
});
