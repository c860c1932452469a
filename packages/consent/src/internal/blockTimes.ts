import type { ConsentClient } from '../client.js';

/** A block-time lookup (Unix seconds) that asks the provider once per block. */
export function blockTimes(client: ConsentClient): (blockNumber: number) => Promise<number> {
  const times = new Map<number, Promise<number>>();
  return (blockNumber) => {
    let time = times.get(blockNumber);
    if (!time) {
      time = client.provider.getBlock(blockNumber).then((block) => block?.timestamp ?? 0);
      times.set(blockNumber, time);
    }
    return time;
  };
}

/** The latest block's timestamp. */
export async function chainNow(client: ConsentClient): Promise<number> {
  const block = await client.provider.getBlock('latest');
  return block?.timestamp ?? Math.floor(Date.now() / 1000);
}
