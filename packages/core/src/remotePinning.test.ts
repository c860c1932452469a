import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import { sha256 } from 'multiformats/hashes/sha2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomData } from '../test/corruptingProxy.js';
import { startTestPinningService, type TestPinningService } from '../test/pinningService.js';
import { loadEnvelope, storeEnvelope } from './envelopeStorage.js';
import { RemotePinningError } from './errors.js';
import { createGatewayStorage } from './gatewayStorage.js';
import { generateIdentity } from './identity.js';
import { type KuboInstance, startKubo } from './kubo.js';
import { createKuboStorage, type KuboStorage } from './kuboStorage.js';
import { createRemotePinning } from './remotePinning.js';
import { createReplicatedStorage } from './replicatedStorage.js';

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(b);

describe('createRemotePinning (IPFS Pinning Service API)', () => {
  let patientNode: KuboInstance;
  let serviceNode: KuboInstance;
  let atPatient: KuboStorage;
  let service: TestPinningService;

  beforeAll(async () => {
    [patientNode, serviceNode] = await Promise.all([startKubo(), startKubo()]);
    atPatient = await createKuboStorage({ url: patientNode.apiUrl });
    service = await startTestPinningService(serviceNode, 3_000);
  });
  afterAll(async () => {
    await service?.close();
    await Promise.all([patientNode, serviceNode].map((node) => node?.destroy()));
  });

  it('pins at the service, which fetches from the origins; counts towards k; the record outlives the patient node', async () => {
    const patient = generateIdentity();
    const data = randomData(2_000_000);
    const pinning = await createRemotePinning({
      endpoint: service.url,
      accessToken: service.accessToken,
      origins: [patientNode.swarmAddress],
      pollIntervalMs: 50,
    });
    const storage = createReplicatedStorage({ nodes: [atPatient], pinners: [pinning], k: 2 });
    const stored = await storeEnvelope(storage, {
      data,
      metadata: { mediaType: 'application/pdf' },
      recipients: [patient.publicKey],
    });
    expect(await pinning.isPinned(stored.cid)).toBe(true);
    expect((await storage.status(stored.cid)).perNode).toEqual([true, true]);
    const atService = await createKuboStorage({ url: serviceNode.apiUrl, offline: true });
    expect(await atService.isPinned(stored.cid)).toBe(true);

    await pinning.pin(stored.cid); // asking again reuses the pinned request
    await patientNode.crash();
    const gateway = await createGatewayStorage({ gateways: [serviceNode.gatewayUrl], allowInsecure: true });
    try {
      expect(same(await (await loadEnvelope(gateway, stored.cid, patient)).bytes(), data)).toBe(true);
    } finally {
      await gateway.close();
      await patientNode.restart();
    }

    await pinning.unpin(stored.cid);
    expect(await pinning.isPinned(stored.cid)).toBe(false);
    expect(await atService.isPinned(stored.cid)).toBe(false);
  }, 60_000);

  it('reports a pin the service cannot fulfil, and a refused token', async () => {
    const nobodyHasIt = CID.createV1(raw.code, await sha256.digest(randomData(32)));
    const pinning = await createRemotePinning({
      endpoint: service.url,
      accessToken: service.accessToken,
      pollIntervalMs: 50,
    });
    await expect(pinning.pin(nobodyHasIt)).rejects.toMatchObject({
      name: 'RemotePinningError',
      details: expect.stringMatching(/failed/),
    });
    const impatient = await createRemotePinning({
      endpoint: service.url,
      accessToken: service.accessToken,
      timeout: 100,
    });
    await expect(impatient.pin(nobodyHasIt)).rejects.toBeInstanceOf(RemotePinningError);
    const stranger = await createRemotePinning({ endpoint: service.url, accessToken: 'wrong' });
    await expect(stranger.isPinned(nobodyHasIt)).rejects.toMatchObject({
      name: 'RemotePinningError',
      details: `HTTP 401 from ${service.url}`,
    });
  }, 30_000);
});
