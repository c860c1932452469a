import { InvalidParametersError } from '@mhrchain/core';
import { JsonRpcProvider, Network, Wallet } from 'ethers';
import { afterEach, describe, expect } from 'vitest';
import { LogQueryError, LogRangeError, RpcUnavailableError } from './chainErrors.js';
import { ContractCallError } from './errors.js';
import { createEventIndex } from './eventIndex.js';
import { encodeEventTopics } from './eventTopics.js';
import { recordRegistryAbi } from './generated/index.js';
import { anchorHistory } from './internal/anchorHistory.js';
import { createLogReader, readContractEvents } from './logReader.js';
import { startRangeLimitedRpc } from './rangeLimitedRpc.js';
import { anvilTest } from './testing.js';
import { type DecodedEvent, typedContract } from './typedContract.js';

type Anchored = DecodedEvent<typeof recordRegistryAbi, 'RecordAnchored'>;
const key = (event: Anchored) => `${event.blockNumber}:${event.logIndex}`;

describe('typedContract events filtered by indexed arguments', () => {
  anvilTest(
    'one argument, two, arrays (any of them), null, no match, a block range: the same through every path',
    async ({ anvil, mhrChain }) => {
      const [alice, bob, carol] = [anvil.signers[1]!, anvil.signers[2]!, anvil.signers[3]!];
      const start = await anchorHistory({ chain: mhrChain.chain, signer: alice, perBlock: [2, 1], category: 1 });
      await anchorHistory({ chain: mhrChain.chain, signer: bob, perBlock: [1, 1], category: 2 });
      const { toBlock } = await anchorHistory({ chain: mhrChain.chain, signer: carol, perBlock: [1] });
      const registry = mhrChain.chain.recordRegistry;

      const all = await registry.events('RecordAnchored');
      expect(all).toHaveLength(6);
      const of = (account: string) => all.filter((event) => event.args.patient === account);
      const [aliceFirst, bobFirst, carolFirst] = [of(alice.address)[0]!, of(bob.address)[0]!, of(carol.address)[0]!];

      const cases: [string, Parameters<typeof registry.events<'RecordAnchored'>>[1], Anchored[]][] = [
        ['one argument', { args: { patient: alice.address } }, of(alice.address)],
        ['lower-case address', { args: { patient: bob.address.toLowerCase() } }, of(bob.address)],
        ['two arguments', { args: { patient: alice.address, recordId: aliceFirst.args.recordId } }, [aliceFirst]],
        ['two arguments, no match', { args: { patient: bob.address, recordId: aliceFirst.args.recordId } }, []],
        [
          'an array (any of them)',
          { args: { patient: [alice.address, carol.address] } },
          [...of(alice.address), ...of(carol.address)],
        ],
        [
          'arrays in two places',
          {
            args: {
              patient: [alice.address, bob.address],
              recordId: [aliceFirst.args.recordId, bobFirst.args.recordId, carolFirst.args.recordId],
            },
          },
          [aliceFirst, bobFirst],
        ],
        ['null matches anything', { args: { recordId: null, patient: null, actor: carol.address } }, of(carol.address)],
        ['no such patient', { args: { patient: Wallet.createRandom().address } }, []],
        ['an empty array matches nothing', { args: { patient: [] } }, []],
        [
          'a block range',
          { args: { patient: alice.address }, fromBlock: start.toBlock, toBlock: start.toBlock },
          of(alice.address).slice(2),
        ],
      ];

      const reader = createLogReader({ provider: anvil.provider, maxBlockRange: 2 });
      const index = createEventIndex({ provider: anvil.provider, address: registry.address });
      await index.sync({ toBlock });
      for (const [name, query, expected] of cases) {
        const direct = await registry.events('RecordAnchored', query);
        expect(direct.map(key), name).toEqual(expected.map(key));
        expect(direct.every((event) => event.eventName === 'RecordAnchored')).toBe(true);
        const paged = await readContractEvents(reader, registry, 'RecordAnchored', {
          args: query?.args,
          fromBlock: Number(query?.fromBlock ?? 0),
          toBlock: Number(query?.toBlock ?? toBlock),
        });
        expect(paged.map(key), `${name} (log reader)`).toEqual(expected.map(key));
        const indexed = await index.events(registry, 'RecordAnchored', {
          args: query?.args,
          fromBlock: query?.fromBlock === undefined ? undefined : Number(query.fromBlock),
          toBlock: query?.toBlock === undefined || query.toBlock === 'latest' ? undefined : Number(query.toBlock),
        });
        expect(indexed.map(key), `${name} (event index)`).toEqual(expected.map(key));
      }
      // Decoded arguments come back typed, whatever the path.
      const [first] = await registry.events('RecordAnchored', { args: { patient: carol.address } });
      expect(first!.args).toEqual({
        recordId: carolFirst.args.recordId,
        patient: carol.address,
        actor: carol.address,
        category: 1n,
        cid: carolFirst.args.cid,
      });
    },
  );

  anvilTest(
    'rejects a filter on a non-indexed or unknown argument, or a value of the wrong type',
    async ({ mhrChain }) => {
      const registry = mhrChain.chain.recordRegistry;
      const untyped = (args: Record<string, unknown>) => ({ args }) as never;
      for (const args of [{ category: 1n }, { owner: registry.address }, { patient: 'not an address' }])
        await expect(registry.events('RecordAnchored', untyped(args))).rejects.toBeInstanceOf(InvalidParametersError);
    },
  );
});

describe('encodeEventTopics', () => {
  anvilTest('equals the topic filter ethers builds from positional arguments', async ({ mhrChain }) => {
    const registry = mhrChain.chain.recordRegistry;
    const patient = Wallet.createRandom().address;
    const recordId = `0x${'ab'.repeat(32)}`;
    expect(encodeEventTopics(recordRegistryAbi, 'RecordAnchored', { patient })).toEqual(
      await registry.contract.filters.RecordAnchored!(null, patient).getTopicFilter(),
    );
    expect(encodeEventTopics(recordRegistryAbi, 'RecordErased', { recordId: [recordId], actor: patient })).toEqual(
      await registry.contract.filters.RecordErased!([recordId], null, patient).getTopicFilter(),
    );
    expect(encodeEventTopics(recordRegistryAbi, 'RecordErased')).toHaveLength(1);
    expect(() => encodeEventTopics(recordRegistryAbi, 'RecordErased', { patient: [] })).toThrow(InvalidParametersError);
  });
});

describe('typedContract events: a query the provider refuses', () => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  anvilTest(
    "fails with the log reader's errors: LogRangeError for the range asked, RpcUnavailableError, LogQueryError",
    async ({ anvil, mhrChain }) => {
      const { fromBlock, toBlock } = await anchorHistory({
        chain: mhrChain.chain,
        signer: anvil.signers[1]!,
        perBlock: [1, 0, 1, 0, 1],
      });
      const rpc = await startRangeLimitedRpc({ upstream: anvil.rpcUrl, maxBlockRange: 2, style: 'infura' });
      const provider = new JsonRpcProvider(rpc.url, Network.from(anvil.chainId), {
        staticNetwork: true,
        cacheTimeout: -1,
      });
      cleanup.push(
        () => rpc.close(),
        () => provider.destroy(),
      );
      const registry = typedContract(recordRegistryAbi, mhrChain.addresses.recordRegistry, provider);

      // One query over five blocks, refused for its range: not split, and said so with the range asked.
      const refused = await registry.events('RecordAnchored', { fromBlock, toBlock }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(LogRangeError);
      expect(refused).not.toBeInstanceOf(ContractCallError);
      expect((refused as LogRangeError).fromBlock).toBe(fromBlock);
      expect((refused as LogRangeError).toBlock).toBe(toBlock);
      expect(rpc.stats.refused).toBe(1);
      // Within the provider's range the same query answers, and a log reader reads the whole range.
      expect(await registry.events('RecordAnchored', { fromBlock, toBlock: fromBlock + 1 })).toHaveLength(1);
      const reader = createLogReader({ provider, maxBlockRange: 100 });
      expect(await readContractEvents(reader, registry, 'RecordAnchored', { fromBlock, toBlock })).toHaveLength(3);

      // A provider that does not answer: one attempt (event queries do not retry).
      rpc.down();
      const down = await registry.events('RecordAnchored', { fromBlock, toBlock: fromBlock }).catch((e: unknown) => e);
      rpc.up();
      expect(down).toBeInstanceOf(RpcUnavailableError);
      expect((down as RpcUnavailableError).attempts).toBe(1);

      // Any other refusal (here blocks past the chain's head).
      const other = await registry
        .events('RecordAnchored', { fromBlock: toBlock + 1_000, toBlock: toBlock + 1_001 })
        .catch((e: unknown) => e);
      expect(other).toBeInstanceOf(LogQueryError);
    },
  );
});
