import { BaseError, type ErrorParameters } from '@mhrchain/core';
import { type ErrorDescription, Interface } from 'ethers';
import type { AbiItem, AbiParameter, ErrorArgs, ErrorName } from './abiTypes.js';
import { type MhrChainAbiItems, mhrChainAbis } from './mhrChainAbis.js';

/** The name of any custom error of the MHR Chain contracts, e.g. `'NoActiveGrant'`. */
export type ContractErrorName = ErrorName<MhrChainAbiItems>;

/** The arguments of custom error `N`, by name. */
export type ContractErrorArgs<N extends ContractErrorName> = ErrorArgs<MhrChainAbiItems, N>;

/**
 * A contract call reverted with one of the contracts' custom errors, decoded by name. A revert found at the estimate
 * or the call has the provider's error as `cause`; a transaction that was mined and reverted has a
 * `TransactionRevertedError` (`hash`, `blockNumber`) as `cause`, its reason recovered by replaying it at its block.
 *
 * @example
 * ```ts
 * import { ContractRevertError } from '@mhrchain/contracts';
 *
 * try {
 *   // await chain.consentManager.write.revokeAccess(doctor, serial);
 * } catch (error) {
 *   if (error instanceof ContractRevertError && error.errorName === 'NoActiveGrant') console.log(error.args);
 * }
 * ```
 */
export class ContractRevertError<N extends ContractErrorName = ContractErrorName> extends BaseError {
  static override name = 'ContractRevertError';
  override name = 'ContractRevertError';
  /** The custom error's name, as in the Solidity source. */
  readonly errorName: N;
  /** The custom error's arguments, by name. */
  readonly args: ContractErrorArgs<N>;
  /** The raw revert data. */
  readonly data: string;

  constructor(parameters: { errorName: N; args: ContractErrorArgs<N>; data: string; cause?: unknown }) {
    const { errorName, args, data, cause } = parameters;
    super(`The contract reverted with ${errorName}.`, {
      cause,
      details: `${errorName}(${Object.values(args as object)
        .map((value) => String(value))
        .join(', ')})`,
      docsPath: 'errors.md#contract-reverts',
    });
    this.errorName = errorName;
    this.args = args;
    this.data = data;
  }
}

/**
 * A contract call failed without a known custom error (unknown revert, out of gas, network failure). A transaction
 * mined and reverted without a recoverable custom error is a `TransactionRevertedError` instead.
 *
 * @example
 * ```ts
 * import { ContractCallError } from '@mhrchain/contracts';
 *
 * const error = new ContractCallError('The call failed.', { details: 'timeout' });
 * ```
 */
export class ContractCallError extends BaseError {
  static override name = 'ContractCallError';
  override name = 'ContractCallError';
  constructor(shortMessage: string, parameters: ErrorParameters = {}) {
    super(shortMessage, { ...parameters, docsPath: 'errors.md#contract-reverts' });
  }
}

/**
 * No deployment of the MHR Chain contracts is known for a chain id.
 *
 * @example
 * ```ts
 * import { DeploymentNotFoundError } from '@mhrchain/contracts';
 *
 * const error = new DeploymentNotFoundError({ chainId: 5n });
 * error.chainId; // 5n
 * ```
 */
export class DeploymentNotFoundError extends BaseError {
  static override name = 'DeploymentNotFoundError';
  override name = 'DeploymentNotFoundError';
  /** The chain id that has no known deployment. */
  readonly chainId: bigint;

  constructor(parameters: { chainId: bigint }) {
    const { chainId } = parameters;
    super(`No MHR Chain deployment is known for chain id ${chainId}.`, {
      docsPath: 'errors.md#deployments',
      metaMessages: [
        'Deploy the contracts with deployMhrChain, or pass your own manifest: addressesForChain(chainId, manifest).',
      ],
    });
    this.chainId = chainId;
  }
}

/** @deprecated Use {@link DeploymentNotFoundError} (renamed to follow `docs/errors.md#conventions`). */
export const UnknownDeploymentError = DeploymentNotFoundError;
/** @deprecated Use {@link DeploymentNotFoundError}. */
export type UnknownDeploymentError = DeploymentNotFoundError;

/**
 * A configured contract address holds no contract code on the chain: the contracts are not deployed there (a fresh
 * dev chain, a wrong manifest, the wrong network).
 *
 * @example
 * ```ts
 * import { ContractNotDeployedError } from '@mhrchain/contracts';
 *
 * const error = new ContractNotDeployedError({
 *   chainId: 31337n,
 *   contract: 'consentManager',
 *   address: '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0',
 * });
 * error.contract; // 'consentManager'
 * ```
 */
export class ContractNotDeployedError extends BaseError {
  static override name = 'ContractNotDeployedError';
  override name = 'ContractNotDeployedError';
  /** The chain checked. */
  readonly chainId: bigint;
  /** The contract with no code (its key in `MhrChainAddresses`). */
  readonly contract: string;
  /** The address that has no code. */
  readonly address: string;

  constructor(parameters: { chainId: bigint; contract: string; address: string }) {
    const { chainId, contract, address } = parameters;
    super(`The MHR Chain contracts are not deployed at the configured addresses on chain ${chainId}.`, {
      details: `${contract} at ${address} has no contract code`,
      docsPath: 'errors.md#deployments',
      metaMessages: ['Deploy them with deployMhrChain (a fresh dev chain), or pass the addresses of your deployment.'],
    });
    this.chainId = chainId;
    this.contract = contract;
    this.address = address;
  }
}

let errorInterface: Interface | undefined;
const knownSignatures = new Set<string>();

/** One Interface holding every custom error of every contract (deduplicated by signature). */
function allErrors(): Interface {
  if (errorInterface) return errorInterface;
  const seen = new Map<string, AbiItem>();
  for (const abi of Object.values(mhrChainAbis)) {
    for (const item of abi) {
      if (item.type !== 'error') continue;
      const signature = `${item.name}(${item.inputs.map((input: AbiParameter) => input.type).join(',')})`;
      seen.set(signature, item);
    }
  }
  for (const signature of seen.keys()) knownSignatures.add(signature);
  errorInterface = new Interface([...seen.values()]);
  return errorInterface;
}

/**
 * The revert data (`0x` + selector + arguments) an ethers error carries, searched through its nested JSON-RPC error
 * and its causes; `undefined` when there is none.
 *
 * @internal
 */
export function revertDataOf(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const data = (current as { data?: unknown }).data;
    if (typeof data === 'string' && /^0x[0-9a-fA-F]{8}/.test(data)) return data;
    const record = current as { info?: { error?: unknown }; error?: unknown; cause?: unknown };
    current = record.info?.error ?? record.error ?? record.cause;
  }
  return undefined;
}

/**
 * Decodes revert data (`0x` + selector + arguments) into a {@link ContractRevertError}, or `undefined` when the
 * selector is none of the contracts' custom errors.
 *
 * @example
 * ```ts
 * import { decodeRevertData } from '@mhrchain/contracts';
 *
 * decodeRevertData('0xaa5b0f22'); // a ContractRevertError, or undefined for an unknown selector
 * ```
 */
export function decodeRevertData(data: string, cause?: unknown): ContractRevertError | undefined {
  let description: ErrorDescription | null;
  try {
    description = allErrors().parseError(data);
  } catch {
    return undefined;
  }
  // ethers also knows the built-in Error(string) and Panic(uint256); only the contracts' own errors are typed.
  if (!description || !knownSignatures.has(description.signature)) return undefined;
  const args: Record<string, unknown> = {};
  description.fragment.inputs.forEach((input, i) => {
    args[input.name] = description.args[i];
  });
  return new ContractRevertError({
    errorName: description.name as ContractErrorName,
    args: args as ContractErrorArgs<ContractErrorName>,
    data,
    cause,
  });
}

/**
 * Turns whatever a contract call threw (an ethers error, usually) into a typed SDK error: a
 * {@link ContractRevertError} when the revert data is a known custom error, a {@link ContractCallError} otherwise.
 *
 * @example
 * ```ts
 * import { decodeContractError } from '@mhrchain/contracts';
 *
 * const typed = decodeContractError(new Error('network down')); // a ContractCallError
 * ```
 */
export function decodeContractError(error: unknown): ContractRevertError | ContractCallError {
  if (error instanceof ContractRevertError || error instanceof ContractCallError) return error;
  const data = revertDataOf(error);
  const decoded = data === undefined ? undefined : decodeRevertData(data, error);
  if (decoded) return decoded;
  const message = (error as { shortMessage?: string; message?: string })?.shortMessage ?? String(error);
  return new ContractCallError('The contract call failed.', { cause: error, details: message });
}

/**
 * Whether `error` is a {@link ContractRevertError}, optionally with the given custom-error name (narrows `args`).
 *
 * @example
 * ```ts
 * import { isContractRevert } from '@mhrchain/contracts';
 *
 * function explain(error: unknown) {
 *   if (isContractRevert(error, 'NoActiveGrant')) return `no grant for ${error.args.doctor}`;
 *   return 'other failure';
 * }
 * ```
 */
export function isContractRevert<N extends ContractErrorName>(
  error: unknown,
  name?: N,
): error is ContractRevertError<N> {
  if (!(error instanceof ContractRevertError) && (error as Error | undefined)?.name !== 'ContractRevertError') {
    return false;
  }
  return name === undefined || (error as ContractRevertError).errorName === name;
}

/**
 * The anvil binary could not be found or did not start listening.
 *
 * @example
 * ```ts
 * import { AnvilStartError } from '@mhrchain/contracts';
 *
 * const error = new AnvilStartError('anvil exited with code 1.');
 * ```
 */
export class AnvilStartError extends BaseError {
  static override name = 'AnvilStartError';
  override name = 'AnvilStartError';
  constructor(shortMessage: string, parameters: ErrorParameters = {}) {
    super(shortMessage, { ...parameters, docsPath: 'errors.md#local-chains' });
  }
}

/**
 * `startAnvil` found no anvil binary: `@foundry-rs/anvil` is an optional peer dependency of `@mhrchain/contracts`
 * (43 MB, only needed for local chains), so install it beside the SDK (`npm install --save-dev @foundry-rs/anvil`),
 * or pass `binary` / set `ANVIL_BINARY` to an anvil of your own.
 *
 * @example
 * ```ts
 * import { AnvilNotInstalledError } from '@mhrchain/contracts';
 *
 * const error = new AnvilNotInstalledError();
 * console.log(error.shortMessage); // names the package to install
 * ```
 */
export class AnvilNotInstalledError extends AnvilStartError {
  static override name = 'AnvilNotInstalledError';
  override name = 'AnvilNotInstalledError';

  constructor(parameters: { cause?: unknown } = {}) {
    super(
      'No anvil binary: install the optional peer dependency @foundry-rs/anvil (npm install --save-dev @foundry-rs/anvil), or pass `binary` / set ANVIL_BINARY.',
      parameters,
    );
  }
}

/**
 * A stream batch or segment index is invalid (empty batch, index out of range).
 *
 * @example
 * ```ts
 * import { InvalidSegmentBatchError } from '@mhrchain/contracts';
 *
 * const error = new InvalidSegmentBatchError('A stream batch needs at least one segment.');
 * ```
 */
export class InvalidSegmentBatchError extends BaseError {
  static override name = 'InvalidSegmentBatchError';
  override name = 'InvalidSegmentBatchError';
  constructor(shortMessage: string, parameters: ErrorParameters = {}) {
    super(shortMessage, { ...parameters, docsPath: 'live-streaming.md#archive-and-anchors' });
  }
}
