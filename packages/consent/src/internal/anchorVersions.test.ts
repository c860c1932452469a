import { ContractRevertError, TransactionRevertedError } from '@mhrchain/contracts';
import { anvilTest } from '@mhrchain/contracts/testing';
import type { HeliaStorage } from '@mhrchain/core';
import { hexlify, randomBytes } from 'ethers';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { setUpWorld, startStore } from '../../test/fixtures.js';
import { addRecord } from '../addRecord.js';
import type { Hex } from '../scope.js';
import { anchorVersions } from './anchorVersions.js';
import { recordsOf } from './records.js';

let storage: { store: HeliaStorage; stop: () => Promise<void> };
beforeAll(async () => {
  storage = await startStore();
});
afterAll(async () => {
  await storage.stop();
});

describe('anchorVersions', () => {
  for (const path of ['relayed', 'direct'] as const)
    anvilTest(
      `a ${path} batch the chain refuses once mined names the contract's error`,
      async ({ anvil, mhrChain }) => {
        const options = path === 'direct' ? { patient: { relayer: undefined, signer: anvil.signers[5]! } } : {};
        const { patient } = await setUpWorld(anvil, mhrChain, storage.store, options);
        expect(Boolean(patient.relayerChain)).toBe(path === 'relayed');
        const { cid } = await addRecord(patient, {
          data: new TextEncoder().encode('note'),
          metadata: { mediaType: 'text/plain' },
          category: 1,
        });
        const unknown = hexlify(randomBytes(32)) as Hex;
        // Batches go out with their own gas limit, unestimated: the chain refuses this one in a mined transaction.
        const thrown = await anchorVersions(patient, [{ recordId: unknown, cid }]).catch((error: unknown) => error);
        expect(thrown).toBeInstanceOf(ContractRevertError);
        expect(thrown).toMatchObject({ errorName: 'RecordNotFound', args: { recordId: unknown } });
        expect((thrown as ContractRevertError).cause).toBeInstanceOf(TransactionRevertedError);
        // Nothing changed: the patient's one record keeps its one version.
        expect((await recordsOf(patient, patient.address)).map((record) => record.versions.length)).toEqual([1]);
      },
    );
});
