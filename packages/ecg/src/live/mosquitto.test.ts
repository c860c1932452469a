import { afterAll, describe, expect, it } from 'vitest';
import { MosquittoStartError } from './errors.js';
import { startMosquitto } from './mosquitto.js';
import { createMqttTransport } from './mqttTransport.js';

const alive = (pid: number | undefined) => {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('startMosquitto', () => {
  const brokers: { stop(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const broker of brokers) await broker.stop();
  });

  it('starts on a free loopback port, carries messages, restarts on the same port and stops without orphans', async () => {
    const broker = await startMosquitto();
    brokers.push(broker);
    expect(broker.url).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
    const transport = await createMqttTransport({ url: broker.url });
    const received: Uint8Array[] = [];
    await transport.subscribe('t/1', (payload) => received.push(payload.slice()));
    await transport.publish('t/1', new Uint8Array([1, 2, 3]));
    await expect.poll(() => received.length).toBe(1);
    expect(received[0]).toEqual(new Uint8Array([1, 2, 3]));

    const firstPid = broker.pid;
    let offline = 0;
    let reconnected = 0;
    transport.on('offline', () => offline++);
    transport.on('connect', () => reconnected++);
    await broker.restart();
    expect(alive(firstPid)).toBe(false);
    expect(broker.pid).not.toBe(firstPid);
    await expect.poll(() => reconnected, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(offline).toBeGreaterThan(0);
    // The subscription survived the restart.
    await transport.publish('t/1', new Uint8Array([4]));
    await expect.poll(() => received.length, { timeout: 10_000 }).toBe(2);

    await transport.close();
    const pid = broker.pid;
    await broker.stop();
    expect(alive(pid)).toBe(false);
  });

  it('fails with a typed error for a missing binary, saying how to install it', async () => {
    const failure = startMosquitto({ binary: '/nonexistent/mosquitto' });
    await expect(failure).rejects.toBeInstanceOf(MosquittoStartError);
    await expect(failure).rejects.toThrow(/not installed at \/nonexistent\/mosquitto.*apt-get install mosquitto/);
  });
});

describe('createMqttTransport', () => {
  it('closes promptly even when the broker is gone, and refuses to publish afterwards', async () => {
    const broker = await startMosquitto();
    const transport = await createMqttTransport({ url: broker.url, qos: 1 });
    await broker.stop();
    await transport.close();
    await expect(transport.publish('t', new Uint8Array([1]))).rejects.toMatchObject({ name: 'LiveTransportError' });
  });

  it('a persistent session gets what was published while it was away, in order, even before it subscribes again', async () => {
    const broker = await startMosquitto();
    const clientId = `doctor-${Math.random().toString(36).slice(2)}`;
    const away = await createMqttTransport({ url: broker.url, clientId, sessionExpirySeconds: 60 });
    await away.subscribe('t/p', () => undefined);
    await away.close();
    const sender = await createMqttTransport({ url: broker.url });
    for (let i = 0; i < 5; i++) await sender.publish('t/p', new Uint8Array([i]));
    const back = await createMqttTransport({ url: broker.url, clientId, sessionExpirySeconds: 60 });
    const clean = await createMqttTransport({ url: broker.url, clientId: `${clientId}-clean` });
    await new Promise((resolve) => setTimeout(resolve, 300)); // the queued messages arrive before the subscribe
    const received: number[] = [];
    await back.subscribe('t/p', (payload) => received.push(payload[0]!));
    await expect.poll(() => received).toEqual([0, 1, 2, 3, 4]);
    const cleanReceived: number[] = [];
    await clean.subscribe('t/p', (payload) => cleanReceived.push(payload[0]!));
    await sender.publish('t/p', new Uint8Array([5]));
    await expect.poll(() => received).toEqual([0, 1, 2, 3, 4, 5]);
    expect(cleanReceived).toEqual([5]);
    for (const transport of [sender, back, clean]) await transport.close();
    await broker.stop();
  });

  it('gives the retained message to a second handler of a topic the transport already subscribed', async () => {
    const broker = await startMosquitto({ persistence: false });
    const publisher = await createMqttTransport({ url: broker.url });
    const reader = await createMqttTransport({ url: broker.url });
    try {
      await publisher.publish('retained/topic', new Uint8Array([7]), { retain: true });
      const first: number[] = [];
      const second: number[] = [];
      await reader.subscribe('retained/topic', (bytes) => first.push(bytes[0]!));
      for (let i = 0; i < 100 && first.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(first).toEqual([7]);
      await reader.subscribe('retained/topic', (bytes) => second.push(bytes[0]!));
      for (let i = 0; i < 100 && second.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(second).toEqual([7]);
    } finally {
      await publisher.close();
      await reader.close();
      await broker.stop();
    }
  });

  it('refuses a persistent session without a stable client id, and bad session or reconnect settings', async () => {
    const url = 'mqtt://127.0.0.1:1';
    for (const parameters of [
      { url, sessionExpirySeconds: 60 },
      { url, clientId: 'a', sessionExpirySeconds: -1 },
      { url, clientId: 'a', sessionExpirySeconds: 1.5 },
      { url, reconnectPeriodMs: 0 },
    ]) {
      await expect(createMqttTransport(parameters)).rejects.toMatchObject({ name: 'InvalidLiveParametersError' });
    }
  });

  it('fails with a typed error when no broker answers', async () => {
    await expect(
      createMqttTransport({ url: 'mqtt://127.0.0.1:1', connectTimeoutMs: 500, reconnectPeriodMs: 100 }),
    ).rejects.toMatchObject({ name: 'LiveTransportError' });
  });
});
