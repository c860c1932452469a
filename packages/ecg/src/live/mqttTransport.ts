import mqtt, { type IClientOptions, type ISubscriptionMap, type MqttClient } from 'mqtt';
import { InvalidLiveParametersError, LiveTransportError } from './errors.js';
import type { LiveMessageHandler, LiveTransport, LiveTransportEvent } from './transport.js';

/** Messages of a resumed session kept until their topic is subscribed. */
const UNROUTED_LIMIT = 100_000;

const noLog = () => undefined;
const mqttDebugRequested = () => {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  if (!env) return true; // a browser: `debug` reads its own setting there
  return /mqttjs|\*/.test(env.DEBUG ?? '');
};

/** Parameters of {@link createMqttTransport}. */
export interface CreateMqttTransportParameters {
  /** Broker URL: `mqtt://127.0.0.1:1883`, `mqtts://...`, or `ws://...` in a browser. */
  readonly url: string;
  /** MQTT client id. Default: a random one. Give a stable one (per device, per doctor console) for a persistent session. */
  readonly clientId?: string;
  /** Delivery guarantee of every publish and subscription: 0 (at most once) or 1 (at least once). Default: 1. */
  readonly qos?: 0 | 1;
  /**
   * Persistent session: the broker keeps this client's subscriptions and queues the QoS 1 messages for them while
   * the client is away, for this many seconds after it disconnects (MQTT 5 session expiry; a broker with
   * persistence keeps them across its own restarts too). On reconnection the client resumes the session and
   * receives what was queued. Needs a stable `clientId`. Default: 0, a clean session (nothing is kept: messages
   * published while this client is away never reach it).
   */
  readonly sessionExpirySeconds?: number;
  /**
   * Milliseconds between reconnection attempts. A function is called each time the connection is lost, for the
   * period of that outage (jitter, backoff: 2,000 wearables should not all reconnect in the same millisecond).
   * Default: 250.
   */
  readonly reconnectPeriodMs?: number | (() => number);
  /** Milliseconds to wait for the first connection before failing. Default: 10,000. */
  readonly connectTimeoutMs?: number;
  /** Username and password, when the broker wants them. */
  readonly username?: string;
  readonly password?: string;
}

/**
 * Connects to an MQTT broker with mqtt.js and returns a {@link LiveTransport}. Subscriptions survive
 * reconnections; messages published while disconnected are queued and sent once connected again, in order.
 * Subscriptions are to exact topic names (no wildcards). With `sessionExpirySeconds` and a stable `clientId`
 * the session is persistent: what is published for this client while it is away (a broker restart, a lost
 * network) is queued by the broker and delivered when it is back.
 *
 * @throws {@link LiveTransportError} when the first connection fails within `connectTimeoutMs`.
 * @example
 * ```ts
 * import { createMqttTransport, startMosquitto } from '@mhrchain/ecg/live';
 *
 * const broker = await startMosquitto();
 * const transport = await createMqttTransport({ url: broker.url });
 * await transport.subscribe('demo', (payload) => console.log(payload));
 * await transport.publish('demo', new Uint8Array([1]));
 * await transport.close();
 * await broker.stop();
 * ```
 */
export async function createMqttTransport(parameters: CreateMqttTransportParameters): Promise<LiveTransport> {
  if (typeof parameters?.url !== 'string' || parameters.url.length === 0) {
    throw new InvalidLiveParametersError('An MQTT broker URL is required.');
  }
  const qos = parameters.qos ?? 1;
  if (qos !== 0 && qos !== 1) throw new InvalidLiveParametersError('qos must be 0 or 1.', { details: String(qos) });
  const sessionExpiry = parameters.sessionExpirySeconds ?? 0;
  if (!Number.isSafeInteger(sessionExpiry) || sessionExpiry < 0 || sessionExpiry > 0xffffffff) {
    throw new InvalidLiveParametersError('sessionExpirySeconds must be a whole number of seconds.', {
      details: String(sessionExpiry),
    });
  }
  if (sessionExpiry > 0 && !parameters.clientId) {
    throw new InvalidLiveParametersError('A persistent session (sessionExpirySeconds > 0) needs a stable clientId.');
  }
  const period = parameters.reconnectPeriodMs ?? 250;
  const nextPeriod = () => {
    const ms = typeof period === 'function' ? period() : period;
    return Number.isFinite(ms) && ms >= 1 ? Math.round(ms) : 250;
  };
  if (typeof period === 'number' && !(Number.isFinite(period) && period >= 1)) {
    throw new InvalidLiveParametersError('reconnectPeriodMs must be at least 1.', { details: String(period) });
  }
  const options: IClientOptions = {
    protocolVersion: 5,
    clean: sessionExpiry === 0,
    ...(sessionExpiry > 0 ? { properties: { sessionExpiryInterval: sessionExpiry } } : {}),
    resubscribe: true,
    queueQoSZero: true,
    reconnectPeriod: nextPeriod(),
    connectTimeout: parameters.connectTimeoutMs ?? 10_000,
    keepalive: 30,
    // mqtt.js traces every packet through `debug` (a dozen calls per message even when disabled); keep the tracing
    // only when it is asked for with DEBUG=mqttjs*.
    ...(mqttDebugRequested() ? {} : { log: noLog }),
    ...(parameters.clientId ? { clientId: parameters.clientId } : {}),
    ...(parameters.username ? { username: parameters.username } : {}),
    ...(parameters.password ? { password: parameters.password } : {}),
  };
  // the default export: mqtt's browser build has no named `connect`
  const client: MqttClient = mqtt.connect(parameters.url, options);
  const handlers = new Map<string, Set<LiveMessageHandler>>();
  const listeners = new Map<LiveTransportEvent, Set<() => void>>();
  let closed = false;
  const emit = (event: LiveTransportEvent) => {
    for (const listener of listeners.get(event) ?? []) listener();
  };
  client.on('connect', () => {
    // No Nagle delay: frames are ~200 bytes and latency-bound, and the acknowledgements of one read already leave
    // together (below). With Nagle at both ends a burst of messages on one connection waited for delayed ACKs.
    (client.stream as { setNoDelay?: (noDelay: boolean) => unknown } | undefined)?.setNoDelay?.(true);
    emit('connect');
  });
  client.on('offline', () => {
    // mqtt.js reads the period right after emitting `offline`, for every attempt of this outage.
    if (typeof period === 'function') client.options.reconnectPeriod = nextPeriod();
    emit('offline');
  });
  client.on('reconnect', () => emit('reconnect'));
  client.on('error', () => {
    // Connection errors are retried by mqtt.js; first-connection failures are reported below.
  });
  // A resumed session delivers what the broker queued as soon as the connection is up, before the caller's
  // `subscribe`: such messages are kept (up to UNROUTED_LIMIT) and handed to the first handler of their topic.
  const unrouted = new Map<string, Uint8Array[]>();
  let unroutedCount = 0;
  // QoS 1: every message received is acknowledged (PUBACK), and mqtt.js writes each acknowledgement on its own, one
  // system call per message. While the packets of one read are handled the socket is kept corked, so their
  // acknowledgements leave in one write (a doctor's connection carries many streams: a quarter of its CPU went to
  // those writes). The socket is uncorked once the packets are handled (Node only: elsewhere nothing is held).
  let corked = false;
  client.on('packetreceive', (packet) => {
    if (corked || qos === 0 || packet.cmd !== 'publish' || typeof setImmediate !== 'function') return;
    const stream = client.stream as { cork?: () => void; uncork?: () => void } | undefined;
    if (typeof stream?.cork !== 'function' || typeof stream.uncork !== 'function') return;
    stream.cork();
    corked = true;
    setImmediate(() => {
      corked = false;
      stream.uncork!();
    });
  });
  client.on('message', (topic, payload) => {
    const bytes = new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength);
    const set = handlers.get(topic);
    if (!set) {
      if (sessionExpiry === 0 || unroutedCount >= UNROUTED_LIMIT) return;
      let list = unrouted.get(topic);
      if (!list) {
        list = [];
        unrouted.set(topic, list);
      }
      list.push(bytes.slice());
      unroutedCount++;
      return;
    }
    for (const handler of set) handler(bytes, topic);
  });

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.end(true);
      reject(new LiveTransportError('Could not connect to the MQTT broker in time.', { details: parameters.url }));
    }, parameters.connectTimeoutMs ?? 10_000);
    client.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
  });

  const notRetained = { qos, retain: false } as const;
  const retained = { qos, retain: true } as const;
  const transport: LiveTransport = {
    get connected() {
      return client.connected;
    },
    publish(topic, payload, publishOptions) {
      if (closed) return Promise.reject(new LiveTransportError('The transport is closed.'));
      // One promise per message (this runs for every frame of every stream).
      return new Promise<void>((resolve, reject) => {
        client.publish(
          topic,
          Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength),
          publishOptions?.retain ? retained : notRetained,
          (cause) => {
            if (cause) reject(new LiveTransportError('Publish failed.', { details: topic, cause }));
            else resolve();
          },
        );
      });
    },
    async subscribe(topic, handler) {
      if (closed) throw new LiveTransportError('The transport is closed.');
      if (/[#+]/.test(topic))
        throw new InvalidLiveParametersError('Topic wildcards are not supported.', { details: topic });
      let set = handlers.get(topic);
      const first = !set;
      if (!set) {
        set = new Set();
        handlers.set(topic, set);
      }
      set.add(handler);
      const early = unrouted.get(topic);
      if (early) {
        unrouted.delete(topic);
        unroutedCount -= early.length;
        for (const bytes of early) handler(bytes, topic);
      }
      // Subscribed again even when another handler already holds the topic: the broker then sends the topic's
      // retained message (the key announcement) once more, for this handler too. Otherwise a handler added after the
      // retained message went by would never get it (the earlier ones see a repeat, which they ignore).
      try {
        if (first) await client.subscribeAsync(topic, { qos });
        // mqtt.js sends no SUBSCRIBE for a topic it holds, unless asked to resubscribe.
        else await client.subscribeAsync({ [topic]: { qos }, resubscribe: true } as unknown as ISubscriptionMap);
      } catch (cause) {
        set.delete(handler);
        if (first && set.size === 0) handlers.delete(topic);
        throw new LiveTransportError('Subscribe failed.', { details: topic, cause });
      }
      return async () => {
        const current = handlers.get(topic);
        if (!current?.delete(handler) || current.size > 0) return;
        handlers.delete(topic);
        if (!closed) await client.unsubscribeAsync(topic).catch(() => undefined);
      };
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      // A graceful end waits for in-flight messages; do not wait for a broker that is gone.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const forced = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          client.end(true);
          resolve();
        }, 3_000);
      });
      await Promise.race([client.endAsync(false).catch(() => client.end(true)), forced]);
      clearTimeout(timer);
      emit('close');
    },
  };
  return transport;
}
