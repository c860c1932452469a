import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CarBlockIterator } from '@ipld/car';
import * as dagCbor from '@ipld/dag-cbor';
import { FsBlockstore } from 'blockstore-fs';
import { FsDatastore } from 'datastore-fs';
import { createHeliaLight, type Helia } from 'helia';
import { CID } from 'multiformats/cid';
import { sha256 } from 'multiformats/hashes/sha2';

/** Options of {@link startStorageNode}. */
export interface StorageNodeOptions {
  /** Directory holding the node's blocks and datastore; survives restarts. */
  directory: string;
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Port; 0 (the default) picks a free one. */
  port?: number;
  /** Largest CAR upload accepted, in bytes. Default 64 MiB. */
  maxUploadBytes?: number;
  /** Extra routes tried before the storage routes; return `true` when the request was answered. */
  routes?: StorageNodeRoute[];
}

/** An extra HTTP route of the storage node (the example uses one for the ECG feed and the live relay). */
export type StorageNodeRoute = (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<boolean>;

/** A running storage node. */
export interface StorageNode {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** The embedded Helia node. */
  helia: Helia;
  /** Stops the HTTP server and the Helia node. */
  close(): Promise<void>;
}

const RAW_BLOCK = 'application/vnd.ipld.raw';
const CAR = 'application/vnd.ipld.car';

/**
 * Starts the example's storage node: an embedded, offline Helia node on disk behind a small HTTP API.
 *
 * - `POST /car` with a CAR body: every block is checked against its CID, then stored; answers `{ roots, blocks }`.
 * - `GET /ipfs/<cid>` with `Accept: application/vnd.ipld.raw` (or `?format=raw`): the raw block (trustless gateway).
 * - `HEAD /ipfs/<cid>`: whether the block is held.
 *
 * CORS is open: browsers on any origin may upload and read, since every block is content-addressed and every
 * record is encrypted before it leaves the patient's browser.
 *
 * @example
 * ```ts
 * const node = await startStorageNode({ directory: '.mhr-data/blocks' });
 * console.log(node.url);
 * await node.close();
 * ```
 */
export async function startStorageNode(options: StorageNodeOptions): Promise<StorageNode> {
  const blockstore = new FsBlockstore(`${options.directory}/blocks`);
  const datastore = new FsDatastore(`${options.directory}/datastore`);
  await blockstore.open();
  await datastore.open();
  const helia = createHeliaLight({ blockstore, datastore, codecs: [dagCbor] });
  await helia.start();
  const maxUploadBytes = options.maxUploadBytes ?? 64 * 1024 * 1024;

  const server = createServer((request, response) => {
    cors(response);
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) json(response, 500, { error: String((error as Error)?.message ?? error) });
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.method === 'OPTIONS') {
      response.writeHead(204).end();
      return;
    }
    for (const route of options.routes ?? []) {
      if (await route(request, response, url)) return;
    }
    if (url.pathname === '/health') return json(response, 200, { ok: true });
    if (url.pathname === '/car' && request.method === 'POST') return importCar(request, response);
    const match = /^\/ipfs\/([^/]+)$/.exec(url.pathname);
    if (match && (request.method === 'GET' || request.method === 'HEAD'))
      return serveBlock(request, response, url, match[1]!);
    json(response, 404, { error: 'not found' });
  }

  async function importCar(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request, maxUploadBytes);
    if (body === undefined) return json(response, 413, { error: `CAR larger than ${maxUploadBytes} bytes` });
    let iterator: CarBlockIterator;
    try {
      iterator = await CarBlockIterator.fromBytes(body);
    } catch {
      return json(response, 400, { error: 'body is not a CAR file' });
    }
    // Every block is checked before any is stored: a CAR is accepted whole or not at all.
    const verified: Array<{ cid: CID; bytes: Uint8Array }> = [];
    try {
      for await (const { cid, bytes } of iterator) {
        if (cid.multihash.code !== sha256.code) return json(response, 400, { error: `unsupported hash in ${cid}` });
        const digest = await sha256.digest(bytes);
        if (!equalBytes(digest.digest, cid.multihash.digest)) {
          return json(response, 400, { error: `block ${cid} does not match its CID` });
        }
        verified.push({ cid, bytes });
      }
    } catch {
      return json(response, 400, { error: 'truncated or malformed CAR' });
    }
    for (const { cid, bytes } of verified) await helia.blockstore.put(cid, bytes);
    const blocks = verified.length;
    const roots = (await iterator.getRoots()).map((root) => root.toString());
    json(response, 200, { roots, blocks });
  }

  async function serveBlock(request: IncomingMessage, response: ServerResponse, url: URL, text: string): Promise<void> {
    let cid: CID;
    try {
      cid = CID.parse(text);
    } catch {
      return json(response, 400, { error: 'invalid CID' });
    }
    const accept = request.headers.accept ?? '';
    const wantsRaw = url.searchParams.get('format') === 'raw' || accept.includes(RAW_BLOCK) || accept.includes('*/*');
    if (!wantsRaw) return json(response, 406, { error: `only ${RAW_BLOCK} is served` });
    if (!(await helia.blockstore.has(cid))) return json(response, 404, { error: `block ${cid} not held` });
    if (request.method === 'HEAD') {
      response.writeHead(200, { 'content-type': RAW_BLOCK }).end();
      return;
    }
    const bytes = await collect(helia.blockstore.get(cid, { offline: true }));
    response.writeHead(200, {
      'content-type': RAW_BLOCK,
      'content-length': bytes.byteLength,
      'cache-control': 'public, max-age=29030400, immutable',
      etag: `"${cid}.raw"`,
      'x-content-type-options': 'nosniff',
    });
    response.end(bytes);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}`,
    helia,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await helia.stop();
      await blockstore.close();
      await datastore.close();
    },
  };
}

function cors(response: ServerResponse): void {
  response.setHeader('access-control-allow-origin', '*');
  response.setHeader('access-control-allow-methods', 'GET, HEAD, POST, OPTIONS');
  response.setHeader('access-control-allow-headers', 'content-type, accept');
  response.setHeader('access-control-expose-headers', 'content-type, content-length, etag');
}

/** Writes a JSON answer. */
export function json(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json' }).end(text);
}

/** Reads a request body, or `undefined` when it is larger than `limit`. */
export async function readBody(request: IncomingMessage, limit: number): Promise<Uint8Array | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

async function collect(
  source: Uint8Array | AsyncIterable<Uint8Array> | Iterable<Uint8Array> | Promise<Uint8Array>,
): Promise<Uint8Array> {
  const value = await source;
  if (value instanceof Uint8Array) return value;
  const chunks: Uint8Array[] = [];
  for await (const chunk of value) chunks.push(chunk);
  return new Uint8Array(Buffer.concat(chunks));
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}

export { CAR as CAR_CONTENT_TYPE };
