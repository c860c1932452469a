import { InvalidParametersError } from '@mhrchain/core';
import { Wallet } from 'ethers';
import { describe, expect } from 'vitest';
import { createEventIndex } from './eventIndex.js';
import { encodeEventTopics } from './eventTopics.js';
import { recordRegistryAbi } from './generated/index.js';
import { anchorHistory } from './internal/anchorHistory.js';
import { createLogReader, readContractEvents } from './logReader.js';
import { anvilTest } from './testing.js';
import type { DecodedEvent } from './typedContract.js';

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
