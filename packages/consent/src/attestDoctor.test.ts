import { ContractRevertError } from '@mhrchain/contracts';
import { anvilTest } from '@mhrchain/contracts/testing';
import { generateIdentity, type HeliaStorage } from '@mhrchain/core';
import type { Signer } from 'ethers';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { startStore } from '../test/fixtures.js';
import { attestDoctor } from './attestDoctor.js';
import { createConsentClient } from './client.js';
import { registerDoctor } from './registerDoctor.js';

let storage: { store: HeliaStorage; stop: () => Promise<void> };
beforeAll(async () => {
  storage = await startStore();
});
afterAll(async () => {
  await storage.stop();
});

describe('attestDoctor', () => {
  anvilTest(
    'a registrar attests a registered doctor until a date; a non-registrar, an unregistered account and a past date revert',
    async ({ anvil, mhrChain }) => {
      const client = (signer: Signer) =>
        createConsentClient({
          signer,
          addresses: mhrChain.addresses,
          store: storage.store,
          identity: generateIdentity(),
        });
      const [admin, doctorSigner, strangerSigner, unregistered] = [0, 1, 2, 3].map((i) => anvil.signers[i]!);
      await mhrChain.chain.identityRegistry.write.setRegistrar(admin!.address, true);
      const [registrar, doctor, stranger] = await Promise.all([
        client(admin!),
        client(doctorSigner!),
        client(strangerSigner!),
      ]);
      await registerDoctor(doctor);
      await registerDoctor(stranger);
      const registry = mhrChain.chain.identityRegistry.read;
      const now = (await anvil.provider.getBlock('latest'))!.timestamp;
      const revertName = async (attempt: Promise<unknown>) => {
        const error = await attempt.catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ContractRevertError);
        return (error as ContractRevertError).errorName;
      };

      // A registered doctor who is not a registrar cannot attest anyone (itself included).
      expect(await revertName(attestDoctor(stranger, { doctor: doctor.address, validUntil: now + 3600 }))).toBe(
        'NotRegistrar',
      );
      expect(await revertName(attestDoctor(stranger, { doctor: stranger.address, validUntil: now + 3600 }))).toBe(
        'NotRegistrar',
      );
      // An account without a key cannot be attested, nor can an attestation end in the past.
      expect(await revertName(attestDoctor(registrar, { doctor: unregistered!.address, validUntil: now + 3600 }))).toBe(
        'NotRegistered',
      );
      expect(await revertName(attestDoctor(registrar, { doctor: doctor.address, validUntil: now - 1 }))).toBe(
        'InvalidAttestationExpiry',
      );
      expect(await registry.isDoctor(doctor.address)).toBe(false);
      expect(await registry.isDoctor(stranger.address)).toBe(false);

      const attested = await attestDoctor(registrar, { doctor: doctor.address, validUntil: now + 3600 });
      expect(attested.blockTime).toBeGreaterThanOrEqual(now);
      expect(await registry.isDoctor(doctor.address)).toBe(true);
      const identity = await registry.identityOf(doctor.address);
      expect(Number(identity.doctorUntil)).toBe(now + 3600);
      expect(identity.registrar).toBe(admin!.address);
      expect(await registry.isDoctor(stranger.address)).toBe(false); // only the named doctor
    },
  );
});
