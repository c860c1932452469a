import { generateIdentity, type Identity } from '@mhrchain/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLiveDeviceKey, type LiveDeviceKey } from './device.js';
import { openKeyAnnouncement } from './internal/keyAnnouncement.js';
import { collectEvents, sleep, testSignal } from './internal/testHelpers.js';
import { openFrame, readPrefix, TYPE_FRAME, TYPE_KEY } from './internal/wire.js';
import { type MosquittoInstance, startMosquitto } from './mosquitto.js';
import { createMqttTransport } from './mqttTransport.js';
import { createLivePublisher, type LivePublisher, type LivePublisherState, type PublishedFrame } from './publisher.js';
import { subscribeLiveStream } from './subscriber.js';
import type { LiveTransport } from './transport.js';

// Revocation while the stream runs, checked where it matters: on the wire, with the key the revoked doctor held.

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

/** A publisher with its archive tap, its state changes, and everything the broker carried on its topic. */
async function openStream(recipients: Identity[], options: { epochDurationMs?: number } = {}) {
  const device = generateLiveDeviceKey();
  const archived: PublishedFrame[] = [];
  const states: LivePublisherState[] = [];
  const publisher = await createLivePublisher({
    transport: await connect(),
    device,
    recipients: recipients.map((r) => r.publicKey),
    sampleRate: 360,
    channels: 2,
    sink: { append: (frame) => archived.push(frame) },
    onStateChange: (state) => states.push(state),
    ...options,
  });
  const wire: Uint8Array[] = [];
  await (await connect()).subscribe(publisher.descriptor.topic, (payload) => wire.push(payload.slice()));
  return { publisher, device, archived, states, wire };
}

/** A wearable writing one 250 ms frame every 25 ms (10x real time) until stopped. */
function pump(publisher: LivePublisher) {
  let running = true;
  let offset = 0;
  const done = (async () => {
    while (running) {
      publisher.write(testSignal(90, 2, offset));
      offset += 90;
      await sleep(25);
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
    },
  };
}

/** Waits until the eavesdropper on the topic has every message the publisher handed to the broker so far. */
async function delivered(publisher: LivePublisher, wire: Uint8Array[]) {
  await expect.poll(() => wire.length).toBe(publisher.stats.frames + publisher.stats.announcements);
}

/** Flushes the publisher, then waits for delivery. */
async function settle(publisher: LivePublisher, wire: Uint8Array[]) {
  await publisher.flush();
  await delivered(publisher, wire);
}

/** The epoch keys this identity could open from the announcements on the wire. */
async function keysOf(wire: Uint8Array[], device: LiveDeviceKey, identity: Identity) {
  const keys: Uint8Array[] = [];
  for (const message of wire) {
    if (readPrefix(message)?.type !== TYPE_KEY) continue;
    const opened = await openKeyAnnouncement(message, device.publicKey, identity);
    if (typeof opened === 'object' && opened.key) keys.push(opened.key);
  }
  return keys;
}

const framesOnWire = (wire: Uint8Array[]) =>
  wire.flatMap((bytes) => {
    const prefix = readPrefix(bytes);
    return prefix?.type === TYPE_FRAME ? [{ bytes, sequence: prefix.sequence, epoch: prefix.epoch }] : [];
  });

/** Frames on the wire from `sequence` on that any of `keys` opens. */
const openable = (wire: Uint8Array[], keys: Uint8Array[], sequence: number) =>
  framesOnWire(wire)
    .filter((f) => f.sequence >= sequence && keys.some((key) => openFrame(key, f.bytes)))
    .map((f) => f.sequence);

const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);

describe('rekey on revocation', () => {
  it('rekey([]) pauses the stream: the last revoked doctor opens no frame written after it, the archive gets them all', async () => {
    const alice = generateIdentity();
    const { publisher, device, archived, states, wire } = await openStream([alice]);
    const aliceSub = await subscribeLiveStream({
      transport: await connect(),
      descriptor: publisher.descriptor,
      identity: alice,
    });
    const aliceEvents = collectEvents(aliceSub);
    const wearable = pump(publisher);
    await aliceEvents.until(() => aliceEvents.frames().length >= 4);

    const revokedFrom = publisher.nextSequence;
    const outcome = await publisher.rekey([]).then(
      (epoch) => ({ epoch }),
      (error: Error) => ({ error: error.message }),
    );
    publisher.write(testSignal(90, 2, 10_000)); // written right after the revocation
    await sleep(300);
    await wearable.stop();
    await delivered(publisher, wire);
    await aliceEvents.until(() => aliceSub.stats.received === wire.length);

    // The key Alice held opens nothing written after the revocation, and she decrypted nothing of it.
    const aliceKeys = await keysOf(wire, device, alice);
    expect(aliceKeys).toHaveLength(1);
    expect(openable(wire, aliceKeys, revokedFrom)).toEqual([]);
    expect(aliceEvents.frames().filter((f) => f.sequence >= revokedFrom)).toEqual([]);
    await settle(publisher, wire);
    // Paused: no frame leaves the wearable for the broker, but the archive gets every frame, in order.
    expect(outcome).toEqual({ epoch: 1 });
    expect(framesOnWire(wire).filter((f) => f.sequence >= revokedFrom)).toEqual([]);
    expect(archived.map((f) => f.sequence)).toEqual(range(0, publisher.nextSequence));
    expect(publisher.stats.withheld).toBe(publisher.nextSequence - revokedFrom);
    expect(publisher.nextSequence - revokedFrom).toBeGreaterThanOrEqual(5);
    expect(publisher.state).toEqual({ status: 'paused', reason: 'no-readers', epoch: 1 });
    expect(states).toEqual([{ status: 'paused', reason: 'no-readers', epoch: 1 }]);
    // Alice learns at once that the stream's current key is not hers (the retained announcement is the new one).
    expect(aliceEvents.events.filter((e) => e.type === 'access-denied').map((e) => e.epoch)).toEqual([1]);
    await aliceSub.close();
    await publisher.close();
  });

  it('rekey from {A, B} to {B}: A opens nothing written after the call, B reads every frame without a gap', async () => {
    const alice = generateIdentity();
    const bob = generateIdentity();
    const { publisher, device, wire } = await openStream([alice, bob]);
    const subscribe = async (identity: Identity) =>
      collectEvents(
        await subscribeLiveStream({ transport: await connect(), descriptor: publisher.descriptor, identity }),
      );
    const aliceEvents = await subscribe(alice);
    const bobEvents = await subscribe(bob);
    const wearable = pump(publisher);
    await aliceEvents.until(() => aliceEvents.frames().length >= 4);

    const revokedFrom = publisher.nextSequence;
    const rekeyed = publisher.rekey([bob.publicKey]);
    publisher.write(testSignal(90, 2, 10_000)); // written while the new key is being wrapped
    expect(await rekeyed).toBe(1);
    await sleep(300);
    await wearable.stop();
    await settle(publisher, wire);
    const last = publisher.nextSequence - 1;
    await bobEvents.until(() => bobEvents.frames().at(-1)?.sequence === last);
    await aliceEvents.until(() => aliceEvents.events.some((e) => e.type === 'access-denied'));

    expect(openable(wire, await keysOf(wire, device, alice), revokedFrom)).toEqual([]);
    expect(aliceEvents.frames().every((f) => f.sequence < revokedFrom && f.epoch === 0)).toBe(true);
    // Bob: every frame, both epochs, in order, no gap, the new epoch starting exactly where the revocation was.
    expect(bobEvents.frames().map((f) => f.sequence)).toEqual(range(0, last + 1));
    expect(bobEvents.events.some((e) => e.type === 'gap')).toBe(false);
    expect(bobEvents.events.filter((e) => e.type === 'key')).toEqual([
      { type: 'key', epoch: 0, firstSequence: 0 },
      { type: 'key', epoch: 1, firstSequence: revokedFrom },
    ]);
    expect(bobEvents.frames().every((f) => f.epoch === (f.sequence < revokedFrom ? 0 : 1))).toBe(true);
    expect(publisher.state).toEqual({ status: 'live', epoch: 1 });
    await publisher.close();
  });

  it('rekey to [] then to [B]: B reads again under a fresh key, the revoked A never', async () => {
    const alice = generateIdentity();
    const bob = generateIdentity();
    const { publisher, device, archived, states, wire } = await openStream([alice, bob]);
    const subscribe = async (identity: Identity) =>
      collectEvents(
        await subscribeLiveStream({ transport: await connect(), descriptor: publisher.descriptor, identity }),
      );
    const aliceEvents = await subscribe(alice);
    const bobEvents = await subscribe(bob);
    const wearable = pump(publisher);
    await bobEvents.until(() => bobEvents.frames().length >= 4);

    const pausedFrom = publisher.nextSequence;
    expect(await publisher.rekey([])).toBe(1);
    await sleep(250);
    const resumedFrom = publisher.nextSequence;
    expect(resumedFrom).toBeGreaterThan(pausedFrom);
    expect(await publisher.rekey([bob.publicKey])).toBe(2);
    await sleep(250);
    await wearable.stop();
    await settle(publisher, wire);
    const last = publisher.nextSequence - 1;
    await bobEvents.until(() => bobEvents.frames().at(-1)?.sequence === last);
    await aliceEvents.until(() => aliceEvents.events.filter((e) => e.type === 'access-denied').length === 2);

    // Alice: nothing after the pause, not even after Bob's access resumed; her keys open none of it.
    expect(openable(wire, await keysOf(wire, device, alice), pausedFrom)).toEqual([]);
    expect(aliceEvents.frames().every((f) => f.sequence < pausedFrom)).toBe(true);
    expect(aliceEvents.events.filter((e) => e.type === 'access-denied').map((e) => e.epoch)).toEqual([1, 2]);
    // Bob: before the pause and from the resumption on, the pause reported as one gap.
    expect(bobEvents.frames().map((f) => f.sequence)).toEqual([
      ...range(0, pausedFrom),
      ...range(resumedFrom, last + 1),
    ]);
    expect(bobEvents.events.filter((e) => e.type === 'gap')).toEqual([
      { type: 'gap', from: pausedFrom, to: resumedFrom - 1, reason: 'missing' },
    ]);
    expect(bobEvents.events.filter((e) => e.type === 'access-denied').map((e) => e.epoch)).toEqual([1]);
    expect(bobEvents.events.filter((e) => e.type === 'key').map((e) => e.type === 'key' && e.epoch)).toEqual([0, 2]);
    // The wire carried no frame of the pause; the archive has them all.
    expect(framesOnWire(wire).filter((f) => f.sequence >= pausedFrom && f.sequence < resumedFrom)).toEqual([]);
    expect(archived.map((f) => f.sequence)).toEqual(range(0, last + 1));
    expect(states).toEqual([
      { status: 'paused', reason: 'no-readers', epoch: 1 },
      { status: 'live', epoch: 2 },
    ]);
    await publisher.close();
  });

  it('starts paused with no reader, stays paused through expiry timers and rekey(), and goes live for a reader', async () => {
    const doctor = generateIdentity();
    const { publisher, device, states, wire } = await openStream([], { epochDurationMs: 40 });
    expect(publisher.state).toEqual({ status: 'paused', reason: 'no-readers', epoch: 0 });
    const events = collectEvents(
      await subscribeLiveStream({ transport: await connect(), descriptor: publisher.descriptor, identity: doctor }),
    );
    publisher.write(testSignal(90 * 4));
    await sleep(200); // five expiry periods: nothing to rotate while nobody can read
    expect(await publisher.rekey()).toBe(0);
    await settle(publisher, wire);
    expect(publisher.stats).toMatchObject({ frames: 0, withheld: 4, announcements: 1 });
    expect(framesOnWire(wire)).toEqual([]);
    await events.until(() => events.events.some((e) => e.type === 'access-denied'));
    expect(await keysOf(wire, device, doctor)).toEqual([]);

    expect(await publisher.rekey([doctor.publicKey])).toBe(1);
    publisher.write(testSignal(90 * 2, 2, 360));
    await publisher.flush();
    await events.until(() => events.frames().length === 2);
    expect(events.frames().map((f) => [f.epoch, f.sequence])).toEqual([
      [1, 4],
      [1, 5],
    ]);
    expect(states[0]).toEqual({ status: 'live', epoch: 1 });
    await publisher.close();
  });

  it('fails closed when the new key cannot be wrapped: nothing published until a later rekey succeeds', async () => {
    const alice = generateIdentity();
    const { publisher, device, states, wire } = await openStream([alice]);
    const events = collectEvents(
      await subscribeLiveStream({ transport: await connect(), descriptor: publisher.descriptor, identity: alice }),
    );
    publisher.write(testSignal(90 * 2));
    const failedFrom = publisher.nextSequence;
    const tooMany = Array.from({ length: 1025 }, () => generateIdentity().publicKey); // core's envelope takes 1,024
    const failed = publisher.rekey(tooMany);
    publisher.write(testSignal(90 * 2, 2, 180));
    await expect(failed).rejects.toMatchObject({ name: 'InvalidParametersError' });
    expect(publisher.state).toEqual({ status: 'paused', reason: 'rekey-failed', epoch: 1 });
    publisher.write(testSignal(90, 2, 360));
    await settle(publisher, wire);
    expect(framesOnWire(wire).map((f) => f.sequence)).toEqual([0, 1]);
    expect(publisher.stats.withheld).toBe(3);
    expect(openable(wire, await keysOf(wire, device, alice), failedFrom)).toEqual([]);

    expect(await publisher.rekey([alice.publicKey])).toBe(2);
    publisher.write(testSignal(90, 2, 450));
    await settle(publisher, wire);
    await events.until(() => events.frames().length === 3);
    expect(events.frames().map((f) => [f.epoch, f.sequence])).toEqual([
      [0, 0],
      [0, 1],
      [2, 5],
    ]);
    expect(states).toEqual([
      { status: 'paused', reason: 'rekey-failed', epoch: 1 },
      { status: 'live', epoch: 2 },
    ]);
    await publisher.close();
  });
});
