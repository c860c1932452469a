import { ContractRevertError, DelegationStatus, isContractRevert, type MhrChainAddresses } from '@mhrchain/contracts';
import { type AnvilInstance, anvilTest } from '@mhrchain/contracts/testing';
import { generateIdentity, type HeliaStorage } from '@mhrchain/core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { FaultySigner, type SendRace } from '../test/faults.js';
import { setUpWorld, startStore, type World } from '../test/fixtures.js';
import { addRecord } from './addRecord.js';
import { createConsentClient } from './client.js';
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

      // Nothing pending yet: the SDK refuses before sending.
      await expect(rejectDelegation(patient, { colleague: colleague.address })).rejects.toBeInstanceOf(
        InvalidConsentParametersError,
      );

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

  /**
   * A patient whose app sends directly (a funded wallet, no relayer), a doctor with a grant, and the doctor's pending
   * delegation request 1 (ECG only) to the colleague. With `race`, another party acts right before the app's send.
   */
  async function reviewing(world: World, anvil: AnvilInstance, addresses: MhrChainAddresses, race?: SendRace) {
    const { patient, doctorA, colleague } = world;
    const now = (await anvil.provider.getBlock('latest'))!.timestamp;
    await addRecord(patient, { data: new Uint8Array([1]), metadata: { mediaType: 'text/plain' }, category: 1 });
    await grantAccess(patient, { doctor: doctorA.address, scope: { kind: 'all' }, expiresAt: now + 86_400 });
    await requestDelegation(doctorA, {
      patient: patient.address,
      colleague: colleague.address,
      scope: { kind: 'category', category: 1 },
      expiresAt: now + 3600,
    });
    const app = await createConsentClient({
      signer: new FaultySigner(anvil.signers[5]!, undefined, race),
      addresses,
      store: storage.store,
      identity: generateIdentity(),
    });
    return app;
  }

  /** The doctor withdraws delegation request 1 and asks for everything instead (request 2, same expiry). */
  async function swapToAll(world: World) {
    const { patient, doctorA, colleague } = world;
    const registry = doctorA.chain.delegationRegistry;
    const { expiresAt } = await registry.read.delegationOf(patient.address, colleague.address);
    await registry.write.revokeDelegation(patient.address, colleague.address, 1);
    await requestDelegation(doctorA, {
      patient: patient.address,
      colleague: colleague.address,
      scope: { kind: 'all' },
      expiresAt: Number(expiresAt),
    });
  }

  async function stillPending(world: World) {
    const { patient, colleague } = world;
    const now = await world.patient.chain.delegationRegistry.read.delegationOf(patient.address, colleague.address);
    return [Number(now.serial), Number(now.status)];
  }

  anvilTest(
    'a rejection of the request the patient reviewed, sent after the doctor swapped it, is refused and the newer request stays pending',
    async ({ anvil, mhrChain }) => {
      const world = await setUpWorld(anvil, mhrChain, storage.store, { patient: { signer: anvil.signers[5]! } });
      const app = await reviewing(world, anvil, mhrChain.addresses);
      await swapToAll(world);
      await expect(rejectDelegation(app, { colleague: world.colleague.address, serial: 1 })).rejects.toBeInstanceOf(
        InvalidConsentParametersError,
      );
      expect(await stillPending(world)).toEqual([2, DelegationStatus.Pending]);
    },
  );

  anvilTest(
    "the doctor swaps the request between the app's look and its send: the chain refuses the rejection of request 1 (DelegationMismatch) and request 2 stays pending",
    async ({ anvil, mhrChain }) => {
      const world = await setUpWorld(anvil, mhrChain, storage.store, { patient: { signer: anvil.signers[5]! } });
      const app = await reviewing(world, anvil, mhrChain.addresses, { at: 1, run: () => swapToAll(world) });
      // No serial given: the app reads request 1 as the pending one and names it; the chain refuses it.
      const error = await rejectDelegation(app, { colleague: world.colleague.address }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ContractRevertError);
      if (!isContractRevert(error, 'DelegationMismatch')) throw new Error('expected DelegationMismatch');
      expect(error.args).toEqual({ patient: world.patient.address, colleague: world.colleague.address, serial: 1n });
      expect(await stillPending(world)).toEqual([2, DelegationStatus.Pending]);
      expect(await listReadableRecords(world.colleague)).toEqual([]);
    },
  );
});
