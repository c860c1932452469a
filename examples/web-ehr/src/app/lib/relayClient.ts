/** The browser's side of the storage node's relay (see the server's `createRelayRoute`). */
export interface RelayClient {
  /** Appends a message to a topic; `retain` also keeps it as the topic's retained message. */
  post(topic: string, message: Uint8Array, options?: { retain?: boolean }): Promise<void>;
  /**
   * Calls `onMessage` for every message of `topic` from index `from` on, in order, until `signal` aborts.
   * Long-polls, so new messages arrive within a round trip. `from: 'latest'` skips what is already there but the
   * retained message, which comes first (MQTT-style).
   */
  follow(
    topic: string,
    onMessage: (message: Uint8Array) => void | Promise<void>,
    signal: AbortSignal,
    from?: number | 'latest',
  ): void;
}

interface Batch {
  next: number;
  messages: string[];
  retained: string | null;
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** A {@link RelayClient} for the storage node at `baseUrl`. */
export function createRelayClient(baseUrl: string): RelayClient {
  return {
    async post(topic, message, options) {
      const retain = options?.retain ? '?retain=1' : '';
      const response = await fetch(`${baseUrl}/relay/${encodeURIComponent(topic)}${retain}`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: message as Uint8Array<ArrayBuffer>,
      });
      if (!response.ok) throw new Error(`Relay refused the message: ${response.status}`);
    },
    follow(topic, onMessage, signal, from = 0) {
      const url = (next: number, wait: number) =>
        `${baseUrl}/relay/${encodeURIComponent(topic)}?from=${next}&wait=${wait}`;
      (async () => {
        let next = 0;
        if (from === 'latest') {
          const batch = (await (await fetch(url(0, 0), { signal })).json()) as Batch;
          next = batch.next;
          if (batch.retained !== null) await onMessage(fromBase64(batch.retained));
        } else next = from;
        while (!signal.aborted) {
          try {
            const response = await fetch(url(next, 15_000), { signal });
            const batch = (await response.json()) as Batch;
            for (const message of batch.messages) await onMessage(fromBase64(message));
            next = batch.next;
          } catch {
            if (signal.aborted) return;
            await new Promise((resolve) => setTimeout(resolve, 500));
          }
        }
      })().catch(() => {});
    },
  };
}
