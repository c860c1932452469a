import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { LiveParameterError, LiveTransportError } from './errors.js';
import type { LiveMessageHandler, LiveTransport, LiveTransportEvent } from './transport.js';

/** Parameters of {@link createMqttTransport}. */
export interface CreateMqttTransportParameters {
  /** Broker URL: `mqtt://127.0.0.1:1883`, `mqtts://...`, or `ws://...` in a browser. */
  readonly url: string;
  /** MQTT client id. Default: a random one. */
  readonly clientId?: string;
  /** Delivery guarantee of every publish and subscription: 0 (at most once) or 1 (at least once). Default: 1. */
  readonly qos?: 0 | 1;
  /** Milliseconds between reconnection attempts. Default: 250. */
  readonly reconnectPeriodMs?: number;
  /** Milliseconds to wait for the first connection before failing. Default: 10,000. */
  readonly connectTimeoutMs?: number;
  /** Username and password, when the broker wants them. */
  readonly username?: string;
  readonly password?: string;
}

/**
 * Connects to an MQTT broker with mqtt.js and returns a {@link LiveTransport}. Subscriptions survive
 * reconnections; messages published while disconnected are queued and sent once connected again.
 * Subscriptions are to exact topic names (no wildcards).
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
    throw new LiveParameterError('An MQTT broker URL is required.');
  }
  const qos = parameters.qos ?? 1;
  if (qos !== 0 && qos !== 1) throw new LiveParameterError('qos must be 0 or 1.', String(qos));
  const options: IClientOptions = {
    protocolVersion: 5,
    clean: true,
    resubscribe: true,
    queueQoSZero: true,
    reconnectPeriod: parameters.reconnectPeriodMs ?? 250,
    connectTimeout: parameters.connectTimeoutMs ?? 10_000,
    keepalive: 30,
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
  client.on('connect', () => emit('connect'));
  client.on('offline', () => emit('offline'));
  client.on('reconnect', () => emit('reconnect'));
  client.on('error', () => {
    // Connection errors are retried by mqtt.js; first-connection failures are reported below.
  });
  client.on('message', (topic, payload) => {
    const set = handlers.get(topic);
    if (!set) return;
    const bytes = new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength);
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

  const transport: LiveTransport = {
    get connected() {
      return client.connected;
    },
    async publish(topic, payload, publishOptions) {
      if (closed) throw new LiveTransportError('The transport is closed.');
      try {
        await client.publishAsync(topic, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength), {
          qos,
          retain: publishOptions?.retain ?? false,
        });
      } catch (cause) {
        throw new LiveTransportError('Publish failed.', { details: topic, cause });
      }
    },
    async subscribe(topic, handler) {
      if (closed) throw new LiveTransportError('The transport is closed.');
      if (/[#+]/.test(topic)) throw new LiveParameterError('Topic wildcards are not supported.', topic);
      let set = handlers.get(topic);
      const first = !set;
      if (!set) {
        set = new Set();
        handlers.set(topic, set);
      }
      set.add(handler);
      if (first) {
        try {
          await client.subscribeAsync(topic, { qos });
        } catch (cause) {
          set.delete(handler);
          if (set.size === 0) handlers.delete(topic);
          throw new LiveTransportError('Subscribe failed.', { details: topic, cause });
        }
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
