import { hexlify, randomBytes } from 'ethers';
import { describe, expect } from 'vitest';
import { TransactionRevertedError } from './chainErrors.js';
import { ContractRevertError } from './errors.js';
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
    'a trailing overrides argument passes its gas limit on; a mined revert is TransactionRevertedError',
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
      expect(error).toBeInstanceOf(TransactionRevertedError);
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
