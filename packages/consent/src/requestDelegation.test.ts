import { ContractRevertError, DelegationStatus } from '@mhrchain/contracts';
import { anvilTest } from '@mhrchain/contracts/testing';
import type { HeliaStorage } from '@mhrchain/core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { setUpWorld, startStore } from '../test/fixtures.js';
import { grantAccess } from './grantAccess.js';
import { requestDelegation } from './requestDelegation.js';
import { fromScopeTuple } from './scope.js';

let storage: { store: HeliaStorage; stop: () => Promise<void> };
beforeAll(async () => {
  storage = await startStore();
});
afterAll(async () => {
  await storage.stop();
});

describe('requestDelegation', () => {
  anvilTest(
    'a doctor with a grant asks to pass part of it on; without a grant, beyond it, or past its end the contract reverts and nothing is pending',
    async ({ anvil, mhrChain }) => {
      const { patient, doctorA, doctorB, colleague } = await setUpWorld(anvil, mhrChain, storage.store);
      const now = (await anvil.provider.getBlock('latest'))!.timestamp;
      await grantAccess(patient, {
        doctor: doctorA.address,
        scope: { kind: 'category', category: 1 },
        expiresAt: now + 86_400,
      });
      const delegation = () => mhrChain.chain.delegationRegistry.read.delegationOf(patient.address, colleague.address);
      const revertName = async (attempt: Promise<unknown>) => {
        const error = await attempt.catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ContractRevertError);
        return (error as ContractRevertError).errorName;
      };
      const ask = (doctor: typeof doctorA, category: number, expiresAt = now + 3600) =>
        requestDelegation(doctor, {
          patient: patient.address,
          colleague: colleague.address,
          scope: { kind: 'category', category },
          expiresAt,
        });

      expect(await revertName(ask(doctorB, 1))).toBe('NoActiveGrant'); // doctor B holds no grant
      expect(await revertName(ask(doctorA, 2))).toBe('ScopeExceedsGrant'); // another category than granted
      expect(await revertName(ask(doctorA, 1, now + 2 * 86_400))).toBe('InvalidExpiry'); // outlives the grant
      expect(Number((await delegation()).status)).toBe(DelegationStatus.None);

      const requested = await ask(doctorA, 1);
      const pending = await delegation();
      expect(Number(pending.status)).toBe(DelegationStatus.Pending);
      expect(pending.doctor).toBe(doctorA.address);
      expect(Number(pending.serial)).toBe(1);
      expect(Number(pending.expiresAt)).toBe(now + 3600);
      expect(fromScopeTuple({ kind: pending.kind, category: pending.category, recordIds: [] })).toEqual({
        kind: 'category',
        category: 1,
      });
      expect(requested.blockTime).toBeGreaterThanOrEqual(now);
      // Pending is not approved: the colleague reads nothing yet.
      expect(await mhrChain.chain.delegationRegistry.read.isDelegationActive(patient.address, colleague.address)).toBe(
        false,
      );
    },
  );
});
