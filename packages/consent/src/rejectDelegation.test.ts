import { ContractRevertError, DelegationStatus } from '@mhrchain/contracts';
import { anvilTest } from '@mhrchain/contracts/testing';
import type { HeliaStorage } from '@mhrchain/core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { setUpWorld, startStore } from '../test/fixtures.js';
import { addRecord } from './addRecord.js';
import { InvalidConsentParametersError } from './errors.js';
import { grantAccess } from './grantAccess.js';
import { listReadableRecords } from './listReadableRecords.js';
import { rejectDelegation } from './rejectDelegation.js';
import { requestDelegation } from './requestDelegation.js';

let storage: { store: HeliaStorage; stop: () => Promise<void> };
beforeAll(async () => {
  storage = await startStore();
});
afterAll(async () => {
  await storage.stop();
});

describe('rejectDelegation', () => {
  anvilTest(
    'the patient rejects the pending request it reviewed; a stale serial, or nothing pending, is refused and changes nothing',
    async ({ anvil, mhrChain }) => {
      const { patient, doctorA, colleague } = await setUpWorld(anvil, mhrChain, storage.store);
      const now = (await anvil.provider.getBlock('latest'))!.timestamp;
      await addRecord(patient, { data: new Uint8Array([1]), metadata: { mediaType: 'text/plain' }, category: 1 });
      await grantAccess(patient, { doctor: doctorA.address, scope: { kind: 'all' }, expiresAt: now + 86_400 });
      const status = async () =>
        Number((await mhrChain.chain.delegationRegistry.read.delegationOf(patient.address, colleague.address)).status);

      // Nothing pending yet: the contract reverts.
      const none = await rejectDelegation(patient, { colleague: colleague.address }).catch((e: unknown) => e);
      expect(none).toBeInstanceOf(ContractRevertError);
      expect((none as ContractRevertError).errorName).toBe('NoPendingDelegation');

      await requestDelegation(doctorA, {
        patient: patient.address,
        colleague: colleague.address,
        scope: { kind: 'all' },
        expiresAt: now + 3600,
      });
      await expect(rejectDelegation(patient, { colleague: colleague.address, serial: 2 })).rejects.toBeInstanceOf(
        InvalidConsentParametersError,
      );
      expect(await status()).toBe(DelegationStatus.Pending);

      const rejected = await rejectDelegation(patient, { colleague: colleague.address.toLowerCase(), serial: 1 });
      expect(rejected.transactionHash).toMatch(/^0x[0-9a-f]{64}$/);
      expect(await status()).toBe(DelegationStatus.Rejected);
      expect(await listReadableRecords(colleague)).toEqual([]);

      // Rejecting it again names a request no longer pending.
      await expect(rejectDelegation(patient, { colleague: colleague.address, serial: 1 })).rejects.toBeInstanceOf(
        InvalidConsentParametersError,
      );
      expect(await status()).toBe(DelegationStatus.Rejected);
    },
  );
});
