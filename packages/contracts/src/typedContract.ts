import { Contract, type ContractRunner, type Log, type TransactionReceipt } from 'ethers';
import type {
  Abi,
  AbiParameter,
  EventArgs,
  EventFilterArgs,
  EventName,
  FunctionArgs,
  FunctionResult,
  ReadFunctionName,
  WriteFunctionName,
} from './abiTypes.js';
import { LogQueryError, LogRangeError, RpcUnavailableError } from './chainErrors.js';
import { decodeTransactionError } from './decodeTransactionError.js';
import { ContractCallError, decodeContractError } from './errors.js';
import { eventTopicFilter } from './eventTopics.js';
import { freshBlockTag, noteWrittenBlock } from './freshBlock.js';
import { withRetries } from './internal/retry.js';
import { classifyLogError } from './logReader.js';
import type { TransactionManager } from './transactionManager.js';

/**
 * A decoded event of a contract with ABI `TAbi`: a union discriminated by `eventName`.
 */
export type DecodedEvent<TAbi extends Abi, E extends EventName<TAbi> = EventName<TAbi>> = E extends unknown
  ? {
      /** The event's name, as in the Solidity source. */
      eventName: E;
      /** Its arguments, by name. */
      args: EventArgs<TAbi, E>;
      /** The emitting contract. */
      address: string;
      blockNumber: number;
      logIndex: number;
      transactionHash: string;
    }
  : never;

/** The fields of a log that decoding reads: an ethers `Log`, or an `IndexedLog` from an event index, fits. */
export type DecodableLog = Pick<Log, 'address' | 'topics' | 'data' | 'blockNumber' | 'index' | 'transactionHash'>;

/** What a sent transaction gives back once mined. */
export interface WriteResult<TAbi extends Abi> {
  /** The transaction hash. */
  hash: string;
  /** The mined receipt. */
  receipt: TransactionReceipt;
  /** The events this contract emitted in the transaction, decoded. */
  events: DecodedEvent<TAbi>[];
}

/**
 * An event query: the values of indexed arguments to match, and an inclusive block range (default: the whole chain, up
 * to a block that holds this process's last write).
 *
 * @example
 * ```ts
 * import type { consentManagerAbi, EventQuery } from '@mhrchain/contracts';
 *
 * const query: EventQuery<typeof consentManagerAbi, 'AccessGranted'> = {
 *   args: { patient: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' },
 *   fromBlock: 1,
 * };
 * ```
 */
export interface EventQuery<TAbi extends Abi = Abi, E extends string = string> {
  /**
   * Indexed arguments to match, by name: a value, an array of values (any of them), or `null` / missing (anything).
   * Only the event's indexed arguments can be named. Default: every event of that name.
   */
  args?: EventFilterArgs<TAbi, E>;
  fromBlock?: number | bigint;
  toBlock?: number | bigint | 'latest';
}

/** Calls of every `view`/`pure` function, typed from the ABI. */
export type ReadMethods<TAbi extends Abi> = {
  [F in ReadFunctionName<TAbi>]: (...args: FunctionArgs<TAbi, F>) => Promise<FunctionResult<TAbi, F>>;
};

/** Transactions of every state-changing function, typed from the ABI: send, wait for the receipt, decode events. */
export type WriteMethods<TAbi extends Abi> = {
  [F in WriteFunctionName<TAbi>]: (...args: FunctionArgs<TAbi, F>) => Promise<WriteResult<TAbi>>;
};

/** Gas estimates of every state-changing function. */
export type EstimateGasMethods<TAbi extends Abi> = {
  [F in WriteFunctionName<TAbi>]: (...args: FunctionArgs<TAbi, F>) => Promise<bigint>;
};

/** Options of {@link typedContract}. */
export interface TypedContractOptions {
  /**
   * Send every `write` through this transaction manager (see `createTransactionManager`), which owns the account's
   * nonce sequence, fees, replacement and confirmations. It must send from the account of the runner. Default: the
   * runner sends and `write` waits for one confirmation.
   */
  transactions?: TransactionManager;
}

/**
 * An ethers v6 contract typed from an `as const` ABI; reverts surface as typed SDK errors: `ContractRevertError` for a
 * custom error of the contracts, found at the estimate, the call or (for a transaction mined and reverted) by replaying
 * the transaction at its block; `TransactionRevertedError` for a mined revert whose reason cannot be recovered;
 * `ContractCallError` for any other failure of a call or transaction. Event queries fail with the log reader's errors.
 */
export interface TypedContract<TAbi extends Abi> {
  /** The contract's address. */
  readonly address: string;
  /** The contract's ABI. */
  readonly abi: TAbi;
  /** The underlying ethers contract (untyped escape hatch). */
  readonly contract: Contract;
  /** `view`/`pure` calls. */
  readonly read: ReadMethods<TAbi>;
  /** State-changing transactions (need a signer). */
  readonly write: WriteMethods<TAbi>;
  /** Gas estimates of the state-changing functions. */
  readonly estimateGas: EstimateGasMethods<TAbi>;
  /**
   * Fetches and decodes the logs of event `name`, filtered by its indexed arguments (`query.args`) in a block range,
   * in chain order. One `eth_getLogs`: for a provider that limits the range, use `readContractEvents` with a log reader.
   *
   * @throws What a log reader throws, without its splitting and retries: `LogRangeError` (`fromBlock`, `toBlock`: the
   * range asked) when the provider refuses the query for its range or result size, `RpcUnavailableError` when the
   * provider does not answer (one attempt), `LogQueryError` for any other refusal; `InvalidParametersError` for a
   * filter on an argument that is not indexed, or a value of the wrong type.
   */
  events<E extends EventName<TAbi>>(name: E, query?: EventQuery<TAbi, E>): Promise<DecodedEvent<TAbi, E>[]>;
  /** Decodes the logs this contract emitted (others are skipped). */
  decodeLogs(logs: readonly DecodableLog[]): DecodedEvent<TAbi>[];
  /** The same contract with another runner (e.g. another signer); writes then go through that runner. */
  connect(runner: ContractRunner): TypedContract<TAbi>;
}

/** Converts an ethers `Result` (or value) into plain arrays and objects following the ABI parameter. */
export function toPlain(value: unknown, param: AbiParameter): unknown {
  const type = param.type;
  const array = /^(.*)\[\d*\]$/.exec(type);
  if (array) {
    const inner = { ...param, type: array[1]! };
    return Array.from(value as ArrayLike<unknown>, (item) => toPlain(item, inner));
  }
  if (type === 'tuple') {
    const components = param.components ?? [];
    const out: Record<string, unknown> = {};
    components.forEach((component, i) => {
      out[component.name ?? String(i)] = toPlain((value as ArrayLike<unknown>)[i], component);
    });
    return out;
  }
  return value;
}

function plainResult(result: ArrayLike<unknown>, outputs: readonly AbiParameter[]): unknown {
  if (outputs.length === 0) return undefined;
  if (outputs.length === 1) return toPlain(result[0], outputs[0]!);
  return outputs.map((output, i) => toPlain(result[i], output));
}

/**
 * Wraps an ethers v6 contract in typed `read`, `write`, `estimateGas` and event helpers derived from an `as const`
 * ABI: a wrong argument type, an unknown function or an unknown event name fails to compile. Reverts are thrown as
 * {@link ContractRevertError} (decoded by custom-error name) or {@link ContractCallError}.
 *
 * A `write` that is mined and reverts (sent with an explicit `gasLimit`, so nothing was estimated, or the state changed
 * between the estimate and the block) is replayed with `eth_call` at its block, from the same sender with the same
 * data, value and gas limit, to recover the custom error: it throws {@link ContractRevertError} as a revert found at
 * the estimate would, with a `TransactionRevertedError` (`hash`, `blockNumber`) as its `cause`, or that
 * `TransactionRevertedError` itself when the replay does not revert with a custom error of the contracts (out of gas,
 * a later transaction in the block changed the state back, a provider without that block's state).
 *
 * With `options.transactions`, each `write` is encoded here and sent with the manager's `sendAndWait` (a trailing
 * overrides argument passes its `gasLimit`, `value` and fees on): the result has the same shape, and a transaction the
 * manager replaced with higher fees resolves with the receipt of the replacement. Reverts are decoded as without the
 * manager, at the estimate or after mining; the manager's other failures after broadcast are its typed errors
 * (`TransactionReplacedError`, `TransactionDroppedError`).
 *
 * @example
 * ```ts
 * import { JsonRpcProvider } from 'ethers';
 * import { consentManagerAbi, typedContract } from '@mhrchain/contracts';
 *
 * const provider = new JsonRpcProvider('http://127.0.0.1:8545');
 * const consent = typedContract(consentManagerAbi, '0x5FbDB2315678afecb367f032d93F642f64180aa3', provider);
 * // const live: boolean = await consent.read.isGrantActive(patient, doctor);
 * ```
 */
export function typedContract<const TAbi extends Abi>(
  abi: TAbi,
  address: string,
  runner: ContractRunner | null,
  options: TypedContractOptions = {},
): TypedContract<TAbi> {
  const { transactions } = options;
  const contract = new Contract(address, abi, runner);
  const functions = abi.filter((item) => item.type === 'function');
  const read: Record<string, unknown> = {};
  const write: Record<string, unknown> = {};
  const estimateGas: Record<string, unknown> = {};

  const decodeLogs = (logs: readonly DecodableLog[]): DecodedEvent<TAbi>[] => {
    const decoded: DecodedEvent<TAbi>[] = [];
    for (const log of logs) {
      if (log.address.toLowerCase() !== address.toLowerCase()) continue;
      let parsed: ReturnType<Contract['interface']['parseLog']>;
      try {
        parsed = contract.interface.parseLog({ topics: [...log.topics], data: log.data });
      } catch {
        continue;
      }
      if (!parsed) continue;
      const args: Record<string, unknown> = {};
      parsed.fragment.inputs.forEach((input, i) => {
        args[input.name] = toPlain(parsed.args[i], input as unknown as AbiParameter);
      });
      decoded.push({
        eventName: parsed.name,
        args,
        address: log.address,
        blockNumber: log.blockNumber,
        logIndex: log.index,
        transactionHash: log.transactionHash,
      } as DecodedEvent<TAbi>);
    }
    return decoded;
  };

  for (const fn of functions) {
    const name = fn.name!;
    const outputs = fn.outputs ?? [];
    if (fn.stateMutability === 'view' || fn.stateMutability === 'pure') {
      read[name] = async (...args: unknown[]) => {
        try {
          const provider = contract.runner?.provider;
          // Pinned to a block that holds this process's last write (see freshBlockTag); pure functions read no state.
          const overrides =
            provider && fn.stateMutability === 'view' ? [{ blockTag: await freshBlockTag(provider) }] : [];
          return plainResult(await contract.getFunction(name).staticCallResult(...args, ...overrides), outputs);
        } catch (error) {
          throw decodeContractError(error);
        }
      };
      continue;
    }
    estimateGas[name] = async (...args: unknown[]) => {
      try {
        return await contract.getFunction(name).estimateGas(...args);
      } catch (error) {
        throw decodeContractError(error);
      }
    };
    write[name] = async (...args: unknown[]) => {
      let receipt: TransactionReceipt | null;
      let hash: string;
      if (transactions) {
        try {
          // Arguments and a trailing overrides object resolved and encoded as ethers would before sending.
          const request = await contract.getFunction(name).populateTransaction(...args);
          receipt = await transactions.sendAndWait(request);
        } catch (error) {
          throw await decodeTransactionError(contract.runner?.provider, error);
        }
        // The manager noted the block for its provider; the contract's runner may read through another.
        const provider = contract.runner?.provider;
        if (provider) noteWrittenBlock(provider, receipt.blockNumber);
        return { hash: receipt.hash, receipt, events: decodeLogs(receipt.logs) };
      }
      try {
        const tx = await contract.getFunction(name).send(...args);
        hash = tx.hash;
        receipt = await tx.wait();
      } catch (error) {
        // Mined and reverted (status 0): nothing in ethers' error says why, so the call is replayed at its block.
        throw await decodeTransactionError(contract.runner?.provider, error);
      }
      if (!receipt) throw new ContractCallError(`The ${name} transaction was not mined.`, { details: hash });
      const provider = contract.runner?.provider;
      if (provider) noteWrittenBlock(provider, receipt.blockNumber);
      return { hash, receipt, events: decodeLogs(receipt.logs) };
    };
  }

  return {
    address,
    abi,
    contract,
    read: read as ReadMethods<TAbi>,
    write: write as WriteMethods<TAbi>,
    estimateGas: estimateGas as EstimateGasMethods<TAbi>,
    async events<E extends EventName<TAbi>>(name: E, query: EventQuery<TAbi, E> = {}) {
      const topics = eventTopicFilter(contract.interface, name, query.args);
      if (!topics) return [];
      const provider = contract.runner?.provider;
      if (!provider)
        throw new ContractCallError(`Reading ${name} events needs a runner with a provider.`, { details: address });
      const fromBlock = query.fromBlock === undefined ? 0 : Number(query.fromBlock);
      const toBlock =
        query.toBlock === undefined || query.toBlock === 'latest'
          ? await freshBlockTag(provider)
          : Number(query.toBlock);
      let logs: Log[];
      try {
        // One attempt: a provider that does not answer is RpcUnavailableError, as from a log reader.
        logs = await withRetries('eth_getLogs', { retries: 0, retryDelayMs: 0 }, () =>
          provider.getLogs({ address, topics, fromBlock, toBlock }),
        );
      } catch (error) {
        if (error instanceof RpcUnavailableError) throw error;
        if (classifyLogError(error) !== 'range')
          throw new LogQueryError(`The provider rejected the ${name} event query.`, { cause: error });
        const head = toBlock === 'latest' ? await provider.getBlockNumber().catch(() => fromBlock) : toBlock;
        throw new LogRangeError({ fromBlock, toBlock: head, split: false, cause: error });
      }
      return decodeLogs(logs).filter((event): event is DecodedEvent<TAbi, E> => event.eventName === name);
    },
    decodeLogs,
    connect(nextRunner) {
      return typedContract(abi, address, nextRunner);
    },
  };
}
