import { ContractRevertError, isContractRevert, type MhrChainAddresses, RequestStatus } from '@mhrchain/contracts';
import { type AnvilFixtures, anvilTest } from '@mhrchain/contracts/testing';
import { generateIdentity, type HeliaStorage } from '@mhrchain/core';
import type { Signer } from 'ethers';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { FaultySigner, type SendRace } from '../test/faults.js';
import { setUpWorld, startStore, type World } from '../test/fixtures.js';
import { type ConsentClient, createConsentClient } from './client.js';
import { InvalidConsentParametersError } from './errors.js';
import { getPendingRequest } from './getPendingRequest.js';
import { listActiveGrants } from './listActiveGrants.js';
import { rejectRequest } from './rejectRequest.js';
import { requestAccess } from './requestAccess.js';

let storage: { store: HeliaStorage; stop: () => Promise<void> };
beforeAll(async () => {
  storage = await startStore();
});
afterAll(async () => {
  await storage.stop();
});

describe('rejectRequest', () => {
  anvilTest(
    'a stale serial is refused and the request stays pending; the named one is rejected, grants nothing, and cannot be rejected twice',
    async ({ anvil, mhrChain }) => {
      const { patient, doctorA } = await setUpWorld(anvil, mhrChain, storage.store);
      const ask = () =>
        requestAccess(doctorA, {
          patient: patient.address,
          scope: { kind: 'all' },
          purpose: 'TREAT',
          duration: 3600,
        });
      await ask();
      const status = async () =>
        Number((await mhrChain.chain.consentManager.read.requestOf(patient.address, doctorA.address)).status);

      // The patient reviewed request 1; the doctor's pending one is 1, so serial 2 names nothing.
      await expect(rejectRequest(patient, { doctor: doctorA.address, serial: 2 })).rejects.toBeInstanceOf(
        InvalidConsentParametersError,
      );
      expect(await status()).toBe(RequestStatus.Pending);

      const rejected = await rejectRequest(patient, { doctor: doctorA.address, serial: 1 });
      expect(rejected.transactionHash).toMatch(/^0x[0-9a-f]{64}$/);
      expect(await status()).toBe(RequestStatus.Rejected);
      expect(await getPendingRequest(patient, { doctor: doctorA.address })).toBeUndefined();
      expect(await listActiveGrants(patient)).toEqual([]);

      // Nothing is pending now: with or without a serial, the SDK refuses before sending.
      await expect(rejectRequest(patient, { doctor: doctorA.address, serial: 1 })).rejects.toBeInstanceOf(
        InvalidConsentParametersError,
      );
      await expect(rejectRequest(patient, { doctor: doctorA.address })).rejects.toBeInstanceOf(
        InvalidConsentParametersError,
      );
      expect(await status()).toBe(RequestStatus.Rejected);

      // The doctor may ask again; the new request is serial 2.
      await ask();
      expect((await getPendingRequest(patient, { doctor: doctorA.address }))?.serial).toBe(2);
    },
  );

  /**
   * The patient's app sends its rejections directly (a funded wallet, no relayer); its other device rejects through
   * a relayer. With `race`, another party acts on chain right before the app's send goes out.
   */
  async function twoDevices(world: World, addresses: MhrChainAddresses, wallet: Signer, race?: SendRace) {
    const base = { addresses, store: storage.store, identity: generateIdentity() };
    const app: ConsentClient = await createConsentClient({
      ...base,
      signer: new FaultySigner(wallet, undefined, race),
    });
    const other = await createConsentClient({ ...base, signer: wallet, relayer: world.relayer });
    return { app, other };
  }

  /** A patient with a funded wallet (`anvil.signers[5]`) and doctor A's first request (TREAT), pending. */
  async function askedOnce({ anvil, mhrChain }: AnvilFixtures) {
    const wallet = anvil.signers[5]!;
    const world = await setUpWorld(anvil, mhrChain, storage.store, { patient: { signer: wallet } });
    const { patient, doctorA } = world;
    const ask = (purpose: 'TREAT' | 'CAREMGT') =>
      requestAccess(doctorA, { patient: patient.address, scope: { kind: 'all' }, purpose, duration: 3600 });
    await ask('TREAT');
    return { wallet, world, patient, doctorA, ask };
  }

  anvilTest(
    'a rejection of the request the patient reviewed, sent after the doctor asked again, is refused and the newer request stays pending',
    async ({ anvil, mhrChain }) => {
      const { wallet, world, patient, doctorA, ask } = await askedOnce({ anvil, mhrChain });
      const reviewed = await getPendingRequest(patient, { doctor: doctorA.address });
      expect(reviewed?.serial).toBe(1);
      // The patient's other device rejects request 1 first, and the doctor asks again (request 2).
      const { app, other } = await twoDevices(world, mhrChain.addresses, wallet);
      await rejectRequest(other, { doctor: doctorA.address, serial: 1 });
      await ask('CAREMGT');

      // The app's rejection names request 1, which is no longer pending: refused, nothing sent.
      const nonce = await anvil.provider.getTransactionCount(wallet.address);
      await expect(rejectRequest(app, { doctor: doctorA.address, serial: reviewed!.serial })).rejects.toBeInstanceOf(
        InvalidConsentParametersError,
      );
      expect(await anvil.provider.getTransactionCount(wallet.address)).toBe(nonce);
      const now = await getPendingRequest(patient, { doctor: doctorA.address });
      expect([now?.serial, now?.purpose]).toEqual([2, 'CAREMGT']);
    },
  );

  anvilTest(
    "the doctor asks again between the app's look and its send: the chain refuses the rejection of request 1 (RequestSerialMismatch) and request 2 stays pending",
    async ({ anvil, mhrChain }) => {
      const { wallet, world, patient, doctorA, ask } = await askedOnce({ anvil, mhrChain });
      const { app } = await twoDevices(world, mhrChain.addresses, wallet, {
        at: 1,
        // Request 1 is rejected from the other device and the doctor asks again, right before the app's send.
        run: async () => {
          const { other } = await twoDevices(world, mhrChain.addresses, wallet);
          await rejectRequest(other, { doctor: doctorA.address, serial: 1 });
          await ask('CAREMGT');
        },
      });

      // No serial given: the app reads request 1 as the pending one and names it; the chain refuses it.
      const error = await rejectRequest(app, { doctor: doctorA.address }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ContractRevertError);
      if (!isContractRevert(error, 'RequestSerialMismatch')) throw new Error('expected RequestSerialMismatch');
      expect(error.args).toEqual({
        patient: patient.address,
        doctor: doctorA.address,
        signedSerial: 1n,
        currentSerial: 2n,
      });
      const now = await getPendingRequest(patient, { doctor: doctorA.address });
      expect([now?.serial, now?.purpose]).toEqual([2, 'CAREMGT']);
      expect(
        Number((await mhrChain.chain.consentManager.read.requestOf(patient.address, doctorA.address)).status),
      ).toBe(RequestStatus.Pending);
    },
  );
});
