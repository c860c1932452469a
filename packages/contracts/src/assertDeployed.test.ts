import { describe, expect } from 'vitest';
import { assertDeployed } from './assertDeployed.js';
import { ContractNotDeployedError } from './errors.js';
import { anvilTest } from './testing.js';

describe('assertDeployed', () => {
  anvilTest('passes where the contracts are deployed', async ({ anvil, mhrChain }) => {
    await expect(assertDeployed({ provider: anvil.provider, addresses: mhrChain.addresses })).resolves.toBeUndefined();
  });

  anvilTest('names the contract that has no code at its address', async ({ anvil, mhrChain }) => {
    const addresses = { ...mhrChain.addresses, delegationRegistry: anvil.signers[5]!.address };
    const error = await assertDeployed({ provider: anvil.provider, addresses }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContractNotDeployedError);
    expect(error).toMatchObject({ name: 'ContractNotDeployedError', contract: 'delegationRegistry', chainId: 31337n });
  });
});
