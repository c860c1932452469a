import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * How a provider words its refusal of an `eth_getLogs` query, as the hosted providers answer:
 * - `alchemy`: code -32602, "Log response size exceeded. … this block range should work: [0x…, 0x…]" (range and size);
 * - `infura`: code -32005, "query returned more than 10000 results. Try with this block range [0x…, 0x…]." (range and
 *   size);
 * - `range`: code -32000, "block range too large" / "query returned more than 10000 results" (many self-hosted nodes);
 * - `maximum`: code -32000, "exceed maximum block range: 10000" / "query exceeds max results 10000" (bor, erigon).
 */
export type ProviderErrorStyle = 'alchemy' | 'infura' | 'range' | 'maximum';

/** A transient fault the proxy can inject: an HTTP 503, an HTTP 429 rate limit, or a connection reset. */
export type TransientFault = 'unavailable' | 'rate-limit' | 'reset';

/** Options of {@link startRangeLimitedRpc}. */
export interface StartRangeLimitedRpcOptions {
  /** The upstream JSON-RPC endpoint (an anvil's `rpcUrl`). */
  upstream: string;
  /** The widest `eth_getLogs` range answered, in blocks (inclusive). Default: 10,000. */
  maxBlockRange?: number;
  /** The most logs one `eth_getLogs` answer may hold. Default: 10,000. */
  maxLogs?: number;
  /** How refusals are worded. Default: `'alchemy'`. */
  style?: ProviderErrorStyle;
}

/** Requests the proxy answered, by JSON-RPC method, and its refusals. */
export interface RangeLimitedRpcStats {
  /** Calls per method (batch members counted one by one). */
  calls: Record<string, number>;
  /** `eth_getLogs` calls refused for their range or result size. */
  refused: number;
  /** Calls failed on purpose ({@link RangeLimitedRpc.failNext}, {@link RangeLimitedRpc.down}). */
  faults: number;
}

/** A running range-limited JSON-RPC proxy. */
export interface RangeLimitedRpc {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** What was asked so far. */
  readonly stats: RangeLimitedRpcStats;
  /** Fails the next `count` HTTP requests (only those carrying `method`, when given) with `fault`. */
  failNext(count: number, fault?: TransientFault, method?: string): void;
  /** Every request fails (connection reset) until {@link RangeLimitedRpc.up}. */
  down(): void;
  /** Ends {@link RangeLimitedRpc.down}. */
  up(): void;
  /** Clears {@link RangeLimitedRpc.stats}. */
  resetStats(): void;
  /** Stops the proxy. Idempotent. */
  close(): Promise<void>;
}

interface JsonRpcRequest {
  jsonrpc?: string;
  id?: unknown;
  method?: string;
  params?: unknown[];
}

interface JsonRpcError {
  code: number;
  message: string;
  data?: unknown;
}

const hex = (n: number) => `0x${n.toString(16)}`;

function rangeError(style: ProviderErrorStyle, from: number, max: number): JsonRpcError {
  const hint = `[${hex(from)}, ${hex(from + max - 1)}]`;
  switch (style) {
    case 'alchemy':
      return {
        code: -32602,
        message: `Log response size exceeded. You can make eth_getLogs requests with up to a ${max} block range and no limit on the response size, or you can request any block range with a cap of 10K logs in the response. Based on your parameters and the response size limit, this block range should work: ${hint}`,
      };
    case 'infura':
      return {
        code: -32005,
        message: `query returned more than 10000 results. Try with this block range ${hint}.`,
        data: { from: hex(from), to: hex(from + max - 1), limit: 10000 },
      };
    case 'range':
      return { code: -32000, message: 'block range too large' };
    case 'maximum':
      return { code: -32000, message: `exceed maximum block range: ${max}` };
  }
}

function sizeError(style: ProviderErrorStyle, from: number, to: number, maxLogs: number): JsonRpcError {
  const half = `[${hex(from)}, ${hex(from + Math.max(0, Math.floor((to - from) / 2)))}]`;
  switch (style) {
    case 'alchemy':
      return {
        code: -32602,
        message: `Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range and no limit on the response size, or you can request any block range with a cap of ${maxLogs} logs in the response. Based on your parameters and the response size limit, this block range should work: ${half}`,
      };
    case 'infura':
      return {
        code: -32005,
        message: `query returned more than ${maxLogs} results. Try with this block range ${half}.`,
        data: { limit: maxLogs },
      };
    case 'range':
      return { code: -32000, message: `query returned more than ${maxLogs} results` };
    case 'maximum':
      return { code: -32000, message: `query exceeds max results ${maxLogs}` };
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/**
 * Starts an HTTP JSON-RPC proxy in front of `upstream` (an anvil) that behaves like a hosted provider: it refuses
 * `eth_getLogs` over more than `maxBlockRange` blocks or answering more than `maxLogs` logs, with the error wording of
 * the chosen provider, and it can be told to fail transiently ({@link RangeLimitedRpc.failNext}) or to go down
 * ({@link RangeLimitedRpc.down}). Everything else is passed through unchanged, batches included. For tests and
 * benchmarks (Node only).
 *
 * @example
 * ```ts
 * import { startAnvil, startRangeLimitedRpc } from '@mhrchain/contracts/testing';
 * import { JsonRpcProvider } from 'ethers';
 *
 * const anvil = await startAnvil();
 * const rpc = await startRangeLimitedRpc({ upstream: anvil.rpcUrl, maxBlockRange: 2_000, style: 'infura' });
 * const provider = new JsonRpcProvider(rpc.url);
 * // await provider.getLogs({ fromBlock: 0, toBlock: 5_000 }); // throws: query returned more than 10000 results
 * await rpc.close();
 * await anvil.stop();
 * ```
 */
export async function startRangeLimitedRpc(options: StartRangeLimitedRpcOptions): Promise<RangeLimitedRpc> {
  const maxBlockRange = options.maxBlockRange ?? 10_000;
  const maxLogs = options.maxLogs ?? 10_000;
  const style = options.style ?? 'alchemy';
  const stats: RangeLimitedRpcStats = { calls: {}, refused: 0, faults: 0 };
  const faults: { fault: TransientFault; method: string | undefined }[] = [];
  let isDown = false;
  const sockets = new Set<Socket>();

  const upstream = async (body: unknown): Promise<unknown> => {
    const response = await fetch(options.upstream, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return response.json();
  };

  const blockNumberOf = async (tag: unknown): Promise<number> => {
    if (typeof tag === 'string' && tag.startsWith('0x')) return Number.parseInt(tag, 16);
    if (tag === 'earliest') return 0;
    const answer = (await upstream({ jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] })) as {
      result: string;
    };
    return Number.parseInt(answer.result, 16);
  };

  const handleOne = async (request: JsonRpcRequest): Promise<unknown> => {
    const method = request.method ?? '';
    stats.calls[method] = (stats.calls[method] ?? 0) + 1;
    if (method !== 'eth_getLogs') return upstream(request);
    const filter = (request.params?.[0] ?? {}) as { fromBlock?: unknown; toBlock?: unknown; blockHash?: unknown };
    const reply = (error: JsonRpcError) => ({ jsonrpc: '2.0', id: request.id, error });
    if (filter.blockHash === undefined) {
      const from = await blockNumberOf(filter.fromBlock ?? 'latest');
      const to = await blockNumberOf(filter.toBlock ?? 'latest');
      if (to - from + 1 > maxBlockRange) {
        stats.refused++;
        return reply(rangeError(style, from, maxBlockRange));
      }
      const answer = (await upstream(request)) as { result?: unknown[] };
      if (Array.isArray(answer.result) && answer.result.length > maxLogs) {
        stats.refused++;
        return reply(sizeError(style, from, to, maxLogs));
      }
      return answer;
    }
    return upstream(request);
  };

  const fail = (fault: TransientFault, response: ServerResponse) => {
    stats.faults++;
    if (fault === 'reset') {
      response.socket?.destroy();
      return;
    }
    const status = fault === 'rate-limit' ? 429 : 503;
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        jsonrpc: '2.0',
        id: null,
        error:
          fault === 'rate-limit'
            ? { code: 429, message: 'Your app has exceeded its compute units per second capacity.' }
            : { code: -32603, message: 'service temporarily unavailable' },
      }),
    );
  };

  const server: Server = createServer(async (request, response) => {
    try {
      const text = await readBody(request);
      if (isDown) {
        stats.faults++;
        response.socket?.destroy();
        return;
      }
      const body = JSON.parse(text) as JsonRpcRequest | JsonRpcRequest[];
      const methods = (Array.isArray(body) ? body : [body]).map((item) => item.method);
      const planned = faults.findIndex((entry) => entry.method === undefined || methods.includes(entry.method));
      if (planned >= 0) {
        const [entry] = faults.splice(planned, 1);
        fail(entry!.fault, response);
        return;
      }
      const answer = Array.isArray(body) ? await Promise.all(body.map(handleOne)) : await handleOne(body);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer));
    } catch (error) {
      response.writeHead(502, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32603, message: `upstream: ${String(error)}` } }),
      );
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;

  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    failNext(count, fault = 'unavailable', method) {
      for (let i = 0; i < count; i++) faults.push({ fault, method });
    },
    down() {
      isDown = true;
      for (const socket of sockets) socket.destroy();
    },
    up() {
      isDown = false;
    },
    resetStats() {
      stats.calls = {};
      stats.refused = 0;
      stats.faults = 0;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      });
      return closing;
    },
  };
}
