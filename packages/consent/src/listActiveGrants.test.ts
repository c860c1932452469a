import { anvilTest } from '@mhrchain/contracts/testing';
import type { HeliaStorage } from '@mhrchain/core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { setUpWorld, startStore } from '../test/fixtures.js';
import { approveRequest } from './approveRequest.js';
import { grantAccess } from './grantAccess.js';
import { listActiveGrants } from './listActiveGrants.js';
import { requestAccess } from './requestAccess.js';
import { revokeAccess } from './revokeAccess.js';

let storage: { store: HeliaStorage; stop: () => Promise<void> };
beforeAll(async () => {
  storage = await startStore();
});
afterAll(async () => {
  await storage.stop();
});

describe('listActiveGrants', () => {
  anvilTest(
    'who has access: answered requests and direct grants, oldest first; revoked and expired grants drop out',
    { timeout: 60_000 },
    async ({ anvil, mhrChain }) => {
      const { patient, doctorA, doctorB, colleague } = await setUpWorld(anvil, mhrChain, storage.store);
      expect(await listActiveGrants(patient)).toEqual([]);
      await requestAccess(doctorA, {
        patient: patient.address,
        scope: { kind: 'category', category: 1 },
        purpose: 'TREAT',
        duration: 7200,
      });
      await approveRequest(patient, { doctor: doctorA.address });

      // who has access: A (answered request), then B granted directly; revoked and expired grants drop out
      const [grantA] = await listActiveGrants(patient);
      expect(grantA).toMatchObject({ doctor: doctorA.address, serial: 1, scope: { kind: 'category', category: 1 } });
      const now = (await anvil.provider.getBlock('latest'))!.timestamp;
      await grantAccess(patient, { doctor: doctorB.address, scope: { kind: 'all' }, expiresAt: now + 600 });
      const both = await listActiveGrants(patient);
      expect(both.map((g) => [g.doctor, g.scope.kind])).toEqual([
        [doctorA.address, 'category'],
        [doctorB.address, 'all'],
      ]);
      expect(both[1]!.expiresAt).toBe(now + 600);
      expect(await listActiveGrants(colleague, { patient: patient.address })).toEqual(both);
      await revokeAccess(patient, { doctor: doctorA.address });
      expect((await listActiveGrants(patient)).map((g) => g.doctor)).toEqual([doctorB.address]);
      await anvil.provider.send('evm_increaseTime', [601]);
      await anvil.provider.send('evm_mine', []);
      expect(await listActiveGrants(patient)).toEqual([]);
    },
  );
});
