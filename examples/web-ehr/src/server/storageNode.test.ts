import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CarWriter } from '@ipld/car';
import * as dagCbor from '@ipld/dag-cbor';
import { CID } from 'multiformats/cid';
import { sha256 } from 'multiformats/hashes/sha2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StorageNode, startStorageNode } from './storageNode.js';

async function block(value: unknown) {
  const bytes = dagCbor.encode(value);
  return { cid: CID.createV1(dagCbor.code, await sha256.digest(bytes)), bytes };
}

async function car(root: CID, blocks: Array<{ cid: CID; bytes: Uint8Array }>): Promise<Uint8Array<ArrayBuffer>> {
  const { writer, out } = CarWriter.create([root]);
  const chunks: Uint8Array[] = [];
  const collecting = (async () => {
    for await (const chunk of out) chunks.push(chunk);
  })();
  for (const entry of blocks) await writer.put(entry);
  await writer.close();
  await collecting;
  return new Uint8Array(Buffer.concat(chunks));
}

const raw = { accept: 'application/vnd.ipld.raw' };

describe('storage node', () => {
  let directory: string;
  let node: StorageNode;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'mhr-storage-'));
    node = await startStorageNode({ directory });
  });
  afterAll(async () => {
    await node?.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('imports a CAR and serves its blocks as a trustless gateway', async () => {
    const leaf = await block({ hello: 'world' });
    const root = await block({ child: leaf.cid });
    const upload = await fetch(`${node.url}/car?pin=1`, { method: 'POST', body: await car(root.cid, [root, leaf]) });
    expect(upload.status).toBe(200);
    expect(await upload.json()).toEqual({ roots: [root.cid.toString()], blocks: 2 });

    const answer = await fetch(`${node.url}/ipfs/${leaf.cid}`, { headers: raw });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/vnd.ipld.raw');
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    expect(new Uint8Array(await answer.arrayBuffer())).toEqual(leaf.bytes);
    const byQuery = await fetch(`${node.url}/ipfs/${root.cid}?format=raw`);
    expect(new Uint8Array(await byQuery.arrayBuffer())).toEqual(root.bytes);
  });

  it('refuses a block that does not match its CID and does not store it', async () => {
    const genuine = await block({ record: 1 });
    const forged = { cid: genuine.cid, bytes: dagCbor.encode({ record: 2 }) };
    const upload = await fetch(`${node.url}/car`, { method: 'POST', body: await car(genuine.cid, [forged]) });
    expect(upload.status).toBe(400);
    expect((await fetch(`${node.url}/ipfs/${genuine.cid}`, { headers: raw })).status).toBe(404);
  });

  it('answers bad requests with clear statuses', async () => {
    expect((await fetch(`${node.url}/car`, { method: 'POST', body: 'not a car' })).status).toBe(400);
    expect((await fetch(`${node.url}/ipfs/not-a-cid`, { headers: raw })).status).toBe(400);
    const leaf = await block({ any: true });
    expect((await fetch(`${node.url}/ipfs/${leaf.cid}`, { headers: { accept: 'text/html' } })).status).toBe(406);
    const preflight = await fetch(`${node.url}/car`, { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('keeps blocks across a restart from the same directory', async () => {
    const leaf = await block({ persisted: true });
    await fetch(`${node.url}/car`, { method: 'POST', body: await car(leaf.cid, [leaf]) });
    await node.close();
    node = await startStorageNode({ directory });
    const answer = await fetch(`${node.url}/ipfs/${leaf.cid}`, { headers: raw });
    expect(new Uint8Array(await answer.arrayBuffer())).toEqual(leaf.bytes);
  });
});
