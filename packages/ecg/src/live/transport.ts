/** Connection state changes a {@link LiveTransport} reports. */
export type LiveTransportEvent =
  /** Connected (first time or again after a loss). */
  | 'connect'
  /** The connection was lost; the transport keeps trying to reconnect. */
  | 'offline'
  /** A reconnection attempt started. */
  | 'reconnect'
  /** The transport was closed for good. */
  | 'close';

/** Options of {@link LiveTransport.publish}. */
export interface LivePublishOptions {
  /**
   * Keep this message on the broker as the topic's last retained message, delivered at once to later subscribers
   * (used for key announcements).
   */
  readonly retain?: boolean;
}

/** Receives the messages of a subscribed topic. */
export type LiveMessageHandler = (payload: Uint8Array, topic: string) => void;

/**
 * The small interface the live stream code needs from a message transport: publish to a topic, subscribe to a
 * topic, close, and connection events. {@link createMqttTransport} implements it over MQTT; a WebSocket or libp2p
 * pubsub transport can implement it as well. A transport only ever sees sealed bytes.
 *
 * @example
 * ```ts
 * import type { LiveTransport } from '@mhrchain/ecg/live';
 *
 * async function echo(transport: LiveTransport) {
 *   const unsubscribe = await transport.subscribe('a/topic', (payload) => console.log(payload.length));
 *   await transport.publish('a/topic', new Uint8Array([1, 2, 3]));
 *   await unsubscribe();
 * }
 * ```
 */
export interface LiveTransport {
  /** Whether the transport is connected right now. */
  readonly connected: boolean;
  /**
   * Sends a message. While disconnected the message is queued and sent on reconnection; rejects with
   * `LiveTransportError` once the transport is closed.
   */
  publish(topic: string, payload: Uint8Array, options?: LivePublishOptions): Promise<void>;
  /** Subscribes to a topic (kept across reconnections); resolves to a function that unsubscribes. */
  subscribe(topic: string, handler: LiveMessageHandler): Promise<() => Promise<void>>;
  /** Listens to connection events; returns a function that stops listening. */
  on(event: LiveTransportEvent, listener: () => void): () => void;
  /** Closes the connection (idempotent). */
  close(): Promise<void>;
}
