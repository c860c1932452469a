/**
 * `@mhrchain/contracts/testing`: vitest fixtures for chain tests on a real anvil, one per test worker.
 *
 * @packageDocumentation
 */
import { test } from 'vitest';
import { type AnvilInstance, startAnvil } from './anvil.js';
import { type DeployMhrChainReturnType, deployMhrChain } from './mhrChain.js';

/** The fixtures of {@link anvilTest}. */
export interface AnvilFixtures {
  /** One anvil per test worker, started on first use and stopped when the worker ends. */
  anvil: AnvilInstance;
  /** A fresh deployment of every contract for this test (deployed by `anvil.signers[0]`, also the admin). */
  mhrChain: DeployMhrChainReturnType;
}

/**
 * vitest's `test` with an `anvil` fixture (one anvil per worker, killed when the worker exits even after a failure)
 * and an `mhrChain` fixture (fresh contracts per test, so tests never see each other's state).
 *
 * @example
 * ```ts
 * import { expect } from 'vitest';
 * import { anvilTest } from '@mhrchain/contracts/testing';
 *
 * anvilTest('a patient registers', async ({ anvil, mhrChain }) => {
 *   const patient = anvil.signers[1]!;
 *   const identity = mhrChain.chain.identityRegistry.connect(patient);
 *   await identity.write.register(`0x${'11'.repeat(32)}`);
 *   expect(await identity.read.isRegistered(patient.address)).toBe(true);
 * });
 * ```
 */
export const anvilTest = test.extend<{
  $test: { mhrChain: DeployMhrChainReturnType };
  $worker: { anvil: AnvilInstance };
}>({
  anvil: [
    // biome-ignore lint/correctness/noEmptyPattern: vitest fixtures take their dependencies as a pattern
    async ({}, use) => {
      const anvil = await startAnvil();
      try {
        await use(anvil);
      } finally {
        await anvil.stop();
      }
    },
    { scope: 'worker' },
  ],
  mhrChain: async ({ anvil }, use) => {
    await use(await deployMhrChain({ deployer: anvil.signers[0]! }));
  },
});

export { type AnvilInstance, startAnvil } from './anvil.js';
export {
  type ProviderErrorStyle,
  type RangeLimitedRpc,
  type RangeLimitedRpcStats,
  type StartRangeLimitedRpcOptions,
  startRangeLimitedRpc,
  type TransientFault,
} from './rangeLimitedRpc.js';
