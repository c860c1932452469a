import { randomFillSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback HTTP proxy in front of a Kubo API or gateway that can rewrite answers (a misbehaving node). */
export interface CorruptingProxy {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Requests whose answer was rewritten. */
  readonly rewritten: string[];
  close(): Promise<void>;
}

/**
 * Starts a proxy to `target` that passes every request through and hands each answer to `rewrite`, which returns
 * the bytes to send instead (or undefined to send them as they are).
 */
export async function startCorruptingProxy(
  target: string,
  rewrite: (path: string, body: Uint8Array) => Uint8Array | undefined,
): Promise<CorruptingProxy> {
  const rewritten: string[] = [];
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    try {
      const upstream = await fetch(`${target}${request.url}`, {
        method: request.method,
        headers: Object.fromEntries(
          Object.entries(request.headers).filter(
            (entry): entry is [string, string] =>
              typeof entry[1] === 'string' &&
              !/^(host|connection|content-length|transfer-encoding|keep-alive)$/i.test(entry[0]),
          ),
        ),
        body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
      });
      const body = new Uint8Array(await upstream.arrayBuffer());
      const replaced = rewrite(request.url ?? '', body);
      if (replaced) rewritten.push(request.url ?? '');
      const headers: Record<string, string> = {};
      upstream.headers.forEach((value, key) => {
        if (!/^(content-length|transfer-encoding|content-encoding|connection|trailer)$/i.test(key))
          headers[key] = value;
      });
      response.writeHead(upstream.status, headers);
      response.end(replaced ?? body);
    } catch {
      response.writeHead(502);
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    rewritten,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `length` random bytes (any length). */
export function randomData(length: number): Uint8Array<ArrayBuffer> {
  return randomFillSync(new Uint8Array(length));
}

/** The same bytes with the first one flipped. */
export function flipFirstByte(bytes: Uint8Array): Uint8Array {
  const copy = bytes.slice();
  copy[0] = copy[0]! ^ 0xff;
  return copy;
}
