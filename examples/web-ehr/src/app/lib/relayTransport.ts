import type { LiveMessageHandler, LiveTransport, LiveTransportEvent } from '@mhrchain/ecg/live';
import type { RelayClient } from './relayClient.js';

/**
 * A `LiveTransport` of `@mhrchain/ecg/live` over the storage node's relay, for browsers (which cannot speak MQTT over
 * TCP): publish is a POST, subscribe a long poll that first hands over the retained message, like an MQTT broker.
 */
export function createRelayTransport(relay: RelayClient): LiveTransport {
  const subscriptions = new Set<AbortController>();
  let open = true;
  return {
    get connected() {
      return open;
    },
    async publish(topic, payload, options) {
      await relay.post(topic, payload, { retain: options?.retain === true });
    },
    async subscribe(topic: string, handler: LiveMessageHandler) {
      const controller = new AbortController();
      subscriptions.add(controller);
      relay.follow(topic, (message) => handler(message, topic), controller.signal, 'latest');
      return async () => {
        controller.abort();
        subscriptions.delete(controller);
      };
    },
    on(_event: LiveTransportEvent, _listener: () => void) {
      // Every request stands alone: there is no connection to lose or regain.
      return () => {};
    },
    async close() {
      open = false;
      for (const controller of subscriptions) controller.abort();
      subscriptions.clear();
    },
  };
}
