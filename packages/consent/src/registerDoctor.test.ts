import { ContractRevertError } from '@mhrchain/contracts';
import { anvilTest } from '@mhrchain/contracts/testing';
import { generateIdentity, type HeliaStorage } from '@mhrchain/core';
import { hexlify } from 'ethers';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { startStore } from '../test/fixtures.js';
import { createConsentClient } from './client.js';
import { registerDoctor } from './registerDoctor.js';

let storage: { store: HeliaStorage; stop: () => Promise<void> };
beforeAll(async () => {
  storage = await startStore();
});
afterAll(async () => {
  await storage.stop();
});

describe('registerDoctor', () => {
  anvilTest(
    'publishes the doctor’s key but grants no doctor role until a registrar attests it; twice reverts',
    async ({ anvil, mhrChain }) => {
      const identity = generateIdentity();
      const signer = anvil.signers[5]!;
      const doctor = await createConsentClient({
        signer,
        addresses: mhrChain.addresses,
        store: storage.store,
        identity,
      });
      const registry = mhrChain.chain.identityRegistry.read;
      expect(await registry.isRegistered(signer.address)).toBe(false);

      const registered = await registerDoctor(doctor);
      expect(registered.transactionHash).toMatch(/^0x[0-9a-f]{64}$/);
      const onChain = await registry.identityOf(signer.address);
      expect(onChain.encryptionKey).toBe(hexlify(identity.publicKey));
      expect(await registry.isRegistered(signer.address)).toBe(true);
      expect(await registry.isDoctor(signer.address)).toBe(false); // registering is not being attested

      const error = await registerDoctor(doctor).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ContractRevertError);
      expect((error as ContractRevertError).errorName).toBe('AlreadyRegistered');
      expect((await registry.identityOf(signer.address)).registeredAt).toBe(onChain.registeredAt);
    },
  );
});
