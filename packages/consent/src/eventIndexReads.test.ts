import { anvilTest, type RangeLimitedRpc, startRangeLimitedRpc } from '@mhrchain/contracts/testing';
import { generateIdentity, type HeliaStorage } from '@mhrchain/core';
import { JsonRpcProvider, Network, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { setUpWorld, startStore } from '../test/fixtures.js';
import { addRecord } from './addRecord.js';
import { approveRequest } from './approveRequest.js';
import { type ConsentClient, createConsentClient } from './client.js';
import { getPendingRequest } from './getPendingRequest.js';
import { getTimeline } from './getTimeline.js';
import { listActiveGrants } from './listActiveGrants.js';
import { listPendingRequests } from './listPendingRequests.js';
import { listReadableRecords } from './listReadableRecords.js';
import { readRecord } from './readRecord.js';
import { requestAccess } from './requestAccess.js';

let storage: { store: HeliaStorage; stop: () => Promise<void> };
beforeAll(async () => {
  storage = await startStore();
});
afterAll(async () => {
  await storage.stop();
});

const text = (s: string) => new TextEncoder().encode(s);

describe('reads through an event index behind a range-limited provider', () => {
  anvilTest(
    'every read API fails on the unindexed path with the provider error, and works through the index',
    async ({ anvil, mhrChain }) => {
      const patientWallet = Wallet.createRandom();
      const patientIdentity = generateIdentity();
      const world = await setUpWorld(anvil, mhrChain, storage.store, {
        patient: { signer: patientWallet.connect(anvil.provider), identity: patientIdentity },
      });
      const { patient, doctorA, doctorB } = world;
      const first = await addRecord(patient, {
        data: text('diagnosis'),
        metadata: { mediaType: 'text/plain' },
        category: 2,
      });
      await requestAccess(doctorA, {
        patient: patient.address,
        scope: { kind: 'all' },
        purpose: 'TREAT',
        duration: 86_400,
      });
      await approveRequest(patient, { doctor: doctorA.address });
      await requestAccess(doctorB, {
        patient: patient.address,
        scope: { kind: 'category', category: 2 },
        purpose: 'TREAT',
        duration: 3_600,
      });
      // A long chain: the history spans more blocks than the provider answers in one query.
      await anvil.provider.send('anvil_mine', ['0x190']);

      const rpc: RangeLimitedRpc = await startRangeLimitedRpc({ upstream: anvil.rpcUrl, maxBlockRange: 100 });
      const provider = new JsonRpcProvider(rpc.url, Network.from(anvil.chainId), { staticNetwork: true });
      try {
        const connect = async (
          signer: Wallet | (typeof anvil.signers)[number],
          identity: ConsentClient['identity'],
          indexed: boolean,
          relayer?: boolean,
        ) =>
          createConsentClient({
            signer: signer.connect(provider),
            addresses: mhrChain.addresses,
            store: storage.store,
            identity,
            fromBlock: patient.fromBlock,
            relayer: relayer ? anvil.signers[4]!.connect(provider) : undefined,
            eventIndex: indexed ? { maxBlockRange: 1_000 } : undefined,
          });
        const patientOld = await connect(patientWallet, patientIdentity, false);
        const doctorOld = await connect(anvil.signers[1]!, doctorA.identity, false);
        const refused = /Log response size exceeded/;
        await expect(listPendingRequests(patientOld)).rejects.toThrow(refused);
        await expect(getPendingRequest(patientOld, { doctor: doctorB.address })).rejects.toThrow(refused);
        await expect(listActiveGrants(patientOld)).rejects.toThrow(refused);
        await expect(getTimeline(patientOld)).rejects.toThrow(refused);
        await expect(listReadableRecords(doctorOld)).rejects.toThrow(refused);
        await expect(readRecord(doctorOld, { patient: patient.address, recordId: first.recordId })).rejects.toThrow(
          refused,
        );

        const refusedBefore = rpc.stats.refused;
        const patientNew = await connect(patientWallet, patientIdentity, true, true);
        const doctorNew = await connect(anvil.signers[1]!, doctorA.identity, true);
        expect(await listPendingRequests(patientNew)).toEqual(await listPendingRequests(patient));
        expect((await listPendingRequests(patientNew)).map((r) => r.doctor)).toEqual([doctorB.address]);
        expect(await getPendingRequest(patientNew, { doctor: doctorB.address })).toEqual(
          await getPendingRequest(patient, { doctor: doctorB.address }),
        );
        expect(await listActiveGrants(patientNew)).toEqual(await listActiveGrants(patient));
        expect(await getTimeline(patientNew)).toEqual(await getTimeline(patient));
        expect(await listReadableRecords(doctorNew)).toEqual(await listReadableRecords(doctorA));
        expect((await readRecord(doctorNew, { patient: patient.address, recordId: first.recordId })).data).toEqual(
          text('diagnosis'),
        );

        // A write through the indexed client (it reads who may read the category first), then reads see it.
        const second = await addRecord(patientNew, {
          data: text('follow-up'),
          metadata: { mediaType: 'text/plain' },
          category: 2,
        });
        const readable = await listReadableRecords(doctorNew);
        expect(readable.map((r) => r.recordId)).toContain(second.recordId);
        expect((await readRecord(doctorNew, { patient: patient.address, recordId: second.recordId })).data).toEqual(
          text('follow-up'),
        );
        expect(await getTimeline(patientNew)).toEqual(await getTimeline(patient));
        // Each index learnt the provider's range from its first refusal (the range it suggests) and kept to it.
        expect(rpc.stats.refused - refusedBefore).toBe(2);
      } finally {
        provider.destroy();
        await rpc.close();
      }
    },
  );
});
