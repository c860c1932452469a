import type { IncomingMessage, ServerResponse } from 'node:http';
import { CID } from 'multiformats/cid';
import { BlockNotFoundError } from './errors.js';
import type { Storage } from './storage.js';

/** Media type of a single raw block in the trustless gateway protocol. */
export const RAW_BLOCK_MEDIA_TYPE = 'application/vnd.ipld.raw';

/** A `node:http` request listener. */
export type TrustlessGatewayHandler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * A minimal [trustless gateway](https://specs.ipfs.tech/http-gateways/trustless-gateway/) over a storage, for
 * `node:http`: `GET`/`HEAD /ipfs/<cid>` with `Accept: application/vnd.ipld.raw` or `?format=raw` answers the block's
 * bytes. Clients verify every block against its CID, so the gateway needs no trust. Other response formats answer
 * 406; unknown blocks 404; invalid CIDs 400.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createMemoryStorage, createTrustlessGatewayHandler } from '@mhrchain/core';
 *
 * const server = createServer(createTrustlessGatewayHandler(createMemoryStorage()));
 * server.listen(8080, '127.0.0.1');
 * ```
 */
export function createTrustlessGatewayHandler(storage: Storage): TrustlessGatewayHandler {
  return (request, response) => {
    void handle(storage, request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  };
}

async function handle(storage: Storage, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://gateway.invalid');
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  const match = /^\/ipfs\/([^/]+)\/?$/.exec(url.pathname);
  if (!match) {
    response.writeHead(404).end();
    return;
  }
  let cid: CID;
  try {
    cid = CID.parse(decodeURIComponent(match[1]!));
  } catch {
    response.writeHead(400, { 'content-type': 'text/plain' }).end('invalid CID');
    return;
  }
  const format = url.searchParams.get('format');
  const accept = request.headers.accept ?? '';
  const wantsRaw = format === 'raw' || (format === null && accept.includes(RAW_BLOCK_MEDIA_TYPE));
  if (!wantsRaw) {
    response.writeHead(406, { 'content-type': 'text/plain' }).end(`only ${RAW_BLOCK_MEDIA_TYPE} is served`);
    return;
  }
  let bytes: Uint8Array;
  try {
    bytes = await storage.get(cid);
  } catch (error) {
    if (error instanceof BlockNotFoundError) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('block not found');
      return;
    }
    throw error;
  }
  response.writeHead(200, {
    'content-type': RAW_BLOCK_MEDIA_TYPE,
    'content-length': String(bytes.length),
    'cache-control': 'public, max-age=29030400, immutable',
    etag: `"${cid.toString()}.raw"`,
    'x-ipfs-path': `/ipfs/${cid.toString()}`,
    'x-content-type-options': 'nosniff',
  });
  response.end(request.method === 'HEAD' ? undefined : bytes);
}
