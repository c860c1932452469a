import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRelayRoute } from './relay.js';
import { type StorageNode, startStorageNode } from './storageNode.js';

interface Batch {
  next: number;
  first: number;
  messages: string[];
  retained: string | null;
}

const text = (batch: Batch) => batch.messages.map((message) => Buffer.from(message, 'base64').toString());

describe('relay', () => {
  let directory: string;
  let node: StorageNode;
  let relay: ReturnType<typeof createRelayRoute>;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'mhr-relay-'));
    relay = createRelayRoute({ maxMessages: 3, maxMessageBytes: 16 });
    node = await startStorageNode({ directory, routes: [relay] });
  });
  afterAll(async () => {
    relay?.close();
    await node?.close();
    await rm(directory, { recursive: true, force: true });
  });

  const post = (topic: string, body: string) => fetch(`${node.url}/relay/${topic}`, { method: 'POST', body });
  const read = async (topic: string, query: string) =>
    (await (await fetch(`${node.url}/relay/${topic}?${query}`)).json()) as Batch;

  it('delivers messages in order from any index', async () => {
    expect(await (await post('a', 'one')).json()).toEqual({ index: 0 });
    await post('a', 'two');
    expect(text(await read('a', 'from=0'))).toEqual(['one', 'two']);
    const rest = await read('a', 'from=1');
    expect(text(rest)).toEqual(['two']);
    expect(rest.next).toBe(2);
    expect(text(await read('other', 'from=0'))).toEqual([]);
  });

  it('accepts MQTT-style topics with slashes, encoded or not', async () => {
    await post(encodeURIComponent('mhrchain/ecg/v1/ab12'), 'frame');
    expect(text(await read('mhrchain/ecg/v1/ab12', 'from=0'))).toEqual(['frame']);
  });

  it('wakes a waiting reader when a message arrives', async () => {
    const waiting = read('b', 'from=0&wait=5000');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await post('b', 'late');
    const batch = await waiting;
    expect(text(batch)).toEqual(['late']);
    expect(batch.next).toBe(1);
  });

  it('keeps the last retained message for late readers', async () => {
    await fetch(`${node.url}/relay/d?retain=1`, { method: 'POST', body: 'key-1' });
    await post('d', 'frame');
    await fetch(`${node.url}/relay/d?retain=1`, { method: 'POST', body: 'key-2' });
    const batch = await read('d', 'from=3');
    expect(batch.messages).toEqual([]);
    expect(Buffer.from(batch.retained!, 'base64').toString()).toBe('key-2');
    expect((await read('a', 'from=0')).retained).toBeNull();
  });

  it('keeps only the newest messages and refuses oversized ones', async () => {
    for (const body of ['1', '2', '3', '4', '5']) await post('c', body);
    const batch = await read('c', 'from=0');
    expect(batch.first).toBe(2);
    expect(text(batch)).toEqual(['3', '4', '5']);
    expect((await post('c', 'x'.repeat(17))).status).toBe(413);
    expect((await fetch(`${node.url}/relay/c`, { method: 'DELETE' })).status).toBe(405);
  });
});
