import {
  ContractRevertError,
  type CreateTransactionManagerParameters,
  createTransactionManager,
  type ManagedTransaction,
  type MhrChain,
} from '@mhrchain/contracts';
import type { Provider, Signer } from 'ethers';
import { openFileQueue, type QueueEntry, type RelayQueue } from './queue.js';
import { createRateLimiter, type RateLimitOptions } from './rateLimit.js';
import { fromWire, type ParsedAction, RelayRejectedError, relayedCall, toWire } from './wire.js';

/** Parameters of {@link createRelayer}. */
export interface CreateRelayerParameters {
  /** The contracts (any runner: the relayer only reads through it). */
  chain: MhrChain;
  /** The relayer's wallet: pays for every submitted action. */
  signer: Signer;
  /** The file that holds the queue (survives restarts). */
  queuePath: string;
  /** Per-patient limit. Default: 30 actions a minute. */
  rateLimit?: RateLimitOptions;
  /** A signature must stay valid at least this long after it arrives. Default: 30 s. */
  deadlineMarginSeconds?: number;
  /** Options of the transaction manager (confirmations, fee bumps, polling). */
  transactions?: Omit<CreateTransactionManagerParameters, 'signer'>;
  /** After a crash between "about to broadcast" and "broadcast", how long to wait for the relayer's pool to drain. */
  recoveryWaitMs?: number;
}

/** What {@link Relayer.submit} answers. */
export interface SubmitResult {
  entry: QueueEntry;
  /** True when this exact action had already been received (nothing new was queued). */
  duplicate: boolean;
}

/** A relayer: validates, queues, submits and tracks patients' signed actions. */
export interface Relayer {
  /**
   * Validates a signed action (shape, known action, deadline, signature nonce not used, rate limit) and queues it.
   * Resubmitting the same signed action returns its entry; another signature over the same nonce is a conflict.
   *
   * @throws `RelayRejectedError` with the HTTP status to answer.
   */
  submit(body: unknown): Promise<SubmitResult>;
  /** The entry of an action id. */
  status(id: string): QueueEntry | undefined;
  /** Settles what a previous run left half-done (from the chain), then submits every queued action. */
  start(): Promise<void>;
  /** Resolves when nothing is queued, sending or waiting to be mined. */
  idle(): Promise<void>;
  /** Stops submitting (what is queued stays queued in the file). */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Creates a relayer over a file queue. Every state change is written to the file before the step it announces, so a
 * restart never submits an action twice: an action the chain already consumed (its signature nonce moved on) is
 * marked mined, whatever the file said.
 */
export async function createRelayer(parameters: CreateRelayerParameters): Promise<Relayer> {
  const { chain } = parameters;
  const provider = parameters.signer.provider as Provider;
  const queue: RelayQueue = await openFileQueue(parameters.queuePath);
  const limiter = createRateLimiter(parameters.rateLimit ?? { perAccount: 30, windowMs: 60_000 });
  const margin = BigInt(parameters.deadlineMarginSeconds ?? 30);
  const manager = createTransactionManager({ signer: parameters.signer, ...parameters.transactions });
  const relayerAddress = await parameters.signer.getAddress();
  let running = false;
  let pump: Promise<void> = Promise.resolve();
  const watching = new Set<Promise<void>>();

  const update = (entry: QueueEntry, change: Partial<QueueEntry>) =>
    queue.put({ ...entry, ...change, updatedAt: Date.now() });

  const signatureNonce = async (parsed: ParsedAction): Promise<bigint> =>
    (await chain[parsed.contract].contract.getFunction('nonces').staticCall(parsed.account)) as bigint;

  /** Whether the chain already consumed the action's signature nonce (by our transaction or anyone's). */
  const consumed = async (entry: QueueEntry) => {
    const parsed = fromWire(entry.action);
    return (await signatureNonce(parsed)) > parsed.signed.nonce;
  };

  const watch = (entry: QueueEntry, tx: ManagedTransaction) => {
    const done = tx
      .wait()
      .then(
        (receipt) =>
          update(queue.get(entry.id)!, { status: 'mined', txHash: receipt.hash, blockNumber: receipt.blockNumber }),
        (error: unknown) => update(queue.get(entry.id)!, { status: 'failed', error: (error as Error).message }),
      )
      .finally(() => watching.delete(done));
    watching.add(done);
  };

  const send = async (entry: QueueEntry) => {
    // The intent first: a crash after the broadcast and before the hash is written leaves "sending", which the next
    // start settles from the chain instead of sending again.
    await update(entry, { status: 'sending' });
    const parsed = fromWire(entry.action);
    try {
      const tx = await manager.send(await relayedCall(chain, parsed.signed));
      await update(queue.get(entry.id)!, { status: 'sent', txHash: tx.hash });
      watch(queue.get(entry.id)!, tx);
    } catch (error) {
      // Refused by simulation (bad signature, used nonce, expired): nothing was broadcast.
      const reason = error instanceof ContractRevertError ? error.errorName : (error as Error).message;
      await update(queue.get(entry.id)!, { status: 'failed', error: reason });
    }
  };

  const drain = async () => {
    for (const entry of queue.all()) {
      if (!running) return;
      if (entry.status === 'queued') await send(entry);
    }
  };
  const kick = () => {
    pump = pump.then(drain, drain);
    return pump;
  };

  /** Settles entries a previous run left between states. */
  const recover = async () => {
    for (const entry of queue.all()) {
      if (entry.status === 'sent' && entry.txHash) {
        const receipt = await provider.getTransactionReceipt(entry.txHash);
        if (receipt) {
          await update(entry, {
            status: receipt.status === 1 ? 'mined' : 'failed',
            blockNumber: receipt.blockNumber,
            error: receipt.status === 1 ? undefined : 'reverted',
          });
        } else if (await consumed(entry)) await update(entry, { status: 'mined' });
        else if (await provider.getTransaction(entry.txHash)) {
          // Still in the pool: wait for it like any other.
          const pending = (async () => {
            const mined = await provider.waitForTransaction(entry.txHash!);
            await update(queue.get(entry.id)!, {
              status: mined?.status === 1 ? 'mined' : 'failed',
              blockNumber: mined?.blockNumber,
            });
          })().finally(() => watching.delete(pending));
          watching.add(pending);
        } else await update(entry, { status: 'queued', txHash: undefined });
      } else if (entry.status === 'sending') {
        // A broadcast may have left before the crash: wait until the relayer has nothing in the pool, then ask the
        // chain whether the signature was used.
        const until = Date.now() + (parameters.recoveryWaitMs ?? 30_000);
        while (Date.now() < until) {
          const [latest, pending] = await Promise.all([
            provider.getTransactionCount(relayerAddress, 'latest'),
            provider.getTransactionCount(relayerAddress, 'pending'),
          ]);
          if (latest === pending) break;
          await sleep(200);
        }
        await update(entry, (await consumed(entry)) ? { status: 'mined' } : { status: 'queued' });
      }
    }
  };

  return {
    async submit(body) {
      const parsed = fromWire(body);
      const existing = queue.get(parsed.id);
      if (existing) {
        if (existing.action.signature !== parsed.signed.signature)
          throw new RelayRejectedError('Another action with this signature nonce was already received.', {
            status: 409,
            details: parsed.id,
          });
        return { entry: existing, duplicate: true };
      }
      const [block, onChain] = await Promise.all([provider.getBlock('latest'), signatureNonce(parsed)]);
      const now = BigInt(block?.timestamp ?? Math.floor(Date.now() / 1000));
      if (parsed.signed.deadline < now + margin)
        throw new RelayRejectedError('The signature expires too soon (or has expired).', {
          status: 400,
          details: `deadline ${parsed.signed.deadline}`,
        });
      if (parsed.signed.nonce < onChain)
        throw new RelayRejectedError('The signature nonce was already used on chain.', {
          status: 409,
          details: `nonce ${parsed.signed.nonce} < ${onChain}`,
        });
      if (!limiter.take(parsed.account))
        throw new RelayRejectedError('Too many actions from this account.', { status: 429 });
      const entry: QueueEntry = {
        id: parsed.id,
        action: toWire(parsed.signed),
        account: parsed.account,
        status: 'queued',
        receivedAt: Date.now(),
        updatedAt: Date.now(),
      };
      await queue.put(entry);
      if (running) void kick();
      return { entry, duplicate: false };
    },
    status: (id) => queue.get(id),
    async start() {
      running = true;
      await recover();
      await kick();
    },
    async idle() {
      for (;;) {
        await pump;
        await Promise.all([...watching]);
        const open = queue.all().some((e) => e.status === 'queued' || e.status === 'sending' || e.status === 'sent');
        if (!open || !running) return;
        await sleep(50);
        await kick();
      }
    },
    async stop() {
      running = false;
      await pump;
    },
  };
}
