import { InvalidParametersError } from '@mhrchain/core';
import { hexlify, JsonRpcProvider, Network, randomBytes, Wallet } from 'ethers';
import { describe, expect } from 'vitest';
import { TransactionReplacedError } from './chainErrors.js';
import { ContractRevertError } from './errors.js';
import type { DeployMhrChainReturnType } from './mhrChain.js';
import { startRangeLimitedRpc } from './rangeLimitedRpc.js';
import { type AnvilInstance, anvilTest } from './testing.js';
import { createTransactionManager, type TransactionEvent } from './transactionManager.js';

type Chain = DeployMhrChainReturnType;

const anchor = (mhrChain: Chain) => ({
  to: mhrChain.addresses.recordRegistry,
  data: mhrChain.chain.recordRegistry.contract.interface.encodeFunctionData('anchorRecord', [
    hexlify(randomBytes(34)),
    1,
  ]),
});

/** Mines a block every `everyMs` until `promise` settles. */
async function mineUntil<T>(anvil: AnvilInstance, promise: Promise<T>, everyMs = 100): Promise<T> {
  let done = false;
  const settled = promise.finally(() => {
    done = true;
  });
  while (!done) {
    await Promise.race([settled.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, everyMs))]);
    if (!done) await anvil.provider.send('evm_mine', []);
  }
  return settled;
}

async function withoutAutomine<T>(anvil: AnvilInstance, run: () => Promise<T>): Promise<T> {
  await anvil.provider.send('evm_setAutomine', [false]);
  try {
    return await run();
  } finally {
    await anvil.provider.send('evm_setAutomine', [true]);
  }
}

describe('createTransactionManager', () => {
  anvilTest('refuses bad options', async ({ anvil }) => {
    expect(() => createTransactionManager({ signer: Wallet.createRandom() })).toThrow(InvalidParametersError);
    expect(() => createTransactionManager({ signer: anvil.signers[1]!, confirmations: 0 })).toThrow(
      InvalidParametersError,
    );
    expect(() => createTransactionManager({ signer: anvil.signers[1]!, feeBumpPercent: 5 })).toThrow(
      InvalidParametersError,
    );
  });

  anvilTest(
    '200 concurrent sends from one account: consecutive nonces, all mined, no nonce error',
    async ({ anvil, mhrChain }) => {
      const signer = anvil.signers[5]!;
      const first = await anvil.provider.getTransactionCount(signer.address, 'pending');
      const manager = createTransactionManager({ signer, pollIntervalMs: 20 });
      const sent = await Promise.all(Array.from({ length: 200 }, () => manager.send(anchor(mhrChain))));
      expect(sent.map((tx) => tx.nonce).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 200 }, (_, i) => first + i),
      );
      const receipts = await Promise.all(sent.map((tx) => tx.wait()));
      expect(receipts.every((receipt) => receipt.status === 1)).toBe(true);
      expect(manager.pending).toBe(0);
      expect(await anvil.provider.getTransactionCount(signer.address, 'latest')).toBe(first + 200);
    },
  );

  anvilTest('a revert found by gas estimation is typed and uses no nonce', async ({ anvil, mhrChain }) => {
    const signer = anvil.signers[5]!;
    const manager = createTransactionManager({ signer, pollIntervalMs: 20 });
    const data = mhrChain.chain.recordRegistry.contract.interface.encodeFunctionData('anchorRecord', ['0x', 1]);
    const error = await manager.send({ to: mhrChain.addresses.recordRegistry, data }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContractRevertError);
    expect((error as ContractRevertError).errorName).toBe('EmptyCid');
    const next = await anvil.provider.getTransactionCount(signer.address, 'pending');
    const tx = await manager.send(anchor(mhrChain));
    expect(tx.nonce).toBe(next);
    await tx.wait();
  });

  anvilTest(
    'not mined in time (base fee jumped): replaced with bumped fees, then mined',
    async ({ anvil, mhrChain }) => {
      const events: TransactionEvent[] = [];
      const manager = createTransactionManager({
        signer: anvil.signers[6]!,
        pollIntervalMs: 30,
        replaceAfterMs: 300,
        onEvent: (event) => events.push(event),
      });
      let offered = 0n;
      const receipt = await withoutAutomine(anvil, async () => {
        const tx = await manager.send(anchor(mhrChain));
        offered = (await anvil.provider.getTransaction(tx.hash))!.maxFeePerGas!;
        await anvil.provider.send('anvil_setNextBlockBaseFeePerGas', [`0x${(offered * 20n).toString(16)}`]);
        await anvil.provider.send('evm_mine', []);
        expect(await anvil.provider.getTransactionReceipt(tx.hash)).toBeNull();
        return mineUntil(anvil, tx.wait(), 150);
      });
      expect(
        events.map((e) => e.type),
        JSON.stringify(events),
      ).toContain('replaced');
      expect(receipt.hash).not.toBe(events[0]!.hash);
      const mined = await anvil.provider.getTransaction(receipt.hash);
      expect(mined!.maxFeePerGas!).toBeGreaterThan(offered * 10n);
    },
  );

  anvilTest('dropped from the pool: broadcast again, then mined', async ({ anvil, mhrChain }) => {
    const events: TransactionEvent[] = [];
    const manager = createTransactionManager({
      signer: anvil.signers[7]!,
      pollIntervalMs: 30,
      onEvent: (event) => events.push(event),
    });
    const receipt = await withoutAutomine(anvil, async () => {
      const tx = await manager.send(anchor(mhrChain));
      await anvil.provider.send('anvil_dropTransaction', [tx.hash]);
      expect(await anvil.provider.getTransaction(tx.hash)).toBeNull();
      return mineUntil(anvil, tx.wait());
    });
    expect(events.map((e) => e.type)).toEqual(['sent', 'rebroadcast', 'mined', 'confirmed']);
    expect(receipt.hash).toBe(events[0]!.hash);
  });

  anvilTest(
    'cancelled from the wallet (same nonce, higher fee): fails with TransactionReplacedError',
    async ({ anvil, mhrChain }) => {
      const wallet = anvil.signers[8]!;
      const manager = createTransactionManager({ signer: wallet, pollIntervalMs: 30 });
      const error = await withoutAutomine(anvil, async () => {
        const tx = await manager.send(anchor(mhrChain));
        const offered = (await anvil.provider.getTransaction(tx.hash))!;
        await wallet.sendTransaction({
          to: wallet.address,
          value: 0n,
          nonce: tx.nonce,
          maxFeePerGas: offered.maxFeePerGas! * 3n,
          maxPriorityFeePerGas: offered.maxPriorityFeePerGas! * 3n,
        });
        return mineUntil(anvil, tx.wait()).catch((e: unknown) => e);
      });
      expect(error).toBeInstanceOf(TransactionReplacedError);
    },
  );

  anvilTest(
    'a reorg takes the transaction out before its confirmations: sent again, confirmed',
    async ({ anvil, mhrChain }) => {
      const events: TransactionEvent[] = [];
      let minedOnce: () => void = () => undefined;
      const seen = new Promise<void>((resolve) => {
        minedOnce = resolve;
      });
      const manager = createTransactionManager({
        signer: anvil.signers[9]!,
        confirmations: 3,
        pollIntervalMs: 30,
        onEvent: (event) => {
          events.push(event);
          if (event.type === 'mined') minedOnce();
        },
      });
      const snapshot = await anvil.snapshot();
      const tx = await manager.send(anchor(mhrChain)); // automine: in a block at once
      await seen;
      await anvil.revert(snapshot);
      expect(await anvil.provider.getTransactionReceipt(tx.hash)).toBeNull();
      const receipt = await mineUntil(anvil, tx.wait());
      expect(events.map((e) => e.type)).toContain('reorged');
      expect(events.at(-1)!.type).toBe('confirmed');
      expect((await anvil.provider.getTransactionReceipt(receipt.hash))?.blockHash).toBe(receipt.blockHash);
      expect((await anvil.provider.getBlockNumber()) - receipt.blockNumber + 1).toBeGreaterThanOrEqual(3);
    },
  );
  anvilTest(
    'the provider going down while a transaction waits pauses the watch; it confirms once back',
    async ({ anvil, mhrChain }) => {
      const rpc = await startRangeLimitedRpc({ upstream: anvil.rpcUrl });
      const provider = new JsonRpcProvider(rpc.url, Network.from(anvil.chainId), {
        staticNetwork: true,
        cacheTimeout: -1,
      });
      try {
        const manager = createTransactionManager({ signer: anvil.signers[3]!.connect(provider), pollIntervalMs: 30 });
        const receipt = await withoutAutomine(anvil, async () => {
          const tx = await manager.send(anchor(mhrChain));
          rpc.down();
          await anvil.provider.send('evm_mine', []);
          await new Promise((resolve) => setTimeout(resolve, 300));
          expect(rpc.stats.faults).toBeGreaterThan(0);
          rpc.up();
          return tx.wait();
        });
        expect(receipt.status).toBe(1);
        expect(await anvil.provider.getTransactionReceipt(receipt.hash)).not.toBeNull();
      } finally {
        provider.destroy();
        await rpc.close();
      }
    },
  );
});
