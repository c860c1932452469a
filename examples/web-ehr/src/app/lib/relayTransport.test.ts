import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateIdentity } from '@mhrchain/core';
import {
  createLivePublisher,
  generateLiveDeviceKey,
  type LiveFrameEvent,
  type LiveStreamEvent,
  subscribeLiveStream,
} from '@mhrchain/ecg/live';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRelayRoute } from '../../server/relay.js';
import { type StorageNode, startStorageNode } from '../../server/storageNode.js';
import { createRelayClient } from './relayClient.js';
import { createRelayTransport } from './relayTransport.js';

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// The browser's live transport, exercised with the SDK's own publisher and subscriber against a real relay.
describe('relay LiveTransport with @mhrchain/ecg/live', () => {
  let directory: string;
  let node: StorageNode;
  let relay: ReturnType<typeof createRelayRoute>;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'mhr-live-'));
    relay = createRelayRoute();
    node = await startStorageNode({ directory, routes: [relay] });
  });
  afterAll(async () => {
    relay?.close();
    await node?.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('carries sealed frames to a granted doctor who joins late, losslessly and in order', async () => {
    const doctor = generateIdentity();
    const patientTransport = createRelayTransport(createRelayClient(node.url));
    const publisher = await createLivePublisher({
      transport: patientTransport,
      device: generateLiveDeviceKey(),
      recipients: [doctor.publicKey],
      sampleRate: 360,
      channels: 1,
      bitDepth: 12,
    });
    // Frames sent before the doctor subscribes are not replayed; the retained key announcement is.
    publisher.write(new Int32Array(360).map((_, i) => i % 300));
    await publisher.flush();

    const doctorTransport = createRelayTransport(createRelayClient(node.url));
    const events: LiveStreamEvent[] = [];
    const subscription = await subscribeLiveStream({
      transport: doctorTransport,
      descriptor: publisher.descriptor,
      identity: doctor,
      callbackOnly: true,
      onEvent: (event) => events.push(event),
    });
    expect(await subscription.access).toBe(0);
    const signal = new Int32Array(360 * 2).map((_, i) => Math.round(500 * Math.sin(i / 9)));
    publisher.write(signal);
    await publisher.flush();
    const frames = () => events.filter((event): event is LiveFrameEvent => event.type === 'frame');
    await until(() => frames().length === 8);
    const received = new Int32Array(frames().flatMap((frame) => [...frame.samples]));
    expect(received).toEqual(signal);
    expect(frames().map((frame) => frame.sequence)).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);

    await subscription.close();
    await publisher.close();
    await patientTransport.close();
    await doctorTransport.close();
  });

  it('denies a doctor the key was not wrapped for', async () => {
    const transport = createRelayTransport(createRelayClient(node.url));
    const publisher = await createLivePublisher({
      transport,
      device: generateLiveDeviceKey(),
      recipients: [generateIdentity().publicKey],
      sampleRate: 360,
      channels: 1,
    });
    await publisher.flush();
    const stranger = await subscribeLiveStream({
      transport,
      descriptor: publisher.descriptor,
      identity: generateIdentity(),
      callbackOnly: true,
    });
    await expect(stranger.access).rejects.toThrow();
    await stranger.close();
    await publisher.close();
    await transport.close();
  });
});
