import { hexlify, randomBytes } from 'ethers';
import { describe, expect } from 'vitest';
import { TransactionRevertedError } from './chainErrors.js';
import { ContractCallError, ContractRevertError, isContractRevert } from './errors.js';
import { connectMhrChain } from './mhrChain.js';
import { anvilTest } from './testing.js';
import { createTransactionManager, type TransactionEvent } from './transactionManager.js';

const cid = () => hexlify(randomBytes(34));

describe('typedContract writes through a transaction manager', () => {
  anvilTest('a write resolves with the same shape, its events decoded', async ({ anvil, mhrChain }) => {
    const signer = anvil.signers[1]!;
    const events: TransactionEvent[] = [];
    const transactions = createTransactionManager({ signer, pollIntervalMs: 20, onEvent: (e) => events.push(e) });
    const plain = connectMhrChain(signer, mhrChain.addresses);
    const managed = connectMhrChain(signer, mhrChain.addresses, { transactions });

    const without = await plain.recordRegistry.write.anchorRecord(cid(), 3);
    const withManager = await managed.recordRegistry.write.anchorRecord(cid(), 3);
    expect(events.map((e) => e.type)).toEqual(['sent', 'mined', 'confirmed']);
    expect(withManager.hash).toBe(events[0]!.hash);
    expect(withManager.receipt.hash).toBe(withManager.hash);
    expect(withManager.receipt.status).toBe(1);
    expect(withManager.events.map((e) => e.eventName)).toEqual(without.events.map((e) => e.eventName));
    expect(withManager.events[0]!.eventName).toBe('RecordAnchored');
    expect(withManager.events[0]!.transactionHash).toBe(withManager.hash);
    // The next read of this process sees the write.
    const [anchored] = withManager.events;
    if (anchored?.eventName !== 'RecordAnchored') throw new Error('no RecordAnchored event');
    const record = await managed.recordRegistry.read.recordOf(anchored.args.recordId);
    expect(record.patient).toBe(signer.address);
  });

  anvilTest('a revert found by gas estimation is decoded as without the manager', async ({ anvil, mhrChain }) => {
    const signer = anvil.signers[1]!;
    const transactions = createTransactionManager({ signer, pollIntervalMs: 20 });
    const plain = connectMhrChain(signer, mhrChain.addresses);
    const managed = connectMhrChain(signer, mhrChain.addresses, { transactions });
    const without = await plain.recordRegistry.write.anchorRecord('0x', 1).catch((e: unknown) => e);
    const withManager = await managed.recordRegistry.write.anchorRecord('0x', 1).catch((e: unknown) => e);
    expect(without).toBeInstanceOf(ContractRevertError);
    expect(withManager).toBeInstanceOf(ContractRevertError);
    expect((withManager as ContractRevertError).errorName).toBe((without as ContractRevertError).errorName);
    expect(transactions.pending).toBe(0);
  });

  anvilTest(
    'a trailing overrides argument passes its gas limit on; a mined revert is decoded, its transaction the cause',
    async ({ anvil, mhrChain }) => {
      const signer = anvil.signers[2]!;
      const transactions = createTransactionManager({ signer, pollIntervalMs: 20 });
      const managed = connectMhrChain(signer, mhrChain.addresses, { transactions });
      const write = managed.recordRegistry.write.anchorRecord as (
        ...args: unknown[]
      ) => ReturnType<typeof managed.recordRegistry.write.anchorRecord>;
      const { hash } = await write(cid(), 2, { gasLimit: 400_000n });
      expect((await anvil.provider.getTransaction(hash))!.gasLimit).toBe(400_000n);
      // With a gas limit nothing is estimated: the revert happens on chain.
      const error = await write('0x', 2, { gasLimit: 400_000n }).catch((e: unknown) => e);
      expect(isContractRevert(error, 'EmptyCid')).toBe(true);
      const mined = (error as ContractRevertError).cause;
      expect(mined).toBeInstanceOf(TransactionRevertedError);
      const receipt = await anvil.provider.getTransactionReceipt((mined as TransactionRevertedError).hash);
      expect(receipt?.status).toBe(0);
      expect(receipt?.from).toBe(signer.address);
    },
  );

  anvilTest('concurrent writes get consecutive nonces and all mine', async ({ anvil, mhrChain }) => {
    const signer = anvil.signers[3]!;
    const transactions = createTransactionManager({ signer, pollIntervalMs: 20 });
    const managed = connectMhrChain(signer, mhrChain.addresses, { transactions });
    const first = await anvil.provider.getTransactionCount(signer.address, 'pending');
    const results = await Promise.all(
      Array.from({ length: 20 }, () => managed.recordRegistry.write.anchorRecord(cid(), 1)),
    );
    const nonces = await Promise.all(results.map(async (r) => (await anvil.provider.getTransaction(r.hash))!.nonce));
    expect(nonces.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => first + i));
    expect(results.every((r) => r.receipt.status === 1 && r.events.length === 1)).toBe(true);
  });
});

/** `anchorRecord` with a trailing overrides object (the typed signature leaves it out). */
const anchorWith = (chain: ReturnType<typeof connectMhrChain>) =>
  chain.recordRegistry.write.anchorRecord as (
    ...args: unknown[]
  ) => ReturnType<typeof chain.recordRegistry.write.anchorRecord>;

describe('typedContract: a transaction mined and reverted', () => {
  anvilTest(
    'is decoded like a revert found at estimate: ContractRevertError, the mined transaction its cause',
    async ({ anvil, mhrChain }) => {
      const signer = anvil.signers[4]!;
      const chain = connectMhrChain(signer, mhrChain.addresses);
      const atEstimate = await chain.recordRegistry.write.anchorRecord('0x', 1).catch((e: unknown) => e);
      expect(isContractRevert(atEstimate, 'EmptyCid')).toBe(true);
      // An explicit gas limit skips the estimate: the transaction is mined, and reverts.
      const mined = await anchorWith(chain)('0x', 1, { gasLimit: 300_000n }).catch((e: unknown) => e);
      expect(mined).toBeInstanceOf(ContractRevertError);
      expect((mined as ContractRevertError).errorName).toBe('EmptyCid');
      const cause = (mined as ContractRevertError).cause as TransactionRevertedError;
      expect(cause).toBeInstanceOf(TransactionRevertedError);
      const receipt = (await anvil.provider.getTransactionReceipt(cause.hash))!;
      expect(receipt.status).toBe(0);
      expect(receipt.blockNumber).toBe(cause.blockNumber);
      expect((await anvil.provider.getTransaction(cause.hash))!.gasLimit).toBe(300_000n);
    },
  );

  anvilTest(
    'after the state changed between estimate and mining: the custom error with its arguments',
    async ({ anvil, mhrChain }) => {
      const signer = anvil.signers[5]!;
      const chain = connectMhrChain(signer, mhrChain.addresses);
      const record = cid();
      const nonce = await anvil.provider.getTransactionCount(signer.address, 'pending');
      // Both pass their estimate against the same state and land in one block; the second anchors the same CID again.
      await anvil.provider.send('evm_setAutomine', [false]);
      let first: Promise<unknown>;
      let second: Promise<unknown>;
      try {
        first = anchorWith(chain)(record, 1, { nonce, gasLimit: 300_000n });
        second = anchorWith(chain)(record, 1, { nonce: nonce + 1, gasLimit: 300_000n }).catch((e: unknown) => e);
        for (let i = 0; (await anvil.provider.send('txpool_status', [])).pending !== '0x2'; i++) {
          if (i > 200) throw new Error('the two transactions did not reach the pool');
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        await anvil.provider.send('evm_mine', []);
      } finally {
        await anvil.provider.send('evm_setAutomine', [true]);
      }
      const anchored = (await first) as Awaited<ReturnType<ReturnType<typeof anchorWith>>>;
      const error = await second;
      expect(isContractRevert(error, 'RecordAlreadyAnchored')).toBe(true);
      const [event] = anchored.events;
      if (event?.eventName !== 'RecordAnchored') throw new Error('no RecordAnchored event');
      expect((error as ContractRevertError<'RecordAlreadyAnchored'>).args.recordId).toBe(event.args.recordId);
      const cause = (error as ContractRevertError).cause as TransactionRevertedError;
      expect(cause).toBeInstanceOf(TransactionRevertedError);
      expect(cause.blockNumber).toBe(anchored.receipt.blockNumber);
    },
  );

  anvilTest(
    'without a recoverable reason (out of gas): TransactionRevertedError with the hash and block',
    async ({ anvil, mhrChain }) => {
      const signer = anvil.signers[6]!;
      const chain = connectMhrChain(signer, mhrChain.addresses);
      const error = await anchorWith(chain)(cid(), 1, { gasLimit: 40_000n }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TransactionRevertedError);
      expect(error).not.toBeInstanceOf(ContractCallError);
      const { hash, blockNumber } = error as TransactionRevertedError;
      expect(hash).toMatch(/^0x[0-9a-f]{64}$/);
      const receipt = (await anvil.provider.getTransactionReceipt(hash))!;
      expect(receipt.status).toBe(0);
      expect(receipt.blockNumber).toBe(blockNumber);
      expect((error as TransactionRevertedError).message).toContain(hash);
    },
  );
});
