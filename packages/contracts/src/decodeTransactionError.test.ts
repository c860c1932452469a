import { hexlify, randomBytes } from 'ethers';
import { describe, expect, it } from 'vitest';
import { TransactionReplacedError, TransactionRevertedError } from './chainErrors.js';
import { decodeTransactionError } from './decodeTransactionError.js';
import { ContractCallError, ContractRevertError } from './errors.js';
import { connectMhrChain } from './mhrChain.js';
import { anvilTest } from './testing.js';

const unknownRecord = () => hexlify(randomBytes(32));
const cid = () => hexlify(randomBytes(34));

describe('decodeTransactionError', () => {
  anvilTest(
    'a batch sent with its own gas limit and mined reverted names the custom error',
    async ({ anvil, mhrChain }) => {
      const chain = connectMhrChain(anvil.signers[1]!, mhrChain.addresses);
      const supersede = chain.recordRegistry.contract.getFunction('supersedeRecords');
      const recordId = unknownRecord();
      // No estimate: the transaction is mined, and ethers' error only says it reverted.
      const thrown = await supersede
        .send([recordId], [cid()], { gasLimit: 200_000n })
        .then((tx) => tx.wait())
        .catch((error: unknown) => error);
      const decoded = await decodeTransactionError(anvil.provider, thrown);
      expect(decoded).toBeInstanceOf(ContractRevertError);
      expect(decoded).toMatchObject({ errorName: 'RecordNotFound', args: { recordId } });
      expect(decoded.cause).toBeInstanceOf(TransactionRevertedError);
      const reverted = decoded.cause as TransactionRevertedError;
      expect((await anvil.provider.getTransactionReceipt(reverted.hash))?.status).toBe(0);
      // Without a provider to replay it, the mined revert is what can be said.
      expect(await decodeTransactionError(undefined, thrown)).toBeInstanceOf(TransactionRevertedError);
    },
  );

  anvilTest('a revert at the estimate is decoded as decodeContractError does', async ({ anvil, mhrChain }) => {
    const chain = connectMhrChain(anvil.signers[1]!, mhrChain.addresses);
    const supersede = chain.recordRegistry.contract.getFunction('supersedeRecords');
    const thrown = await supersede.send([unknownRecord()], [cid()]).catch((error: unknown) => error);
    expect(await decodeTransactionError(anvil.provider, thrown)).toMatchObject({ errorName: 'RecordNotFound' });
  });

  it("returns a transaction manager's replaced error as it is, and types anything else", async () => {
    const replaced = new TransactionReplacedError({ nonce: 3, hashes: ['0x01'] });
    expect(await decodeTransactionError(undefined, replaced)).toBe(replaced);
    expect(await decodeTransactionError(undefined, new Error('socket hang up'))).toBeInstanceOf(ContractCallError);
  });
});
