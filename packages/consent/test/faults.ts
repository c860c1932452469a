import {
  AbstractSigner,
  type Provider,
  type Signer,
  type TransactionRequest,
  type TransactionResponse,
  type TypedDataDomain,
  type TypedDataField,
} from 'ethers';
import type { CID } from 'multiformats/cid';
import type { RecordStore } from '../src/index.js';

/**
 * What goes wrong at the chosen send: `'refuse'` the wallet refuses (nothing broadcast, the call throws);
 * `'lost'` the transaction is broadcast, then the process dies before it hears back (the call throws);
 * `'kill'` the process dies before broadcasting (the call never returns);
 * `'hold'` the signed transaction reaches another node's pool, not this chain's, and the process dies (the call
 * throws): the test holds it (`SendPlan.held`) and broadcasts it whenever that node would.
 */
export type SendFault = 'refuse' | 'lost' | 'kill' | 'hold';

/** Which send fails and how; a `'hold'` fault pushes the signed transaction to `held`. */
export interface SendPlan {
  at: number;
  fault: SendFault;
  held?: string[];
}

/** Another party's action that lands on chain just before the wallet's `at`-th send (1-based) goes out. */
export interface SendRace {
  at: number;
  run: () => Promise<unknown>;
}

/**
 * A wallet that fails its `at`-th send (1-based) the way `fault` says, and works before and after; with `race`, lets
 * another party act on chain right before the chosen send (between the app's look at the chain and its transaction).
 */
export class FaultySigner extends AbstractSigner {
  sends = 0;
  constructor(
    readonly inner: Signer,
    readonly plan: SendPlan | undefined,
    readonly race?: SendRace,
  ) {
    super(inner.provider);
  }
  getAddress(): Promise<string> {
    return this.inner.getAddress();
  }
  connect(provider: Provider | null): Signer {
    return new FaultySigner(this.inner.connect(provider), this.plan, this.race);
  }
  signTransaction(tx: TransactionRequest): Promise<string> {
    return this.inner.signTransaction(tx);
  }
  signMessage(message: string | Uint8Array): Promise<string> {
    return this.inner.signMessage(message);
  }
  signTypedData(
    domain: TypedDataDomain,
    types: Record<string, TypedDataField[]>,
    value: Record<string, unknown>,
  ): Promise<string> {
    return this.inner.signTypedData(domain, types, value);
  }
  override async sendTransaction(tx: TransactionRequest): Promise<TransactionResponse> {
    this.sends++;
    if (this.race?.at === this.sends) await this.race.run();
    if (this.plan?.at !== this.sends) return this.inner.sendTransaction(tx);
    if (this.plan.fault === 'refuse') throw new Error('injected: the wallet refused the transaction');
    if (this.plan.fault === 'kill') return new Promise<never>(() => {});
    if (this.plan.fault === 'hold') {
      this.plan.held?.push(await this.inner.signTransaction(await this.inner.populateTransaction(tx)));
      throw new Error('injected: the process died after handing the transaction to another node');
    }
    await this.inner.sendTransaction(tx);
    throw new Error('injected: the process died after broadcasting');
  }
}

/** Which store call fails and how; with `before`, the call does not fail: another party acts on chain first. */
export interface StorePlan {
  operation: 'put' | 'pin' | 'delete';
  at: number;
  kill?: boolean;
  before?: () => Promise<unknown>;
}

/**
 * A store whose `at`-th call of `operation` (1-based) fails, or never returns (`kill`), or, with `before`, goes through
 * once `before` has run.
 */
export function faultyStore(inner: Required<RecordStore>, plan: StorePlan | undefined): Required<RecordStore> {
  let calls = 0;
  const call = <T>(operation: StorePlan['operation'], run: () => Promise<T>): Promise<T> => {
    if (plan?.operation !== operation || ++calls !== plan.at) return run();
    const { before } = plan;
    if (before) return before().then(run);
    if (plan.kill) return new Promise<never>(() => {});
    throw new Error(`injected: the store failed a ${plan.operation}`);
  };
  return {
    put: (cid: CID, bytes: Uint8Array) => call('put', () => inner.put(cid, bytes)),
    get: (cid: CID) => inner.get(cid),
    pin: (cid: CID) => call('pin', () => inner.pin(cid)),
    unpin: (cid: CID) => inner.unpin(cid),
    isPinned: (cid: CID) => inner.isPinned(cid),
    has: (cid: CID) => inner.has(cid),
    delete: (cid: CID) => call('delete', () => inner.delete(cid)),
  };
}

/** Settles after `ms` with `'pending'` if `promise` has not settled: a call that a killed process never finished. */
export async function abandoned(promise: Promise<unknown>, ms = 1_500): Promise<'pending' | 'settled'> {
  promise.catch(() => {});
  return Promise.race([
    promise.then(
      () => 'settled' as const,
      () => 'settled' as const,
    ),
    new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), ms)),
  ]);
}
