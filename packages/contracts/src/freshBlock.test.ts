import { JsonRpcProvider, Network, Wallet } from 'ethers';
import { describe, expect } from 'vitest';
import { freshBlockTag } from './freshBlock.js';
import { connectMhrChain } from './mhrChain.js';
import { anvilTest } from './testing.js';

describe('reads after writes through a caching provider', () => {
  anvilTest('a read and an event query straight after a write see it', async ({ anvil, mhrChain }) => {
    // ethers' defaults: identical requests within 250 ms are answered from a cache.
    const provider = new JsonRpcProvider(anvil.rpcUrl, Network.from(31337n), { staticNetwork: true });
    try {
      const wallet = new Wallet(Wallet.createRandom().privateKey, provider);
      await (await anvil.signers[0]!.sendTransaction({ to: wallet.address, value: 10n ** 18n })).wait();
      const chain = connectMhrChain(wallet, mhrChain.addresses);
      // Nothing written through this provider yet: reads go to `latest` with no extra request.
      expect(await freshBlockTag(provider)).toBe('latest');
      const head = await provider.getBlockNumber();
      expect(await chain.identityRegistry.read.isRegistered(wallet.address)).toBe(false);
      expect(await chain.identityRegistry.events('IdentityRegistered')).toHaveLength(0);
      const { receipt } = await chain.identityRegistry.write.register(`0x${'11'.repeat(32)}`);
      // The same requests again, well within the cache's lifetime: they must not be answered from before the write.
      expect(await chain.identityRegistry.read.isRegistered(wallet.address)).toBe(true);
      expect(await chain.identityRegistry.events('IdentityRegistered')).toHaveLength(1);
      expect(await freshBlockTag(provider)).toBeGreaterThanOrEqual(receipt.blockNumber);
      expect(receipt.blockNumber).toBeGreaterThan(head);
    } finally {
      provider.destroy();
    }
  });
});
