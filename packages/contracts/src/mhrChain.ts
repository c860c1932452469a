import { ContractFactory, type ContractRunner, type Signer } from 'ethers';
import { DeploymentNotFoundError } from './errors.js';
import {
  consentManagerBytecode,
  delegationRegistryBytecode,
  diseaseReportsBytecode,
  identityRegistryBytecode,
  recordRegistryBytecode,
  streamAnchorsBytecode,
} from './generated/index.js';
import { withManagedNonce } from './managedNonce.js';
import { type MhrChainContractName, mhrChainAbis } from './mhrChainAbis.js';
import type { TransactionManager } from './transactionManager.js';
import { type TypedContract, typedContract } from './typedContract.js';

/** The address of every MHR Chain contract on one chain. */
export type MhrChainAddresses = { readonly [K in MhrChainContractName]: string };

/** A deployment manifest: decimal chain id → contract addresses. */
export type DeploymentManifest = Readonly<Record<string, MhrChainAddresses>>;

/** Every MHR Chain contract, typed and connected to one runner (provider or signer). */
export type MhrChain = { readonly [K in MhrChainContractName]: TypedContract<(typeof mhrChainAbis)[K]> } & {
  /** The addresses the contracts live at. */
  readonly addresses: MhrChainAddresses;
};

/** Options of {@link connectMhrChain}. */
export interface ConnectMhrChainOptions {
  /**
   * Send every `write` through this transaction manager (see `createTransactionManager`): it owns the account's nonce
   * sequence, EIP-1559 fees, fee-bumped replacement and confirmations, and a replaced transaction resolves with the
   * replacement's receipt. Create it for the signer connected to. Default: the signer sends, one confirmation.
   */
  transactions?: TransactionManager;
}

/** Parameters of {@link deployMhrChain}. */
export interface DeployMhrChainParameters {
  /** The account that pays for the deployment and becomes the owner of nothing but the transactions. */
  deployer: Signer;
  /** The IdentityRegistry admin (appoints registrars). Default: the deployer. */
  admin?: string;
}

/** What {@link deployMhrChain} returns. */
export interface DeployMhrChainReturnType {
  /** The chain deployed to. */
  chainId: bigint;
  /** The new contracts' addresses (add them to a manifest with {@link withDeployment}). */
  addresses: MhrChainAddresses;
  /** The contracts, connected to the deployer. */
  chain: MhrChain;
}

/**
 * Known deployments. `31337` is where {@link deployMhrChain} puts the contracts on a fresh anvil or hardhat node
 * when the first default account (`0xf39F…2266`) deploys them as its first transactions (as the demo does); public
 * networks are added here when the contracts are deployed there. Keep other deployments in a manifest of your own
 * (see {@link withDeployment}).
 */
export const deployments: DeploymentManifest = {
  '31337': {
    identityRegistry: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
    recordRegistry: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512',
    consentManager: '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0',
    delegationRegistry: '0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9',
    streamAnchors: '0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9',
    diseaseReports: '0x5FC8d32690cc91D4c39d9d3abcBD16989F875707',
  },
};

/**
 * Connects typed bindings of every contract at `addresses` to `connectTo` (a provider to read, a signer to write; a
 * signer is wrapped with {@link withManagedNonce}). With `options.transactions`, writes are sent by that transaction
 * manager instead (reads still go through `connectTo`).
 *
 * @example
 * ```ts
 * import { JsonRpcProvider } from 'ethers';
 * import { connectMhrChain, addressesForChain } from '@mhrchain/contracts';
 *
 * const provider = new JsonRpcProvider('http://127.0.0.1:8545');
 * // const chain = connectMhrChain(provider, addressesForChain(31337n, myManifest));
 * // await chain.consentManager.read.keyEpochOf(patient);
 *
 * // Writes through a transaction manager (replacement with higher fees, two confirmations):
 * // const managed = connectMhrChain(signer, addresses, {
 * //   transactions: createTransactionManager({ signer, confirmations: 2 }),
 * // });
 * ```
 */
export function connectMhrChain(
  connectTo: ContractRunner,
  addresses: MhrChainAddresses,
  options: ConnectMhrChainOptions = {},
): MhrChain {
  // A signer sends through the SDK's nonce management, so back-to-back writes never reuse a nonce. With a manager,
  // writes take their nonces from the manager's sequence (the same record) and never from the runner.
  const runner = isSigner(connectTo) ? withManagedNonce(connectTo) : connectTo;
  const typed = { transactions: options.transactions };
  return {
    addresses,
    identityRegistry: typedContract(mhrChainAbis.identityRegistry, addresses.identityRegistry, runner, typed),
    recordRegistry: typedContract(mhrChainAbis.recordRegistry, addresses.recordRegistry, runner, typed),
    consentManager: typedContract(mhrChainAbis.consentManager, addresses.consentManager, runner, typed),
    delegationRegistry: typedContract(mhrChainAbis.delegationRegistry, addresses.delegationRegistry, runner, typed),
    streamAnchors: typedContract(mhrChainAbis.streamAnchors, addresses.streamAnchors, runner, typed),
    diseaseReports: typedContract(mhrChainAbis.diseaseReports, addresses.diseaseReports, runner, typed),
  };
}

function isSigner(runner: ContractRunner): runner is Signer {
  return typeof (runner as Partial<Signer>).getAddress === 'function' && typeof runner.sendTransaction === 'function';
}

async function deployOne(deployer: Signer, name: MhrChainContractName, bytecode: string, args: unknown[]) {
  const factory = new ContractFactory(mhrChainAbis[name], bytecode, deployer);
  const contract = await factory.deploy(...args);
  await contract.waitForDeployment();
  return contract.getAddress();
}

/**
 * Deploys every MHR Chain contract with `deployer` on whatever chain its provider points at (anvil, a testnet, any
 * EVM JSON-RPC) and returns their addresses and typed bindings.
 *
 * @example
 * ```ts
 * import { deployMhrChain } from '@mhrchain/contracts';
 * import { startAnvil } from '@mhrchain/contracts/anvil';
 *
 * const anvil = await startAnvil();
 * const { addresses, chain } = await deployMhrChain({ deployer: anvil.signers[0]! });
 * await anvil.stop();
 * ```
 */
export async function deployMhrChain(parameters: DeployMhrChainParameters): Promise<DeployMhrChainReturnType> {
  const deployer = withManagedNonce(parameters.deployer);
  const provider = deployer.provider;
  if (!provider) throw new DeploymentNotFoundError({ chainId: 0n });
  const admin = parameters.admin ?? (await deployer.getAddress());
  const identityRegistry = await deployOne(deployer, 'identityRegistry', identityRegistryBytecode, [admin]);
  const recordRegistry = await deployOne(deployer, 'recordRegistry', recordRegistryBytecode, []);
  const consentManager = await deployOne(deployer, 'consentManager', consentManagerBytecode, [
    identityRegistry,
    recordRegistry,
  ]);
  const delegationRegistry = await deployOne(deployer, 'delegationRegistry', delegationRegistryBytecode, [
    consentManager,
  ]);
  const streamAnchors = await deployOne(deployer, 'streamAnchors', streamAnchorsBytecode, []);
  const diseaseReports = await deployOne(deployer, 'diseaseReports', diseaseReportsBytecode, [identityRegistry]);
  const addresses: MhrChainAddresses = {
    identityRegistry,
    recordRegistry,
    consentManager,
    delegationRegistry,
    streamAnchors,
    diseaseReports,
  };
  const { chainId } = await provider.getNetwork();
  return { chainId, addresses, chain: connectMhrChain(deployer, addresses) };
}

/**
 * The addresses for `chainId` in `manifest` (default: the known public {@link deployments}).
 *
 * @throws {@link DeploymentNotFoundError} when the manifest has no entry for the chain.
 * @example
 * ```ts
 * import { addressesForChain, withDeployment } from '@mhrchain/contracts';
 *
 * const manifest = withDeployment({}, 31337n, {
 *   identityRegistry: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
 *   recordRegistry: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512',
 *   consentManager: '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0',
 *   delegationRegistry: '0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9',
 *   streamAnchors: '0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9',
 *   diseaseReports: '0x5FC8d32690cc91D4c39d9d3abcBD16989F875707',
 * });
 * addressesForChain(31337n, manifest).consentManager;
 * ```
 */
export function addressesForChain(
  chainId: bigint | number,
  manifest: DeploymentManifest = deployments,
): MhrChainAddresses {
  const addresses = manifest[String(chainId)];
  if (!addresses) throw new DeploymentNotFoundError({ chainId: BigInt(chainId) });
  return addresses;
}

/**
 * A copy of `manifest` with `addresses` recorded for `chainId` (serialize it with `JSON.stringify`).
 *
 * @example
 * ```ts
 * import { withDeployment } from '@mhrchain/contracts';
 *
 * // const { chainId, addresses } = await deployMhrChain({ deployer });
 * // writeFileSync('deployments.json', JSON.stringify(withDeployment(manifest, chainId, addresses), null, 2));
 * ```
 */
export function withDeployment(
  manifest: DeploymentManifest,
  chainId: bigint | number,
  addresses: MhrChainAddresses,
): DeploymentManifest {
  return { ...manifest, [String(chainId)]: addresses };
}
