import { anvilTest } from '@mhrchain/contracts/testing';
import type { HeliaStorage } from '@mhrchain/core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { setUpWorld, startStore } from '../test/fixtures.js';
import { InvalidPurposeError } from './errors.js';
import { listPendingRequests } from './listPendingRequests.js';
import type { PurposeOfUse } from './purposeOfUse.js';
import { requestAccess } from './requestAccess.js';

let storage: { store: HeliaStorage; stop: () => Promise<void> };
beforeAll(async () => {
  storage = await startStore();
});
afterAll(async () => {
  await storage.stop();
});

describe('requestAccess', () => {
  anvilTest(
    'free text is refused before any transaction: a purpose is a code of the published vocabulary',
    async ({ anvil, mhrChain }) => {
      const { patient, doctorB } = await setUpWorld(anvil, mhrChain, storage.store);
      const nonceB = await anvil.provider.getTransactionCount(doctorB.address);
      for (const text of ['second-opinion', 'hiv-antiretroviral-followup', 'treatment'])
        await expect(
          requestAccess(doctorB, {
            patient: patient.address,
            scope: { kind: 'category', category: 2 },
            purpose: text as PurposeOfUse,
            duration: 3600,
          }),
        ).rejects.toBeInstanceOf(InvalidPurposeError);
      expect(await anvil.provider.getTransactionCount(doctorB.address)).toBe(nonceB);
      expect(await listPendingRequests(patient)).toEqual([]);
    },
  );
});
