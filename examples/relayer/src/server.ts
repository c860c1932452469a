import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Relayer } from './relayer.js';
import { RelayRejectedError } from './wire.js';

/** A running relayer HTTP endpoint. */
export interface RelayerServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;

/**
 * Serves a relayer over HTTP:
 * - `POST /actions` with a signed action as JSON (bigints as decimal strings): 202 with the entry when queued, 200 with
 *   the existing entry when the same action was received before, 400/409/429 with `{ error }` when refused;
 * - `GET /actions/<id>`: the entry, or 404.
 */
export async function serveRelayer(
  relayer: Relayer,
  options: { port?: number; host?: string } = {},
): Promise<RelayerServer> {
  const server: Server = createServer(async (request, response) => {
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    try {
      const url = new URL(request.url ?? '/', 'http://relayer');
      if (request.method === 'GET' && url.pathname.startsWith('/actions/')) {
        const entry = relayer.status(decodeURIComponent(url.pathname.slice('/actions/'.length)));
        return entry ? reply(200, entry) : reply(404, { error: 'Unknown action id.' });
      }
      if (request.method !== 'POST' || url.pathname !== '/actions') return reply(404, { error: 'Not found.' });
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of request) {
        size += (chunk as Buffer).length;
        if (size > MAX_BODY) return reply(413, { error: 'Body too large.' });
        chunks.push(chunk as Buffer);
      }
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return reply(400, { error: 'The body is not JSON.' });
      }
      const { entry, duplicate } = await relayer.submit(body);
      return reply(duplicate ? 200 : 202, entry);
    } catch (error) {
      if (error instanceof RelayRejectedError)
        return reply(error.status, { error: error.shortMessage, details: error.details });
      return reply(500, { error: 'Internal error.' });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
