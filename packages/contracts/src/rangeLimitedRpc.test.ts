import { JsonRpcProvider, Network } from 'ethers';
import { afterEach, describe, expect } from 'vitest';
import { type ProviderErrorStyle, type RangeLimitedRpc, startRangeLimitedRpc } from './rangeLimitedRpc.js';
import { anvilTest } from './testing.js';

const opened: RangeLimitedRpc[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((rpc) => rpc.close()));
});

async function call(
  url: string,
  method: string,
  params: unknown[],
): Promise<{ result?: unknown; error?: { code: number; message: string } }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 7, method, params }),
  });
  return response.json() as never;
}

const hex = (n: number) => `0x${n.toString(16)}`;

describe('startRangeLimitedRpc', () => {
  anvilTest(
    'refuses wide ranges and large answers in each provider wording, passes the rest',
    async ({ anvil, mhrChain }) => {
      // Three logs: three registrations.
      for (const signer of anvil.signers.slice(1, 4)) {
        await mhrChain.chain.identityRegistry.connect(signer).write.register(`0x${'11'.repeat(32)}`);
      }
      const head = await anvil.provider.getBlockNumber();
      const address = mhrChain.addresses.identityRegistry;
      const expected: Record<ProviderErrorStyle, { code: number; range: RegExp; size: RegExp }> = {
        alchemy: { code: -32602, range: /^Log response size exceeded/, size: /^Log response size exceeded/ },
        infura: { code: -32005, range: /query returned more than 10000 results/, size: /more than 2 results/ },
        range: { code: -32000, range: /^block range too large$/, size: /^query returned more than 2 results$/ },
        maximum: { code: -32000, range: /^exceed maximum block range: 5$/, size: /^query exceeds max results 2$/ },
      };
      for (const [style, shape] of Object.entries(expected) as [ProviderErrorStyle, (typeof expected)['alchemy']][]) {
        const rpc = await startRangeLimitedRpc({ upstream: anvil.rpcUrl, maxBlockRange: 5, maxLogs: 2, style });
        opened.push(rpc);
        const wide = await call(rpc.url, 'eth_getLogs', [{ fromBlock: hex(head - 5), toBlock: hex(head) }]);
        expect(wide.error?.code).toBe(shape.code);
        expect(wide.error?.message).toMatch(shape.range);
        const big = await call(rpc.url, 'eth_getLogs', [{ address, fromBlock: hex(head - 4), toBlock: 'latest' }]);
        expect(big.error?.code).toBe(shape.code);
        expect(big.error?.message).toMatch(shape.size);
        const fits = await call(rpc.url, 'eth_getLogs', [{ address, fromBlock: hex(head - 1), toBlock: hex(head) }]);
        expect(fits.result).toHaveLength(2);
        expect((await call(rpc.url, 'eth_blockNumber', [])).result).toBe(hex(head));
        expect(rpc.stats.refused).toBe(2);
        expect(rpc.stats.calls.eth_getLogs).toBe(3);
      }
    },
  );

  anvilTest('serves ethers batches; fails transiently on demand and goes down and up', async ({ anvil }) => {
    const rpc = await startRangeLimitedRpc({ upstream: anvil.rpcUrl });
    opened.push(rpc);
    const provider = new JsonRpcProvider(rpc.url, Network.from(anvil.chainId), { staticNetwork: true });
    try {
      const [head, balance] = await Promise.all([
        provider.getBlockNumber(),
        provider.getBalance(anvil.signers[0]!.address),
      ]);
      expect(head).toBe(await anvil.provider.getBlockNumber());
      expect(balance).toBeGreaterThan(0n);

      rpc.failNext(1, 'unavailable');
      const unavailable = await fetch(rpc.url, {
        method: 'POST',
        body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}',
      });
      expect(unavailable.status).toBe(503);
      rpc.failNext(1, 'rate-limit', 'eth_chainId');
      expect((await call(rpc.url, 'eth_blockNumber', [])).result).toBeDefined(); // another method passes
      const limited = await fetch(rpc.url, { method: 'POST', body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}' });
      expect(limited.status).toBe(429);
      rpc.failNext(1, 'reset');
      await expect(call(rpc.url, 'eth_chainId', [])).rejects.toThrow();

      rpc.down();
      await expect(call(rpc.url, 'eth_chainId', [])).rejects.toThrow();
      rpc.up();
      expect((await call(rpc.url, 'eth_chainId', [])).result).toBe(hex(anvil.chainId));
      expect(rpc.stats.faults).toBe(4);
    } finally {
      provider.destroy();
    }
  });
});
