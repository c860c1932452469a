import { InvalidParametersError } from '@mhrchain/core';
import { JsonRpcProvider, type Log, Network } from 'ethers';
import { afterEach, describe, expect, it } from 'vitest';
import { LogQueryError, LogRangeError, RpcUnavailableError } from './chainErrors.js';
import { anchorHistory } from './internal/anchorHistory.js';
import { classifyLogError, createLogReader, readContractEvents, suggestedBlockRange } from './logReader.js';
import { type ProviderErrorStyle, startRangeLimitedRpc } from './rangeLimitedRpc.js';
import { type AnvilInstance, anvilTest } from './testing.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function proxied(anvil: AnvilInstance, options: Omit<Parameters<typeof startRangeLimitedRpc>[0], 'upstream'>) {
  const rpc = await startRangeLimitedRpc({ upstream: anvil.rpcUrl, ...options });
  const provider = new JsonRpcProvider(rpc.url, Network.from(anvil.chainId), { staticNetwork: true, cacheTimeout: -1 });
  cleanup.push(
    () => rpc.close(),
    () => provider.destroy(),
  );
  return { rpc, provider };
}

const ids = (logs: readonly Log[]) => logs.map((log) => `${log.blockNumber}:${log.index}:${log.transactionHash}`);

describe('classifyLogError', () => {
  it('knows the range and size refusals of hosted providers and nodes', () => {
    const range = [
      { error: { code: -32602, message: 'Log response size exceeded. … this block range should work: [0x0, 0x1f3f]' } },
      {
        error: {
          code: -32005,
          message: 'query returned more than 10000 results. Try with this block range [0x1, 0x2].',
        },
      },
      { error: { code: -32000, message: 'block range too large' } },
      { error: { code: -32000, message: 'exceed maximum block range: 5000' } },
      { error: { code: -32000, message: 'query exceeds max results 20000' } },
      { error: { code: -32614, message: 'eth_getLogs is limited to a 10,000 range' } },
      new Error('could not coalesce error (error={ "code": -32000, "message": "block range is too wide" })'),
    ];
    for (const error of range) expect(classifyLogError(error)).toBe('range');
    const transient = [
      { code: 'SERVER_ERROR', message: 'server response 503 Service Unavailable' },
      { code: 'TIMEOUT', message: 'timeout' },
      new Error('fetch failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) }),
      { error: { code: -32005, message: 'daily request count exceeded, request rate limited' } },
    ];
    for (const error of transient) expect(classifyLogError(error)).toBe('transient');
    expect(
      classifyLogError({ error: { code: -32602, message: 'invalid argument 0: hex string has odd length' } }),
    ).toBe('other');
  });

  it('reads the range a refusal suggests', () => {
    expect(suggestedBlockRange({ error: { message: 'this block range should work: [0x10, 0x1f]' } })).toBe(16);
    expect(suggestedBlockRange({ error: { message: 'block range too large' } })).toBeUndefined();
  });
});

describe('createLogReader', () => {
  it('refuses bad parameters and ranges with a typed error', async () => {
    const provider = new JsonRpcProvider('http://127.0.0.1:1', undefined, { staticNetwork: true });
    cleanup.push(() => provider.destroy());
    expect(() => createLogReader({ provider, maxBlockRange: 0 })).toThrow(InvalidParametersError);
    expect(() => createLogReader({ provider, concurrency: 1.5 })).toThrow(InvalidParametersError);
    const reader = createLogReader({ provider });
    await expect(reader.getLogs({ fromBlock: 5, toBlock: 4 })).rejects.toThrow(InvalidParametersError);
    await expect(reader.getLogs({ fromBlock: -1, toBlock: 4 })).rejects.toThrow(InvalidParametersError);
  });

  anvilTest(
    'reads a long history through every provider wording, equal to one unlimited query',
    async ({ anvil, mhrChain }) => {
      const signer = anvil.signers[1]!;
      // 600 blocks: bursts of logs between stretches of empty blocks.
      const perBlock = Array.from({ length: 600 }, (_, i) => (i % 50 === 0 ? 12 : i % 7 === 0 ? 1 : 0));
      const { toBlock } = await anchorHistory({ chain: mhrChain.chain, signer, perBlock });
      const address = mhrChain.addresses.recordRegistry;
      const direct = await anvil.provider.getLogs({ address, fromBlock: 0, toBlock });
      expect(direct.length).toBeGreaterThan(200);

      for (const style of ['alchemy', 'infura', 'range', 'maximum'] as ProviderErrorStyle[]) {
        const { rpc, provider } = await proxied(anvil, { maxBlockRange: 64, maxLogs: 15, style });
        const reader = createLogReader({ provider, maxBlockRange: 1_000, concurrency: 3 });
        const logs = await reader.getLogs({ address, fromBlock: 0, toBlock });
        expect(ids(logs)).toEqual(ids(direct));
        expect(rpc.stats.refused).toBeGreaterThan(0);
        expect(reader.blockRange).toBeLessThanOrEqual(64);
      }
    },
  );

  anvilTest('decodes typed events filtered by indexed arguments', async ({ anvil, mhrChain }) => {
    const [alice, bob] = [anvil.signers[1]!, anvil.signers[2]!];
    await anchorHistory({ chain: mhrChain.chain, signer: alice, perBlock: [3, 0, 2], category: 4 });
    const { toBlock } = await anchorHistory({ chain: mhrChain.chain, signer: bob, perBlock: [1, 1] });
    const { provider } = await proxied(anvil, { maxBlockRange: 2, maxLogs: 3 });
    const reader = createLogReader({ provider, maxBlockRange: 100 });
    const events = await readContractEvents(reader, mhrChain.chain.recordRegistry, 'RecordAnchored', {
      args: { patient: alice.address },
      fromBlock: 0,
      toBlock,
    });
    expect(events).toHaveLength(5);
    for (const event of events) {
      expect(event.eventName).toBe('RecordAnchored');
      expect(event.args.patient).toBe(alice.address);
      expect(event.args.category).toBe(4n);
    }
  });

  anvilTest(
    'fails with LogRangeError when one block holds more logs than the provider answers',
    async ({ anvil, mhrChain }) => {
      const history = await anchorHistory({ chain: mhrChain.chain, signer: anvil.signers[1]!, perBlock: [0, 5, 0] });
      const { provider } = await proxied(anvil, { maxLogs: 4, style: 'infura' });
      const reader = createLogReader({ provider });
      const error = await reader.getLogs({ ...history }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LogRangeError);
      expect((error as LogRangeError).fromBlock).toBe(history.fromBlock + 1);
    },
  );

  anvilTest(
    'retries transient failures, then fails typed when the provider stays down',
    async ({ anvil, mhrChain }) => {
      const { toBlock } = await anchorHistory({
        chain: mhrChain.chain,
        signer: anvil.signers[1]!,
        perBlock: [2, 2, 2],
      });
      const fromBlock = toBlock - 5;
      const expected = ids(await anvil.provider.getLogs({ fromBlock, toBlock }));
      const { rpc, provider } = await proxied(anvil, { maxBlockRange: 2 });
      const reader = createLogReader({ provider, retryDelayMs: 5, concurrency: 2 });
      rpc.failNext(2, 'unavailable', 'eth_getLogs');
      rpc.failNext(2, 'reset', 'eth_getLogs');
      expect(ids(await reader.getLogs({ fromBlock, toBlock }))).toEqual(expected);
      expect(rpc.stats.faults).toBe(4);

      rpc.down();
      const stubborn = createLogReader({ provider, retries: 2, retryDelayMs: 5 });
      const error = await stubborn.getLogs({ fromBlock, toBlock }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RpcUnavailableError);
      expect((error as RpcUnavailableError).attempts).toBe(3);
      rpc.up();
      expect(ids(await stubborn.getLogs({ fromBlock, toBlock }))).toEqual(expected);
    },
  );

  anvilTest('passes other refusals on as LogQueryError', async ({ anvil }) => {
    const reader = createLogReader({ provider: anvil.provider, retryDelayMs: 5 });
    // anvil refuses a topic that is not 32 bytes (invalid params): asking again would not help.
    const error = await reader.getLogs({ topics: ['0x12'], fromBlock: 0, toBlock: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LogQueryError);
  });
});
