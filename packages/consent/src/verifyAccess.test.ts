/**
 * verifyAccess on a real anvil and embedded IPFS node: versions another device published are flagged (the revoke and
 * de-attestation cases, flagged then rotated out, are in reconcileAccess.test.ts).
 */
import { anvilTest } from '@mhrchain/contracts/testing';
import { describe, expect } from 'vitest';
import { note, setUp, storage, useCrashWorld } from '../test/crashWorld.js';
import { addRecord } from './addRecord.js';
import { createConsentClient } from './client.js';
import { reconcileAccess } from './reconcileAccess.js';
import { verifyAccess } from './verifyAccess.js';

useCrashWorld();

describe('verifyAccess', () => {
  anvilTest(
    'versions this journal did not publish are flagged as unknown and re-published',
    async ({ anvil, mhrChain }) => {
      const world = await setUp(anvil, mhrChain);
      await addRecord(world.patient, { data: note('r'), metadata: { mediaType: 'text/plain' }, category: 1 });
      // The same patient on a new device: an empty journal.
      const device = await createConsentClient({
        signer: world.wallet,
        addresses: world.mhrChain.addresses,
        store: storage.store,
        identity: world.identity,
        fromBlock: world.fromBlock,
      });
      expect((await verifyAccess(device)).map((v) => v.reason)).toEqual(['unknown-readers']);
      await reconcileAccess(device);
      expect(await verifyAccess(device)).toEqual([]);
    },
  );
});
