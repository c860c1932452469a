import { type Provider, type Signer, Transaction } from 'ethers';
import type { MhrChain } from '../mhrChain.js';

/** Parameters of {@link anchorHistory}. */
export interface AnchorHistoryParameters {
  chain: MhrChain;
  /** The anchoring account (a wallet that can sign offline). */
  signer: Signer;
  /** How many records each block holds, block after block (a 0 mines an empty block). */
  perBlock: readonly number[];
  /** Category of every record. Default: 1. */
  category?: number;
  /** A prefix that keeps the CIDs of separate calls distinct. Default: a random one. */
  salt?: string;
}

/**
 * Builds a chain history fast, for tests and benchmarks: signs `RecordRegistry.anchorRecord` transactions offline with
 * consecutive nonces and mines them in blocks of the given sizes (automine is off meanwhile, and restored).
 * Returns the first and last block mined.
 */
export async function anchorHistory(
  parameters: AnchorHistoryParameters,
): Promise<{ fromBlock: number; toBlock: number }> {
  const { chain, signer } = parameters;
  const provider = signer.provider as Provider & { send(method: string, params: unknown[]): Promise<unknown> };
  const address = await signer.getAddress();
  const { chainId } = await provider.getNetwork();
  const fees = await provider.getFeeData();
  const registry = chain.recordRegistry.contract.interface;
  const salt = parameters.salt ?? Math.random().toString(16).slice(2, 10);
  let nonce = await provider.getTransactionCount(address, 'pending');
  let serial = 0;
  const fromBlock = (await provider.getBlockNumber()) + 1;
  await provider.send('evm_setAutomine', [false]);
  try {
    for (const count of parameters.perBlock) {
      const raws: string[] = [];
      for (let i = 0; i < count; i++) {
        const cid = `0x${Buffer.from(`${salt}/${serial++}`).toString('hex')}`;
        const tx = Transaction.from({
          type: 2,
          chainId,
          nonce: nonce++,
          to: chain.addresses.recordRegistry,
          data: registry.encodeFunctionData('anchorRecord', [cid, parameters.category ?? 1]),
          gasLimit: 150_000n,
          maxFeePerGas: (fees.maxFeePerGas ?? 2_000_000_000n) * 4n,
          maxPriorityFeePerGas: fees.maxPriorityFeePerGas ?? 1_000_000_000n,
        });
        raws.push(await signer.signTransaction(tx));
      }
      await Promise.all(raws.map((raw) => provider.send('eth_sendRawTransaction', [raw])));
      await provider.send('evm_mine', []);
    }
  } finally {
    await provider.send('evm_setAutomine', [true]);
  }
  return { fromBlock, toBlock: await provider.getBlockNumber() };
}
