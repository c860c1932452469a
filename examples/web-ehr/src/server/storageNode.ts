import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createHeliaStorage,
  createTrustlessGatewayHandler,
  type HeliaStorage,
  InvalidBlockError,
  importCar,
} from '@mhrchain/core';

/** Options of {@link startStorageNode}. */
export interface StorageNodeOptions {
  /** Directory of the embedded Helia node (blocks and datastore); survives restarts. */
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

/** An extra HTTP route of the storage node (the example uses them for the relay, the ECG feed and the registrar). */
export type StorageNodeRoute = (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<boolean>;

/** A running storage node. */
export interface StorageNode {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** The embedded Helia storage of `@mhrchain/core`. */
  storage: HeliaStorage;
  /** Stops the HTTP server and the Helia node. */
  close(): Promise<void>;
}

/**
 * Starts the example's storage node: the embedded, offline Helia node of `@mhrchain/core` (`createHeliaStorage`) on
 * disk, behind a small HTTP API.
 *
 * - `POST /car` with a CAR body: every block is checked against its CID (`importCar`), then stored; answers
 *   `{ roots, blocks }`. `?pin=1` also pins the roots (their DAGs must then be complete).
 * - `GET /ipfs/<cid>` with `Accept: application/vnd.ipld.raw` (or `?format=raw`): the raw block, served by core's
 *   trustless-gateway handler.
 *
 * CORS is open: browsers on any origin may upload and read, since every block is content-addressed and every
 * record is encrypted before it leaves the patient's browser.
 *
 * @example
 * ```ts
 * const node = await startStorageNode({ directory: '.mhr-data/storage' });
 * console.log(node.url);
 * await node.close();
 * ```
 */
export async function startStorageNode(options: StorageNodeOptions): Promise<StorageNode> {
  const storage = await createHeliaStorage({ directory: options.directory });
  const gateway = createTrustlessGatewayHandler(storage);
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
    if (url.pathname === '/car' && request.method === 'POST') return upload(request, response, url);
    if (url.pathname.startsWith('/ipfs/')) return gateway(request, response);
    json(response, 404, { error: 'not found' });
  }

  async function upload(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const body = await readBody(request, maxUploadBytes);
    if (body === undefined) return json(response, 413, { error: `CAR larger than ${maxUploadBytes} bytes` });
    try {
      const result = await importCar(storage, body, { pin: url.searchParams.get('pin') === '1' });
      json(response, 200, { roots: result.roots.map((root) => root.toString()), blocks: result.blocks });
    } catch (error) {
      if (!(error instanceof InvalidBlockError)) throw error;
      json(response, 400, { error: error.shortMessage });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}`,
    storage,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await storage.close();
    },
  };
}

function cors(response: ServerResponse): void {
  response.setHeader('access-control-allow-origin', '*');
  response.setHeader('access-control-allow-methods', 'GET, HEAD, POST, OPTIONS');
  response.setHeader('access-control-allow-headers', 'content-type, accept');
  response.setHeader('access-control-expose-headers', 'content-type, content-length, etag, x-ecg-gain, x-ecg-baseline');
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
