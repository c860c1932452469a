import type { IncomingMessage, ServerResponse } from 'node:http';
import { json, readBody, type StorageNodeRoute } from './storageNode.js';

/** Options of {@link createRelayRoute}. */
export interface RelayOptions {
  /** Largest message, in bytes. Default 1 MiB. */
  maxMessageBytes?: number;
  /** Messages kept per topic (older ones are dropped). Default 4096. */
  maxMessages?: number;
  /** Longest a reader may wait for new messages, in milliseconds. Default 20 s. */
  maxWaitMs?: number;
}

interface Topic {
  /** Index of `messages[0]`. */
  offset: number;
  messages: string[];
  /** The retained message (MQTT-style): the last one posted with `?retain=1`. */
  retained: string | null;
  waiters: Set<() => void>;
}

const TOPIC = /^\/relay\/([A-Za-z0-9:_.%/-]{1,300})$/;

/**
 * A store-and-forward relay between browsers, addressed by topic: `POST /relay/<topic>` appends a message (any
 * bytes; the app only ever sends sealed ones), `GET /relay/<topic>?from=<n>&wait=<ms>` answers
 * `{ next, messages }` (base64), waiting up to `wait` ms when nothing is new (long polling). The app uses it as
 * the patient's mailbox (sealed OTP responses) and to carry the encrypted live ECG. `POST ...?retain=1` also keeps
 * the message as the topic's retained one (MQTT-style, answered as `retained`), so a late reader gets the current
 * stream descriptor and key announcement. The relay sees only ciphertext and public descriptors.
 *
 * @example
 * ```ts
 * const node = await startStorageNode({ directory, routes: [createRelayRoute()] });
 * ```
 */
export function createRelayRoute(options: RelayOptions = {}): StorageNodeRoute & { close(): void } {
  const maxMessageBytes = options.maxMessageBytes ?? 1024 * 1024;
  const maxMessages = options.maxMessages ?? 4096;
  const maxWaitMs = options.maxWaitMs ?? 20_000;
  const topics = new Map<string, Topic>();
  const timers = new Set<NodeJS.Timeout>();

  const topicOf = (name: string): Topic => {
    let topic = topics.get(name);
    if (!topic) {
      topic = { offset: 0, messages: [], retained: null, waiters: new Set() };
      topics.set(name, topic);
    }
    return topic;
  };

  async function post(request: IncomingMessage, response: ServerResponse, url: URL, topic: Topic): Promise<void> {
    const body = await readBody(request, maxMessageBytes);
    if (body === undefined) return json(response, 413, { error: `message larger than ${maxMessageBytes} bytes` });
    const message = Buffer.from(body).toString('base64');
    if (url.searchParams.get('retain') === '1') topic.retained = message;
    topic.messages.push(message);
    if (topic.messages.length > maxMessages) {
      const dropped = topic.messages.length - maxMessages;
      topic.messages.splice(0, dropped);
      topic.offset += dropped;
    }
    const index = topic.offset + topic.messages.length - 1;
    for (const wake of topic.waiters) wake();
    json(response, 200, { index });
  }

  async function get(response: ServerResponse, url: URL, topic: Topic): Promise<void> {
    const from = Math.max(0, Number.parseInt(url.searchParams.get('from') ?? '0', 10) || 0);
    const wait = Math.min(maxWaitMs, Math.max(0, Number.parseInt(url.searchParams.get('wait') ?? '0', 10) || 0));
    const end = () => topic.offset + topic.messages.length;
    if (end() <= from && wait > 0) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          timers.delete(timer);
          topic.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, wait);
        timers.add(timer);
        topic.waiters.add(wake);
        response.once('close', wake);
      });
    }
    const start = Math.max(from, topic.offset);
    json(response, 200, {
      next: Math.max(from, end()),
      messages: topic.messages.slice(start - topic.offset),
      first: start,
      retained: topic.retained,
    });
  }

  const route: StorageNodeRoute = async (request, response, url) => {
    const match = TOPIC.exec(url.pathname);
    if (!match) return false;
    let name: string;
    try {
      name = decodeURIComponent(match[1]!);
    } catch {
      json(response, 400, { error: 'bad topic' });
      return true;
    }
    const topic = topicOf(name);
    if (request.method === 'POST') await post(request, response, url, topic);
    else if (request.method === 'GET') await get(response, url, topic);
    else json(response, 405, { error: 'use GET or POST' });
    return true;
  };
  return Object.assign(route, {
    close() {
      for (const timer of timers) clearTimeout(timer);
      for (const topic of topics.values()) for (const wake of topic.waiters) wake();
    },
  });
}
