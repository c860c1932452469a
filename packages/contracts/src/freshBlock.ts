import type { Provider } from 'ethers';

// The highest block each provider has shown this process a receipt for.
const written = new WeakMap<Provider, number>();

/**
 * Notes that `provider` returned a receipt in block `blockNumber`, so later reads through it ({@link freshBlockTag})
 * never look at an older block. The typed contracts' `write` does it for every transaction.
 */
export function noteWrittenBlock(provider: Provider, blockNumber: number): void {
  if (blockNumber > (written.get(provider) ?? -1)) written.set(provider, blockNumber);
}

/**
 * The block to read at so that a read sees every write this process made through `provider`: `'latest'` when the
 * process wrote nothing through it (no extra request), else the chain head or the block of the last receipt, whichever
 * is newer. Providers may answer a repeated request from a short cache (ethers' `JsonRpcProvider` keeps answers 250 ms
 * by default), so a read of `latest` straight after a write can miss it; a read pinned to a block number cannot, and a
 * cached answer for a fixed block is right.
 *
 * @example
 * ```ts
 * import { freshBlockTag } from '@mhrchain/contracts';
 * import { JsonRpcProvider } from 'ethers';
 *
 * const provider = new JsonRpcProvider('http://127.0.0.1:8545');
 * // const logs = await provider.getLogs({ address, fromBlock: 0, toBlock: await freshBlockTag(provider) });
 * ```
 */
export async function freshBlockTag(provider: Provider): Promise<number | 'latest'> {
  const last = written.get(provider);
  if (last === undefined) return 'latest';
  return Math.max(await provider.getBlockNumber(), last);
}
