import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { generateIdentity, type Identity } from '@mhrchain/core';
import { afterAll, describe, expect, it } from 'vitest';
import { generateLiveDeviceKey } from './device.js';
import { collectEvents, sleep, testSignal } from './internal/testHelpers.js';
import { readPrefix, TYPE_GAP } from './internal/wire.js';
import { createLiveMonitor } from './monitor.js';
import { type MosquittoInstance, startMosquitto } from './mosquitto.js';
import { createMqttTransport } from './mqttTransport.js';
import { createLivePublisher, type LiveDroppedFrames } from './publisher.js';
import { subscribeLiveStream } from './subscriber.js';
import type { LiveTransport, LiveTransportEvent } from './transport.js';

// Delivery across broker restarts, against a real Mosquitto with persistence, restarted on the same port from the
// same directory: persistent sessions lose nothing whatever the order in which the two sides come back; past the
// wearable's offline queue, the exact range dropped is reported.

const brokers: MosquittoInstance[] = [];
const transports: LiveTransport[] = [];
afterAll(async () => {
  for (const transport of transports) await transport.close();
  for (const broker of brokers) await broker.stop();
});

/** A small seeded PRNG (mulberry32), so a failing run can be replayed. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

/** Records when a transport emitted each event. */
function timeline(transport: LiveTransport, events: LiveTransportEvent[] = ['offline', 'connect']) {
  const seen: { event: LiveTransportEvent; at: number }[] = [];
  for (const event of events) transport.on(event, () => seen.push({ event, at: performance.now() }));
  return seen;
}

describe('persistent sessions across broker restarts', () => {
  it('five restarts of Mosquitto mid-stream (one of 10 s), random reconnect delays on both sides: every frame arrives once, in order', async () => {
    const seed = Number(process.env.LIVE_RESTART_SEED ?? 20261204);
    const random = prng(seed);
    const broker = await startMosquitto();
    brokers.push(broker);
    const downtimes = [10_000, ...Array.from({ length: 4 }, () => 200 + Math.floor(random() * 2_500))];
    // Per outage, who comes back first alternates; how long each waits is random.
    const wearableDelays = downtimes.map((_, k) => (k % 2 === 0 ? 50 + random() * 400 : 1_500 + random() * 2_500));
    const doctorDelays = downtimes.map((_, k) => (k % 2 === 0 ? 1_500 + random() * 2_500 : 50 + random() * 400));
    const delays = (list: number[]) => {
      let outage = 0;
      return () => list[Math.min(outage++, list.length - 1)]!;
    };
    const connect = async (clientId: string, reconnectPeriodMs: () => number) => {
      const transport = await createMqttTransport({
        url: broker.url,
        clientId: `${clientId}-${seed}`,
        sessionExpirySeconds: 600,
        reconnectPeriodMs,
      });
      transports.push(transport);
      return transport;
    };
    const doctors = [generateIdentity(), generateIdentity()];
    const wearableTransport = await connect('wearable', delays(wearableDelays));
    const doctorTransports = [
      await connect('doctor-0', delays(doctorDelays)),
      await connect('doctor-1', delays(doctorDelays.map((d) => d * 0.6))),
    ];
    const wearableTimeline = timeline(wearableTransport);
    const doctorTimeline = timeline(doctorTransports[0]!);
    const publisher = await createLivePublisher({
      transport: wearableTransport,
      device: generateLiveDeviceKey(),
      recipients: doctors.map((d) => d.publicKey),
      sampleRate: 360,
      channels: 2,
    });
    const subscriptions = await Promise.all(
      doctors.map((identity, i) =>
        subscribeLiveStream({ transport: doctorTransports[i]!, descriptor: publisher.descriptor, identity }),
      ),
    );
    const collected = subscriptions.map(collectEvents);
    for (const subscription of subscriptions) expect(await subscription.access).toBe(0);

    // A wearable writing one 250 ms frame every 25 ms (10x real time) through all the restarts.
    let running = true;
    let written = 0;
    let maxQueued = 0;
    const wearable = (async () => {
      while (running) {
        publisher.write(testSignal(90, 2, written * 90));
        written++;
        maxQueued = Math.max(maxQueued, publisher.stats.queued);
        await sleep(25);
      }
    })();
    const writtenWhileDown: number[] = [];
    const { port, directory } = broker;
    const pids = new Set([broker.pid]);
    const allConnected = () => wearableTransport.connected && doctorTransports.every((t) => t.connected);
    for (const downtimeMs of downtimes) {
      await expect.poll(allConnected, { timeout: 15_000 }).toBe(true);
      await sleep(400 + random() * 600);
      const before = written;
      await broker.restart({ downtimeMs });
      writtenWhileDown.push(written - before);
      pids.add(broker.pid);
    }
    // Wait for both sides to be back from the last restart, then stream a little more.
    await expect.poll(allConnected, { timeout: 15_000 }).toBe(true);
    await sleep(500);
    running = false;
    await wearable;
    await publisher.flush();
    const last = publisher.nextSequence - 1;
    for (const events of collected) {
      await events.until(() => events.frames().at(-1)?.sequence === last, 30_000);
    }

    // The outages were real: five broker processes after the first, on the same port, from the same persistence
    // directory; frames were written while the broker was down, and queued on the wearable.
    expect(pids.size).toBe(6);
    expect(broker.port).toBe(port);
    expect(broker.directory).toBe(directory);
    expect(existsSync(join(directory, 'mosquitto.db'))).toBe(true);
    expect(writtenWhileDown.every((n) => n > 0)).toBe(true);
    expect(writtenWhileDown[0]).toBeGreaterThan(200); // the 10 s outage
    expect(maxQueued).toBeGreaterThan(200);
    expect(publisher.stats).toMatchObject({ dropped: 0, gapNotices: 0, failures: 0, queued: 0 });
    // Both reconnect orders happened: the wearable back first in some outages, the doctor back first in others.
    const firstBack = downtimes.map((_, k) => {
      const wearableBack = wearableTimeline.filter((e) => e.event === 'connect')[k]!.at;
      const doctorBack = doctorTimeline.filter((e) => e.event === 'connect')[k]!.at;
      return wearableBack < doctorBack ? 'wearable' : 'doctor';
    });
    expect(new Set(firstBack)).toEqual(new Set(['wearable', 'doctor']));

    for (const [i, events] of collected.entries()) {
      const frames = events.frames();
      // Every frame exactly once, in order, intact; no gap, nothing late. QoS 1 redeliveries are dropped as replays.
      expect(frames.map((f) => f.sequence)).toEqual(range(0, last));
      for (const frame of frames) expect(frame.samples).toEqual(testSignal(90, 2, frame.sequence * 90));
      expect(events.events.filter((e) => e.type === 'gap')).toEqual([]);
      const stats = subscriptions[i]!.stats;
      expect(stats).toMatchObject({ frames: last + 1, missing: 0, gaps: 0 });
      const { replay, ...others } = stats.rejected;
      expect(Object.values(others).every((n) => n === 0)).toBe(true);
      expect(events.events.filter((e) => e.type === 'connection' && e.state === 'connect').length).toBe(5);
    }
    for (const subscription of subscriptions) await subscription.close();
    await publisher.close();
  }, 120_000);
});

describe('persistent sessions across a restart of the doctor app', () => {
  it('a doctor app that quits and comes back with the same client id reads on from where it stopped, in order', async () => {
    const broker = await startMosquitto();
    brokers.push(broker);
    const id = Math.random().toString(36).slice(2);
    const connect = async (clientId: string) => {
      const transport = await createMqttTransport({ url: broker.url, clientId, sessionExpirySeconds: 600 });
      transports.push(transport);
      return transport;
    };
    const doctor = generateIdentity();
    const publisher = await createLivePublisher({
      transport: await connect(`wearable-${id}`),
      device: generateLiveDeviceKey(),
      recipients: [doctor.publicKey],
      sampleRate: 360,
      channels: 2,
    });
    const before = collectEvents(
      await subscribeLiveStream({
        transport: await connect(`doctor-${id}`),
        descriptor: publisher.descriptor,
        identity: doctor,
      }),
    );
    let n = 0;
    const write = async (count: number) => {
      for (let i = 0; i < count; i++, n++) publisher.write(testSignal(90, 2, n * 90));
      await publisher.flush();
    };
    await write(10);
    await before.until(() => before.frames().at(-1)?.sequence === 9);
    // The app quits without unsubscribing (its session stays on the broker), the wearable streams on.
    await transports.at(-1)!.close();
    await write(10);
    const subscription = await subscribeLiveStream({
      transport: await connect(`doctor-${id}`),
      descriptor: publisher.descriptor,
      identity: doctor,
    });
    const after = collectEvents(subscription);
    await write(5);
    await after.until(() => after.frames().at(-1)?.sequence === 24);
    // Frames 10..19 were queued by the broker and came before the retained key announcement: held, then opened.
    expect(after.frames().map((f) => f.sequence)).toEqual(range(10, 24));
    for (const frame of after.frames()) expect(frame.samples).toEqual(testSignal(90, 2, frame.sequence * 90));
    expect(Object.values(subscription.stats.rejected).every((count) => count === 0)).toBe(true);
    expect(after.events.filter((e) => e.type === 'gap')).toEqual([]);
    await subscription.close();
    await publisher.close();
  }, 60_000);
});

describe('offline queue limits', () => {
  /** A wearable and a doctor on one broker, both with persistent sessions. */
  async function openStream(options: { maxFrames?: number; maxBytes?: number }) {
    const broker = await startMosquitto();
    brokers.push(broker);
    const id = Math.random().toString(36).slice(2);
    const connect = async (clientId: string) => {
      const transport = await createMqttTransport({
        url: broker.url,
        clientId: `${clientId}-${id}`,
        sessionExpirySeconds: 600,
        reconnectPeriodMs: 100,
      });
      transports.push(transport);
      return transport;
    };
    const doctor = generateIdentity();
    const wearableTransport = await connect('wearable');
    const dropped: LiveDroppedFrames[] = [];
    const publisher = await createLivePublisher({
      transport: wearableTransport,
      device: generateLiveDeviceKey(),
      recipients: [doctor.publicKey],
      sampleRate: 360,
      channels: 2,
      offlineQueue: options,
      onFramesDropped: (range) => dropped.push(range),
    });
    const subscription = await subscribeLiveStream({
      transport: await connect('doctor'),
      descriptor: publisher.descriptor,
      identity: doctor as Identity,
    });
    const events = collectEvents(subscription);
    await subscription.access;
    // What the broker carried on the topic.
    const wire: Uint8Array[] = [];
    const eavesdropper = await connect('eavesdropper');
    await eavesdropper.subscribe(publisher.descriptor.topic, (payload) => wire.push(payload.slice()));
    return { broker, wearableTransport, publisher, subscription, events, dropped, wire, eavesdropper };
  }

  it('keeps the newest maxFrames while the broker is down; the doctor and the monitor learn the exact range dropped', async () => {
    const { broker, wearableTransport, publisher, subscription, events, dropped, wire, eavesdropper } =
      await openStream({ maxFrames: 20 });
    let n = 0;
    const write = (count: number) => {
      for (let i = 0; i < count; i++, n++) publisher.write(testSignal(90, 2, n * 90));
    };
    write(10); // 0..9, delivered
    await events.until(() => subscription.stats.lastSequence === 9);
    const offline = new Promise<void>((resolve) => wearableTransport.on('offline', resolve));
    const restarted = broker.restart({ downtimeMs: 1_000 });
    await offline;
    write(50); // 10..59 while offline: the queue keeps 40..59
    expect(publisher.stats).toMatchObject({ queued: 20, dropped: 30 });
    expect(publisher.stats.queuedBytes).toBeGreaterThan(20 * 100);
    await restarted;
    await publisher.flush();
    write(5); // 60..64
    await publisher.flush();
    await events.until(() => events.frames().at(-1)?.sequence === 64);

    expect(dropped).toEqual([{ from: 10, to: 39 }]);
    expect(publisher.stats).toMatchObject({ queued: 0, queuedBytes: 0, dropped: 30, gapNotices: 1 });
    expect(events.events.filter((e) => e.type === 'gap')).toEqual([
      { type: 'gap', from: 10, to: 39, reason: 'dropped' },
    ]);
    expect(events.frames().map((f) => f.sequence)).toEqual([...range(0, 9), ...range(40, 64)]);
    expect(subscription.stats).toMatchObject({ missing: 30, dropped: 30, gaps: 1 });
    // The gap comes in order: after frame 9, before frame 40.
    const order = events.events.flatMap((e): (number | string)[] =>
      e.type === 'frame' ? [e.sequence] : e.type === 'gap' ? ['gap'] : [],
    );
    expect(order.slice(9, 12)).toEqual([9, 'gap', 40]);
    const monitor = createLiveMonitor({ samples: false });
    const losses = events.events.flatMap((e) => monitor.push(e)).filter((e) => e.type === 'signal-loss');
    expect(losses).toEqual([{ type: 'signal-loss', from: 10, to: 39, reason: 'dropped' }]);
    // The notice on the wire names the range and nothing else; a second copy of it (a QoS 1 redelivery, or a
    // replay) is dropped as a replay, not reported twice.
    // The eavesdropper's persistent session may come back after the doctor's: wait for what the broker kept for it.
    const isNotice = (m: Uint8Array) => readPrefix(m)?.type === TYPE_GAP;
    for (let tries = 0; tries < 400 && !wire.some(isNotice); tries++) await sleep(25);
    const notices = wire.filter(isNotice);
    expect(notices.map((m) => readPrefix(m)!.sequence)).toEqual([10]);
    const replays = subscription.stats.rejected.replay; // QoS 1 redeliveries after the restart, if any
    await eavesdropper.publish(publisher.descriptor.topic, notices[0]!);
    await events.until(() => subscription.stats.rejected.replay === replays + 1);
    expect(events.events.filter((e) => e.type === 'gap')).toHaveLength(1);
    await subscription.close();
    await publisher.close();
  }, 60_000);

  it('applies maxBytes as well, and reports two outages as two ranges', async () => {
    const { broker, wearableTransport, publisher, subscription, events, dropped } = await openStream({
      maxBytes: 2_000,
    });
    let n = 0;
    const write = (count: number) => {
      for (let i = 0; i < count; i++, n++) publisher.write(testSignal(90, 2, n * 90));
    };
    const outage = async (frames: number) => {
      const offline = new Promise<void>((resolve) => {
        const off = wearableTransport.on('offline', () => {
          off();
          resolve();
        });
      });
      const restarted = broker.restart({ downtimeMs: 500 });
      await offline;
      write(frames);
      expect(publisher.stats.queuedBytes).toBeLessThanOrEqual(2_000);
      expect(publisher.stats.queued).toBeGreaterThan(2);
      const kept = publisher.stats.queued;
      await restarted;
      await publisher.flush();
      return kept;
    };
    write(3); // 0..2
    const kept1 = await outage(40); // 3..42
    write(2);
    const kept2 = await outage(30);
    write(1);
    await publisher.flush();
    const last = n - 1;
    await events.until(() => events.frames().at(-1)?.sequence === last);

    const first = { from: 3, to: 42 - kept1 };
    const second = { from: 45, to: 44 + 30 - kept2 };
    expect(dropped).toEqual([first, second]);
    expect(events.events.filter((e) => e.type === 'gap')).toEqual([
      { type: 'gap', ...first, reason: 'dropped' },
      { type: 'gap', ...second, reason: 'dropped' },
    ]);
    const expected = range(0, last).filter(
      (s) => !(s >= first.from && s <= first.to) && !(s >= second.from && s <= second.to),
    );
    expect(events.frames().map((f) => f.sequence)).toEqual(expected);
    await subscription.close();
    await publisher.close();
  }, 60_000);
});
