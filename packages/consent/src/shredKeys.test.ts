import { anvilTest } from '@mhrchain/contracts/testing';
import { DecryptionError, type HeliaStorage } from '@mhrchain/core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { setUpWorld, startStore } from '../test/fixtures.js';
import { addRecord } from './addRecord.js';
import { issueAccessOtp } from './issueAccessOtp.js';
import { readRecord } from './readRecord.js';
import { requestAccess } from './requestAccess.js';
import { shredKeys } from './shredKeys.js';

let storage: { store: HeliaStorage; stop: () => Promise<void> };
beforeAll(async () => {
  storage = await startStore();
});
afterAll(async () => {
  await storage.stop();
});

describe('shredKeys', () => {
  anvilTest(
    'zeroes the secret key and forgets pending OTP nonces: the client opens nothing afterwards',
    async ({ anvil, mhrChain }) => {
      const { patient, doctorA } = await setUpWorld(anvil, mhrChain, storage.store);
      const added = await addRecord(patient, {
        data: new Uint8Array([7]),
        metadata: { mediaType: 'text/plain' },
        category: 1,
      });
      const { requestId } = await requestAccess(doctorA, {
        patient: patient.address,
        scope: { kind: 'all' },
        purpose: 'TREAT',
        duration: 600,
      });
      await issueAccessOtp(patient, { doctor: doctorA.address });
      expect(patient.pendingOtp.get(requestId)).toBeDefined();
      expect((await readRecord(patient, { cid: added.cid })).data).toEqual(new Uint8Array([7]));
      const secretKey = patient.identity.secretKey;
      expect(secretKey.some((b) => b !== 0)).toBe(true);

      shredKeys(patient);
      expect(secretKey.every((b) => b === 0)).toBe(true); // the same buffer, overwritten in place
      expect(patient.pendingOtp.get(requestId)).toBeUndefined();
      await expect(readRecord(patient, { cid: added.cid })).rejects.toBeInstanceOf(DecryptionError);
    },
  );
});
