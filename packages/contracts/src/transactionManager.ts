import { InvalidParametersError } from '@mhrchain/core';
import type { Provider, Signer, TransactionReceipt, TransactionRequest } from 'ethers';
import { TransactionDroppedError, TransactionReplacedError, TransactionRevertedError } from './chainErrors.js';
import { decodeContractError } from './errors.js';
import { noteWrittenBlock } from './freshBlock.js';
import { sleep } from './internal/retry.js';
import { classifyLogError } from './logReader.js';
import { withManagedNonce } from './managedNonce.js';

/** Parameters of {@link createTransactionManager}. */
export interface CreateTransactionManagerParameters {
  /** The sending account (with a provider). Its sends share one nonce sequence with every managed signer of it. */
  signer: Signer;
  /** Blocks a transaction must be under (its own included) before `wait` resolves. Default: 1. */
  confirmations?: number;
  /** A transaction not mined this long after its last broadcast is sent again with higher fees. Default: 30,000 ms. */
  replaceAfterMs?: number;
  /** How much a replacement raises both fees, in percent (nodes require at least 10). Default: 15. */
  feeBumpPercent?: number;
  /** Never offer more than this per gas. Default: no ceiling. */
  maxFeePerGas?: bigint;
  /** Give up (`TransactionDroppedError`) when a transaction is still unmined this long after it was sent. Default: 10 min. */
  timeoutMs?: number;
  /** How often the chain head is polled. Default: 1,000 ms. */
  pollIntervalMs?: number;
  /** Told of each step of each transaction (for logs and tests). */
  onEvent?: (event: TransactionEvent) => void;
}

/** A step in the life of a managed transaction. */
export interface TransactionEvent {
  type: 'sent' | 'replaced' | 'rebroadcast' | 'mined' | 'reorged' | 'confirmed' | 'failed';
  nonce: number;
  hash: string;
  blockNumber?: number;
}

/** A transaction the manager sent and watches until it is confirmed. */
export interface ManagedTransaction {
  /** Its nonce (kept across replacements; a new one only when a dropped broadcast lost it to a later send). */
  readonly nonce: number;
  /** The hash of its latest broadcast. */
  readonly hash: string;
  /** Every hash broadcast for it, oldest first (replacements add one). */
  readonly hashes: readonly string[];
  /**
   * The receipt once the transaction is `confirmations` deep. Fee bumps, rebroadcasts after a drop and re-sends after
   * a reorg happen meanwhile.
   *
   * @throws `TransactionRevertedError` (mined, reverted), `TransactionReplacedError` (another transaction took the
   * nonce), `TransactionDroppedError` (not mined by the timeout).
   */
  wait(): Promise<TransactionReceipt>;
}

/** Sends transactions from one account: one nonce sequence, EIP-1559 fees, replacement, drop and reorg handling. */
export interface TransactionManager {
  /**
   * Estimates gas (a revert surfaces here, typed, and uses no nonce), takes the next nonce and broadcasts; resolves
   * once the node has the transaction. Concurrent calls get consecutive nonces.
   */
  send(request: TransactionRequest): Promise<ManagedTransaction>;
  /** `send`, then `wait`. */
  sendAndWait(request: TransactionRequest): Promise<TransactionReceipt>;
  /** Transactions sent and not yet confirmed or failed. */
  readonly pending: number;
}

interface Fees {
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

/** How long a taken nonce without a receipt of ours must persist before the transaction counts as replaced. */
const REPLACED_AFTER_MS = 1_000;
/** Without a new block, a pending transaction is still looked at this often. */
const RECHECK_MS = 1_000;

const max = (a: bigint, b: bigint) => (a > b ? a : b);
const min = (a: bigint, b: bigint) => (a < b ? a : b);

/**
 * Creates a transaction manager for one account. Every transaction gets its nonce from one sequence (shared with the
 * SDK's other managed signers of the account, see {@link withManagedNonce}), EIP-1559 fees from the latest block
 * (`2 × base fee + tip`), and a watcher that: re-sends it with fees raised by `feeBumpPercent` when it is not mined
 * within `replaceAfterMs`; re-broadcasts it when the node dropped it from its pool; re-sends it when a reorg took it
 * out of the chain; and fails it typed when another transaction took its nonce or the timeout passed.
 *
 * @throws `InvalidParametersError` for a signer without a provider or out-of-range options.
 * @example
 * ```ts
 * import { createTransactionManager } from '@mhrchain/contracts';
 * import { JsonRpcProvider, Wallet } from 'ethers';
 *
 * const provider = new JsonRpcProvider('http://127.0.0.1:8545');
 * const manager = createTransactionManager({ signer: Wallet.createRandom(provider), confirmations: 2 });
 * // const receipt = await manager.sendAndWait({ to, data });
 * ```
 */
export function createTransactionManager(parameters: CreateTransactionManagerParameters): TransactionManager {
  const provider = parameters.signer.provider as Provider | null;
  if (!provider) throw new InvalidParametersError('The transaction manager needs a signer with a provider.');
  const signer = withManagedNonce(parameters.signer);
  const confirmations = parameters.confirmations ?? 1;
  const replaceAfterMs = parameters.replaceAfterMs ?? 30_000;
  const feeBumpPercent = BigInt(parameters.feeBumpPercent ?? 15);
  const timeoutMs = parameters.timeoutMs ?? 600_000;
  const pollIntervalMs = parameters.pollIntervalMs ?? 1_000;
  if (!Number.isSafeInteger(confirmations) || confirmations < 1)
    throw new InvalidParametersError('confirmations must be a positive integer.', { details: String(confirmations) });
  if (feeBumpPercent < 10n)
    throw new InvalidParametersError('feeBumpPercent must be at least 10 (nodes refuse smaller replacements).');
  const emit = (event: TransactionEvent) => parameters.onEvent?.(event);
  let address: Promise<string> | undefined;
  let pending = 0;
  // Which transaction each nonce was last given to.
  const owners = new Map<number, symbol>();

  // One head poll shared by every watcher.
  let head = -1;
  let ticking: Promise<void> | undefined;
  const nextTick = (): Promise<void> => {
    ticking ??= (async () => {
      await sleep(pollIntervalMs);
      try {
        head = await provider.getBlockNumber();
      } finally {
        ticking = undefined;
      }
    })();
    return ticking;
  };

  // Fees of the latest block, shared for a poll interval (a thousand sends ask once).
  let fees: { at: number; value: Promise<Fees> } | undefined;
  const currentFees = (): Promise<Fees> => {
    if (!fees || Date.now() - fees.at > pollIntervalMs) {
      const value = (async () => {
        const [block, data] = await Promise.all([provider.getBlock('latest'), provider.getFeeData()]);
        const tip = data.maxPriorityFeePerGas ?? 1_000_000_000n;
        const base = block?.baseFeePerGas ?? 0n;
        let maxFeePerGas = 2n * base + tip;
        if (parameters.maxFeePerGas !== undefined) maxFeePerGas = min(maxFeePerGas, parameters.maxFeePerGas);
        return { maxFeePerGas, maxPriorityFeePerGas: min(tip, maxFeePerGas) };
      })();
      fees = { at: Date.now(), value };
      value.catch(() => {
        fees = undefined;
      });
    }
    return fees.value;
  };

  const bumped = async (previous: Fees): Promise<Fees> => {
    const now = await currentFees();
    const raise = (value: bigint) => (value * (100n + feeBumpPercent)) / 100n + 1n;
    const maxPriorityFeePerGas = max(raise(previous.maxPriorityFeePerGas), now.maxPriorityFeePerGas);
    let maxFeePerGas = max(raise(previous.maxFeePerGas), max(now.maxFeePerGas, maxPriorityFeePerGas));
    if (parameters.maxFeePerGas !== undefined) maxFeePerGas = min(maxFeePerGas, parameters.maxFeePerGas);
    return { maxFeePerGas, maxPriorityFeePerGas: min(maxPriorityFeePerGas, maxFeePerGas) };
  };

  const send = async (request: TransactionRequest): Promise<ManagedTransaction> => {
    address ??= signer.getAddress();
    const from = await address;
    const [gasLimit, fee, network] = await Promise.all([
      request.gasLimit ??
        signer.estimateGas({ ...request, from }).catch((error: unknown) => {
          throw decodeContractError(error);
        }),
      request.maxFeePerGas != null && request.maxPriorityFeePerGas != null
        ? { maxFeePerGas: BigInt(request.maxFeePerGas), maxPriorityFeePerGas: BigInt(request.maxPriorityFeePerGas) }
        : currentFees(),
      provider.getNetwork(),
    ]);
    const base: TransactionRequest = { ...request, type: 2, gasLimit, chainId: network.chainId, from };
    let response: Awaited<ReturnType<Signer['sendTransaction']>>;
    try {
      response = await signer.sendTransaction({ ...base, ...fee });
    } catch (error) {
      throw decodeContractError(error);
    }
    let nonce = response.nonce;
    const self = Symbol('transaction');
    owners.set(nonce, self);
    const hashes = [response.hash];
    let current: Fees = fee;
    let lastBroadcast = Date.now();
    const startedAt = Date.now();
    pending++;
    emit({ type: 'sent', nonce, hash: response.hash });

    const broadcast = async (next: Fees, type: 'replaced' | 'rebroadcast') => {
      try {
        const resent = await signer.sendTransaction({ ...base, ...next, nonce });
        if (!hashes.includes(resent.hash)) hashes.push(resent.hash);
        current = next;
        emit({ type, nonce, hash: resent.hash });
      } catch {
        // "already known", "nonce too low" (a broadcast of ours was mined), "underpriced": the watcher's next round
        // reads the chain and decides.
      }
      // A rebroadcast at the same fees does not restart the clock of the fee bump.
      if (type === 'replaced') lastBroadcast = Date.now();
    };

    const resend = async () => {
      try {
        const fresh = await signer.sendTransaction({ ...base, ...current });
        nonce = fresh.nonce;
        owners.set(nonce, self);
        hashes.push(fresh.hash);
        emit({ type: 'rebroadcast', nonce, hash: fresh.hash });
      } catch {
        // The next round tries again.
      }
      lastBroadcast = Date.now();
    };

    const watch = async (): Promise<TransactionReceipt> => {
      let seenHead = -1;
      let mined: TransactionReceipt | undefined;
      // When the nonce was first seen taken with no receipt of ours.
      let replacedSince: number | undefined;
      let checkedAt = 0;
      for (;;) {
        try {
          await nextTick();
          const dueForReplacement = Date.now() - lastBroadcast >= replaceAfterMs;
          // A new block, a fee bump due, or a second since the last look (a cached answer may have hidden a receipt).
          if (head === seenHead && !dueForReplacement && Date.now() - checkedAt < RECHECK_MS) continue;
          seenHead = head;
          checkedAt = Date.now();
          let receipt: TransactionReceipt | null = null;
          for (const hash of [...hashes].reverse()) {
            receipt = await provider.getTransactionReceipt(hash);
            if (receipt) break;
          }
          if (receipt) {
            replacedSince = undefined;
            if (!mined || mined.blockHash !== receipt.blockHash)
              emit({ type: 'mined', nonce, hash: receipt.hash, blockNumber: receipt.blockNumber });
            mined = receipt;
            if (receipt.status === 0)
              throw new TransactionRevertedError({ hash: receipt.hash, blockNumber: receipt.blockNumber });
            if (head - receipt.blockNumber + 1 >= confirmations) {
              noteWrittenBlock(provider, receipt.blockNumber);
              emit({ type: 'confirmed', nonce, hash: receipt.hash, blockNumber: receipt.blockNumber });
              return receipt;
            }
            continue;
          }
          if (mined) {
            // It was in a block that is no longer on the chain.
            emit({ type: 'reorged', nonce, hash: mined.hash, blockNumber: mined.blockNumber });
            mined = undefined;
          }
          if (Date.now() - startedAt > timeoutMs)
            throw new TransactionDroppedError({ nonce, hashes, reason: `not mined within ${timeoutMs} ms` });
          const used = await provider.getTransactionCount(from, 'latest');
          if (used > nonce) {
            // Our nonce is taken. A receipt of ours may have landed since the look-up above: ask once more.
            const ours = await Promise.all(hashes.map((hash) => provider.getTransactionReceipt(hash)));
            if (ours.some(Boolean)) continue;
            // A provider may answer from a short cache (ethers keeps answers 250 ms): conclude only when it still
            // holds a second later.
            replacedSince ??= Date.now();
            if (Date.now() - replacedSince < REPLACED_AFTER_MS) continue;
            // Taken by another send of this manager (our broadcast was dropped and the account's count moved back):
            // send it again under a new nonce. Taken by anyone else: it was replaced or cancelled.
            if (owners.get(nonce) === self) throw new TransactionReplacedError({ nonce, hashes });
            await resend();
            continue;
          }
          if (dueForReplacement) {
            await broadcast(await bumped(current), 'replaced');
            continue;
          }
          const known = await provider.getTransaction(hashes.at(-1)!);
          if (!known) await broadcast(current, 'rebroadcast');
        } catch (error) {
          const final =
            error instanceof TransactionRevertedError ||
            error instanceof TransactionReplacedError ||
            error instanceof TransactionDroppedError;
          // An unreachable provider (connection refused or reset, HTTP 5xx, timeouts) pauses the watch, up to the timeout.
          if (final || classifyLogError(error) !== 'transient') throw error;
          if (Date.now() - startedAt > timeoutMs)
            throw new TransactionDroppedError({ nonce, hashes, reason: `provider unreachable past ${timeoutMs} ms` });
        }
      }
    };

    // Watched from now on, whether or not anyone waits yet.
    const settled = watch().then(
      (receipt) => {
        pending--;
        if (owners.get(nonce) === self) owners.delete(nonce);
        return receipt;
      },
      (error: unknown) => {
        pending--;
        emit({ type: 'failed', nonce, hash: hashes.at(-1)! });
        throw error;
      },
    );
    settled.catch(() => undefined);
    return {
      get nonce() {
        return nonce;
      },
      get hash() {
        return hashes.at(-1)!;
      },
      hashes,
      wait: () => settled,
    };
  };

  return {
    send,
    async sendAndWait(request) {
      return (await send(request)).wait();
    },
    get pending() {
      return pending;
    },
  };
}
