import { generateIdentity } from '@mhrchain/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLiveDeviceKey, generateStreamId } from './device.js';
import { createKeyAnnouncement } from './internal/keyAnnouncement.js';
import { collectEvents, sleep, testSignal } from './internal/testHelpers.js';
import { fromHex, sealFrame, sealGapNotice } from './internal/wire.js';
import { type MosquittoInstance, startMosquitto } from './mosquitto.js';
import { createMqttTransport } from './mqttTransport.js';
import { createLivePublisher, type PublishedFrame } from './publisher.js';
import { subscribeLiveStream } from './subscriber.js';
import type { LiveTransport } from './transport.js';

let broker: MosquittoInstance;
const transports: LiveTransport[] = [];
const connect = async () => {
  const transport = await createMqttTransport({ url: broker.url });
  transports.push(transport);
  return transport;
};

beforeAll(async () => {
  broker = await startMosquitto();
});
afterAll(async () => {
  for (const transport of transports) await transport.close();
  await broker.stop();
});

describe('live stream over Mosquitto', () => {
  it('delivers every frame losslessly, in order, and the broker sees ciphertext only', async () => {
    const doctor = generateIdentity();
    const publisher = await createLivePublisher({
      transport: await connect(),
      device: generateLiveDeviceKey(),
      recipients: [doctor.publicKey],
      sampleRate: 360,
      channels: 2,
      bitDepth: 12,
    });
    expect(publisher.descriptor.topic).toBe(`mhrchain/ecg/v1/${publisher.descriptor.streamId}`);
    const wire: Uint8Array[] = [];
    const eavesdropper = await connect();
    await eavesdropper.subscribe(publisher.descriptor.topic, (payload) => wire.push(payload.slice()));
    const subscription = await subscribeLiveStream({
      transport: await connect(),
      descriptor: publisher.descriptor,
      identity: doctor,
    });
    expect(await subscription.access).toBe(0);
    const events = collectEvents(subscription);
    const signal = testSignal(360 * 3);
    for (let i = 0; i < signal.length; i += 2 * 50) publisher.write(signal.subarray(i, i + 2 * 50));
    await publisher.flush();
    await events.until(() => events.frames().length === 12);
    const frames = events.frames();
    expect(frames.map((f) => f.sequence)).toEqual([...Array(12).keys()]);
    expect(frames.every((f) => f.samples.length === 90 * 2 && f.sampleRate === 360 && f.channels === 2)).toBe(true);
    const joined = new Int32Array(frames.reduce((n, f) => n + f.samples.length, 0));
    let offset = 0;
    for (const f of frames) {
      joined.set(f.samples, offset);
      offset += f.samples.length;
    }
    expect(joined).toEqual(signal);
    expect(frames[1]!.firstSampleIndex).toBe(90);
    expect(subscription.stats).toMatchObject({ frames: 12, missing: 0, gaps: 0, lastSequence: 11 });
    expect(Object.values(subscription.stats.rejected).every((n) => n === 0)).toBe(true);
    // What the broker carried does not contain the plaintext samples.
    await expect.poll(() => wire.length).toBeGreaterThanOrEqual(13);
    const plainBytes = new Uint8Array(signal.buffer).subarray(0, 64);
    const needle = Buffer.from(plainBytes).toString('hex');
    expect(wire.some((m) => Buffer.from(m).toString('hex').includes(needle))).toBe(false);
    await subscription.close();
    await publisher.close();
  });

  it('rejects malformed, foreign, forged, tampered, replayed and injected messages, counts them, and goes on', async () => {
    const doctor = generateIdentity();
    const recorded: PublishedFrame[] = [];
    const publisher = await createLivePublisher({
      transport: await connect(),
      device: generateLiveDeviceKey(),
      recipients: [doctor.publicKey],
      sampleRate: 360,
      channels: 2,
      sink: { append: (frame) => recorded.push(frame) },
    });
    const topic = publisher.descriptor.topic;
    const wire: Uint8Array[] = [];
    const attacker = await connect();
    await attacker.subscribe(topic, (payload) => wire.push(payload.slice()));
    const subscription = await subscribeLiveStream({
      transport: await connect(),
      descriptor: publisher.descriptor,
      identity: doctor,
    });
    await subscription.access;
    const events = collectEvents(subscription);
    publisher.write(testSignal(90 * 2));
    await publisher.flush();
    await events.until(() => events.frames().length === 2);
    await expect.poll(() => wire.length).toBe(3); // announcement + 2 frames

    const streamId = fromHex(publisher.descriptor.streamId)!;
    const frame1 = wire[2]!;
    const tampered = frame1.slice();
    tampered[tampered.length - 20]! ^= 0x01;
    const forgedKey = new Uint8Array(32).fill(7);
    const forger = generateLiveDeviceKey();
    const forgedAnnouncement = await createKeyAnnouncement({
      streamId,
      epoch: 5,
      firstSequence: 2,
      epochKey: forgedKey,
      recipients: [doctor.publicKey],
      deviceSecretKey: forger.secretKey,
    });
    const injected = sealFrame(forgedKey, streamId, 0, 2, recorded[0]!.encoded); // guessed key, current epoch
    const foreign = sealFrame(forgedKey, fromHex(generateStreamId())!, 0, 2, recorded[0]!.encoded);
    const attacks: [Uint8Array, string][] = [
      [new TextEncoder().encode('{"not":"a frame"}'), 'malformed'],
      [new Uint8Array(0), 'malformed'],
      [frame1.subarray(0, 40), 'bad-frame'],
      [foreign, 'foreign-stream'],
      [forgedAnnouncement, 'bad-signature'],
      [injected, 'bad-frame'],
      [tampered, 'bad-frame'],
      [frame1, 'replay'],
      [sealFrame(forgedKey, streamId, 9, 3, recorded[0]!.encoded), 'no-key'],
      [sealGapNotice(forgedKey, streamId, 0, 2, 50), 'bad-frame'], // a forged "frames dropped" notice
      [sealGapNotice(forgedKey, streamId, 9, 2, 50), 'no-key'],
    ];
    for (const [bytes] of attacks) await attacker.publish(topic, bytes);
    await events.until(() => events.events.filter((e) => e.type === 'rejected').length === attacks.length);
    const reasons = events.events.flatMap((e) => (e.type === 'rejected' ? [e.error.reason] : []));
    expect(reasons).toEqual(attacks.map(([, reason]) => reason));
    expect(events.events.find((e) => e.type === 'rejected')!.type).toBe('rejected');

    // The stream goes on after the attacks, with no gap and no frame accepted from the attacker.
    publisher.write(testSignal(90 * 2, 2, 180));
    await publisher.flush();
    await events.until(() => events.frames().length === 4);
    expect(events.frames().map((f) => f.sequence)).toEqual([0, 1, 2, 3]);
    expect(events.frames()[2]!.samples).toEqual(testSignal(90, 2, 180));
    expect(subscription.stats.rejected).toMatchObject({
      malformed: 2,
      'foreign-stream': 1,
      'bad-signature': 1,
      'bad-frame': 4,
      replay: 1,
      'no-key': 2,
    });
    expect(subscription.stats.gaps).toBe(0);
    await subscription.close();
    await publisher.close();
  });

  it('reports dropped frames as a gap by sequence number', async () => {
    const doctor = generateIdentity();
    const publisherTransport = await connect();
    // A transport that drops frames 3..5 on the way.
    let published = 0;
    const lossy: LiveTransport = {
      ...publisherTransport,
      get connected() {
        return publisherTransport.connected;
      },
      publish(topic, payload, options) {
        const index = published++;
        if (index >= 4 && index <= 6) return Promise.resolve(); // message 0 is the key announcement
        return publisherTransport.publish(topic, payload, options);
      },
    };
    const publisher = await createLivePublisher({
      transport: lossy,
      device: generateLiveDeviceKey(),
      recipients: [doctor.publicKey],
      sampleRate: 360,
      channels: 2,
    });
    const subscription = await subscribeLiveStream({
      transport: await connect(),
      descriptor: publisher.descriptor,
      identity: doctor,
    });
    const events = collectEvents(subscription);
    publisher.write(testSignal(90 * 8));
    await publisher.flush();
    await events.until(() => events.frames().length === 5);
    expect(events.events.filter((e) => e.type === 'gap')).toEqual([{ type: 'gap', from: 3, to: 5, reason: 'missing' }]);
    expect(events.frames().map((f) => f.sequence)).toEqual([0, 1, 2, 6, 7]);
    expect(subscription.stats).toMatchObject({ missing: 3, gaps: 1 });
    await subscription.close();
    await publisher.close();
  });

  it('rekeys on revocation while streaming: the revoked doctor gets no plaintext from the next epoch on', async () => {
    const alice = generateIdentity();
    const bob = generateIdentity();
    const mallory = generateIdentity();
    const publisher = await createLivePublisher({
      transport: await connect(),
      device: generateLiveDeviceKey(),
      recipients: [alice.publicKey, bob.publicKey],
      sampleRate: 360,
      channels: 2,
    });
    const subscribe = async (identity: typeof alice) =>
      subscribeLiveStream({ transport: await connect(), descriptor: publisher.descriptor, identity });
    const aliceSub = await subscribe(alice);
    const bobSub = await subscribe(bob);
    const mallorySub = await subscribe(mallory);
    await expect(mallorySub.access).rejects.toMatchObject({ name: 'LiveAccessDeniedError', epoch: 0 });
    const aliceEvents = collectEvents(aliceSub);
    const bobEvents = collectEvents(bobSub);

    // A wearable producing a frame every 25 ms (10x real time) while Bob's grant is revoked.
    let offset = 0;
    let running = true;
    const pump = (async () => {
      while (running) {
        publisher.write(testSignal(90, 2, offset));
        offset += 90;
        await sleep(25);
      }
    })();
    await bobEvents.until(() => bobEvents.frames().length >= 5);
    const epoch = await publisher.rekey([alice.publicKey]);
    expect(epoch).toBe(1);
    const firstRevokedSequence = publisher.nextSequence;
    await sleep(400);
    running = false;
    await pump;
    await publisher.flush();
    const last = publisher.nextSequence - 1;
    await aliceEvents.until(() => aliceSub.stats.lastSequence === last);
    await bobEvents.until(() => bobEvents.events.some((e) => e.type === 'access-denied'));
    await bobEvents.until(() => bobSub.stats.received >= last + 3);

    // Alice read everything, across the epoch change, with no gap.
    expect(aliceEvents.frames().map((f) => f.sequence)).toEqual([...Array(last + 1).keys()]);
    expect(aliceEvents.events.filter((e) => e.type === 'key').map((e) => e.type === 'key' && e.epoch)).toEqual([0, 1]);
    // Bob: frames of epoch 0 only; every frame of epoch 1 was rejected for lack of a key.
    const bobFrames = bobEvents.frames();
    expect(bobFrames.every((f) => f.epoch === 0 && f.sequence < firstRevokedSequence)).toBe(true);
    expect(bobFrames.length).toBeGreaterThanOrEqual(5);
    expect(bobSub.stats.rejected['no-key']).toBe(last - bobSub.stats.lastSequence);
    expect(bobEvents.events.find((e) => e.type === 'access-denied')).toMatchObject({ epoch: 1 });
    expect(mallorySub.stats.frames).toBe(0);
    for (const s of [aliceSub, bobSub, mallorySub]) await s.close();
    await publisher.close();
  });

  it('rotates keys on expiry (epochDurationMs) without interrupting authorised doctors', async () => {
    const doctor = generateIdentity();
    const publisher = await createLivePublisher({
      transport: await connect(),
      device: generateLiveDeviceKey(),
      recipients: [doctor.publicKey],
      sampleRate: 360,
      channels: 2,
      epochDurationMs: 100,
    });
    const subscription = await subscribeLiveStream({
      transport: await connect(),
      descriptor: publisher.descriptor,
      identity: doctor,
    });
    const events = collectEvents(subscription);
    for (let i = 0; i < 12; i++) {
      publisher.write(testSignal(90, 2, i * 90));
      await sleep(30);
    }
    await publisher.close();
    await events.until(() => subscription.stats.lastSequence === 11);
    expect(publisher.epoch).toBeGreaterThanOrEqual(2);
    expect(new Set(events.frames().map((f) => f.epoch)).size).toBeGreaterThanOrEqual(2);
    expect(events.frames().length).toBe(12);
    await subscription.close();
  });
});
