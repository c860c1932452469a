import { anvilTest } from '@mhrchain/contracts/testing';
import {
  createMemoryIdentityKeyStore,
  DecryptionError,
  decryptRecord,
  deriveBoundIdentity,
  deriveIdentityFromSigner,
  encryptRecord,
  IdentityShreddedError,
} from '@mhrchain/core';
import { bytesToHex } from '@noble/hashes/utils.js';
import { Wallet } from 'ethers';
import { describe, expect } from 'vitest';
import { type ConsentIdentitySource, createConsentClient } from './client.js';
import { InvalidConsentParametersError } from './errors.js';
import { createMemoryRecordStore } from './recordStore.js';
import { shredKeys } from './shredKeys.js';

describe('createConsentClient identity sources', () => {
  anvilTest(
    '{ origin } derives the identity bound to the app, the chain id and the IdentityRegistry; the default stays v1',
    async ({ anvil, mhrChain }) => {
      const { addresses } = mhrChain;
      const signer = Wallet.createRandom(anvil.provider);
      const store = createMemoryRecordStore();
      const bound = await createConsentClient({
        signer,
        addresses,
        store,
        identity: { origin: 'https://ehr.example' },
      });
      const expected = await deriveBoundIdentity({
        signer,
        chainId: (await anvil.provider.getNetwork()).chainId,
        contract: addresses.identityRegistry,
        origin: 'https://ehr.example',
      });
      expect(bytesToHex(bound.identity.publicKey)).toBe(bytesToHex(expected.publicKey));
      const other = await createConsentClient({
        signer,
        addresses,
        store,
        identity: { origin: 'https://other.example' },
      });
      expect(bytesToHex(other.identity.publicKey)).not.toBe(bytesToHex(expected.publicKey));
      const legacy = await createConsentClient({ signer, addresses, store });
      expect(bytesToHex(legacy.identity.publicKey)).toBe(
        bytesToHex((await deriveIdentityFromSigner(signer)).publicKey),
      );
      expect(bytesToHex(legacy.identity.publicKey)).not.toBe(bytesToHex(expected.publicKey));
      await expect(
        createConsentClient({
          signer,
          addresses,
          store,
          identity: { nothing: true } as unknown as ConsentIdentitySource,
        }),
      ).rejects.toThrow(InvalidConsentParametersError);
    },
  );

  anvilTest(
    '{ keyStore } uses the stored random identity; once shredded, it opens nothing and no client gets it back',
    async ({ anvil, mhrChain }) => {
      const { addresses } = mhrChain;
      const signer = Wallet.createRandom(anvil.provider);
      const store = createMemoryRecordStore();
      const keyStore = createMemoryIdentityKeyStore();
      const patient = await createConsentClient({ signer, addresses, store, identity: { keyStore } });
      expect(bytesToHex(patient.identity.publicKey)).toBe(bytesToHex((await keyStore.getOrCreate()).publicKey));
      const sealed = await encryptRecord({
        data: new TextEncoder().encode('private'),
        metadata: { mediaType: 'text/plain' },
        recipients: [patient.identity.publicKey],
      });
      await decryptRecord({ ...sealed, identity: patient.identity });

      shredKeys(patient);
      await keyStore.shred();
      await expect(decryptRecord({ ...sealed, identity: patient.identity })).rejects.toThrow(DecryptionError);
      await expect(createConsentClient({ signer, addresses, store, identity: { keyStore } })).rejects.toThrow(
        IdentityShreddedError,
      );
    },
  );
});
