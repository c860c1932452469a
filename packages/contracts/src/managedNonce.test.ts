import { JsonRpcProvider, Network, type Signer, Wallet } from 'ethers';
import { describe, expect } from 'vitest';
import { withManagedNonce } from './managedNonce.js';
import { anvilTest } from './testing.js';

/** A provider as an integrator makes one: ethers' defaults, request cache included. */
function plainProvider(rpcUrl: string): JsonRpcProvider {
  return new JsonRpcProvider(rpcUrl, Network.from(31337n), { staticNetwork: true });
}

function freshWallet(provider: JsonRpcProvider): Wallet {
  return new Wallet(Wallet.createRandom().privateKey, provider);
}

async function fund(from: Signer, to: string): Promise<void> {
  await (await from.sendTransaction({ to, value: 10n ** 18n })).wait();
}

describe('withManagedNonce', () => {
  anvilTest('without it, back-to-back sends through a default JsonRpcProvider reuse a nonce', async ({ anvil }) => {
    const provider = plainProvider(anvil.rpcUrl);
    try {
      const wallet = freshWallet(provider);
      await fund(anvil.signers[0]!, wallet.address);
      await wallet.sendTransaction({ to: anvil.signers[1]!.address, value: 1n });
      await expect(wallet.sendTransaction({ to: anvil.signers[1]!.address, value: 1n })).rejects.toThrow(/nonce/i);
    } finally {
      provider.destroy();
    }
  });

  anvilTest('gives back-to-back and concurrent sends distinct, consecutive nonces', async ({ anvil }) => {
    const provider = plainProvider(anvil.rpcUrl);
    try {
      const wallet = freshWallet(provider);
      await fund(anvil.signers[0]!, wallet.address);
      const signer = withManagedNonce(wallet);
      const to = anvil.signers[1]!.address;
      const first = await signer.sendTransaction({ to, value: 1n });
      const second = await signer.sendTransaction({ to, value: 1n });
      // Two managed signers of one wallet share the account's record.
      const other = withManagedNonce(wallet.connect(provider));
      const more = await Promise.all([0, 1, 2].map((i) => (i % 2 ? signer : other).sendTransaction({ to, value: 1n })));
      const nonces = [first, second, ...more].map((tx) => tx.nonce).sort((a, b) => a - b);
      expect(nonces).toEqual([0, 1, 2, 3, 4]);
      await Promise.all(more.map((tx) => tx.wait()));
      expect(await anvil.provider.getTransactionCount(wallet.address)).toBe(5);
    } finally {
      provider.destroy();
    }
  });

  anvilTest(
    'a send that fails before broadcast uses no nonce, and a caller-set nonce is kept and counted',
    async ({ anvil, mhrChain }) => {
      const provider = plainProvider(anvil.rpcUrl);
      try {
        const wallet = freshWallet(provider);
        await fund(anvil.signers[0]!, wallet.address);
        const signer = withManagedNonce(wallet);
        await signer.sendTransaction({ to: anvil.signers[1]!.address, value: 1n });
        // Not a registrar: gas estimation finds the revert and nothing is broadcast.
        const identity = mhrChain.chain.identityRegistry.connect(signer);
        await expect(
          identity.write.attestDoctor(anvil.signers[2]!.address, BigInt(Math.floor(Date.now() / 1000) + 60)),
        ).rejects.toThrow();
        const next = await signer.sendTransaction({ to: anvil.signers[1]!.address, value: 1n });
        expect(next.nonce).toBe(1);
        await next.wait();
        const chosen = await signer.sendTransaction({ to: anvil.signers[1]!.address, value: 1n, nonce: 2 });
        expect(chosen.nonce).toBe(2);
        // Counted: the next send, straight after (the provider's cached pending count still says 2), takes 3.
        const after = await signer.sendTransaction({ to: anvil.signers[1]!.address, value: 1n });
        expect(after.nonce).toBe(3);
        await after.wait();
        expect(withManagedNonce(signer)).toBe(signer);
      } finally {
        provider.destroy();
      }
    },
  );
});
