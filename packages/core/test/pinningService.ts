import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KuboInstance } from '../src/kubo.js';

/** A pinning service for tests: the IPFS Pinning Service API in front of a real Kubo node that does the pinning. */
export interface TestPinningService {
  /** The API endpoint. */
  readonly url: string;
  /** The token it accepts. */
  readonly accessToken: string;
  close(): Promise<void>;
}

interface Request {
  requestid: string;
  status: 'queued' | 'pinning' | 'pinned' | 'failed';
  created: string;
  pin: { cid: string; name?: string; origins?: string[]; meta?: Record<string, string> };
  delegates: string[];
  info: Record<string, string>;
}

/**
 * Serves `POST /pins`, `GET /pins`, `GET /pins/{id}` and `DELETE /pins/{id}` for `node`: a pin request connects the
 * node to the origins and pins the CID there (`pin/add`, fetched over bitswap), failing after `pinTimeoutMs`.
 */
export async function startTestPinningService(node: KuboInstance, pinTimeoutMs = 10_000): Promise<TestPinningService> {
  const accessToken = randomUUID();
  const requests = new Map<string, Request>();
  const rpc = async (command: string, args: Record<string, string>) => {
    const response = await fetch(`${node.apiUrl}/api/v0/${command}?${new URLSearchParams(args)}`, {
      method: 'POST',
      signal: AbortSignal.timeout(pinTimeoutMs),
    });
    if (!response.ok) throw new Error(`${command}: ${await response.text()}`);
  };
  const fulfil = async (request: Request) => {
    request.status = 'pinning';
    try {
      for (const origin of request.pin.origins ?? []) await rpc('swarm/connect', { arg: origin }).catch(() => {});
      await rpc('pin/add', { arg: request.pin.cid, recursive: 'true' });
      request.status = 'pinned';
    } catch (error) {
      request.status = 'failed';
      request.info = { reason: String(error).slice(0, 200) };
    }
  };
  const server = createServer(async (req, res) => {
    const send = (status: number, body?: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${accessToken}`)
      return send(401, { error: { reason: 'UNAUTHORIZED', details: 'bad token' } });
    const url = new URL(req.url ?? '/', 'http://localhost');
    const id = /^\/pins\/([^/]+)$/.exec(url.pathname)?.[1];
    if (req.method === 'POST' && url.pathname === '/pins') {
      let body = '';
      for await (const chunk of req) body += chunk;
      const pin = JSON.parse(body) as Request['pin'];
      const request: Request = {
        requestid: randomUUID(),
        status: 'queued',
        created: new Date().toISOString(),
        pin,
        delegates: [node.swarmAddress],
        info: {},
      };
      requests.set(request.requestid, request);
      void fulfil(request);
      return send(202, request);
    }
    if (req.method === 'GET' && url.pathname === '/pins') {
      const cids = url.searchParams.get('cid')?.split(',');
      const statuses = (url.searchParams.get('status') ?? 'pinned').split(',');
      const results = [...requests.values()].filter(
        (r) => (!cids || cids.includes(r.pin.cid)) && statuses.includes(r.status),
      );
      return send(200, { count: results.length, results });
    }
    if (id && req.method === 'GET') {
      const request = requests.get(id);
      return request ? send(200, request) : send(404, { error: { reason: 'NOT_FOUND' } });
    }
    if (id && req.method === 'DELETE') {
      const request = requests.get(id);
      if (!request) return send(404, { error: { reason: 'NOT_FOUND' } });
      requests.delete(id);
      if (![...requests.values()].some((r) => r.pin.cid === request.pin.cid))
        await rpc('pin/rm', { arg: request.pin.cid }).catch(() => {});
      return send(202);
    }
    send(404, { error: { reason: 'NOT_FOUND' } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    accessToken,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
