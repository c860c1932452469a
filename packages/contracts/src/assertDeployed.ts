import type { Provider } from 'ethers';
import { ContractNotDeployedError } from './errors.js';
import type { MhrChainAddresses } from './mhrChain.js';

/** Parameters of {@link assertDeployed}. */
export interface AssertDeployedParameters {
  /** The chain to look at. */
  provider: Provider;
  /** The addresses the contracts are expected at. */
  addresses: MhrChainAddresses;
}

/**
 * Checks that every MHR Chain contract has code at its configured address, so a missing deployment fails with one
 * clear error instead of an undecodable result at the first call. `createConsentClient` runs it for you.
 *
 * @throws {@link ContractNotDeployedError} naming the first contract without code.
 * @example
 * ```ts
 * import { addressesForChain, assertDeployed } from '@mhrchain/contracts';
 * import { JsonRpcProvider } from 'ethers';
 *
 * const provider = new JsonRpcProvider('http://127.0.0.1:8545');
 * // await assertDeployed({ provider, addresses: addressesForChain((await provider.getNetwork()).chainId) });
 * ```
 */
export async function assertDeployed(parameters: AssertDeployedParameters): Promise<void> {
  const { provider, addresses } = parameters;
  const entries = Object.entries(addresses);
  const codes = await Promise.all(entries.map(([, address]) => provider.getCode(address)));
  const missing = codes.findIndex((code) => code === '0x' || code === '');
  if (missing === -1) return;
  const [contract, address] = entries[missing]!;
  const { chainId } = await provider.getNetwork();
  throw new ContractNotDeployedError({ chainId, contract, address });
}
