import {
  AbstractSigner,
  type Provider,
  type Signer,
  type TransactionRequest,
  type TransactionResponse,
  type TypedDataDomain,
  type TypedDataField,
} from 'ethers';

/**
 * How long after a send the account's last nonce is trusted over the provider's pending count. Providers may answer
 * `eth_getTransactionCount` from a short cache (ethers' `JsonRpcProvider` keeps answers 250 ms by default): a count
 * read that soon after a send can be one behind. After this window the chain's count wins, so a transaction dropped
 * from the pool leaves no gap.
 */
const TRUST_LAST_SEND_MS = 2_000;

interface AccountNonces {
  /** The nonce after the last transaction this process sent from the account. */
  next: number | undefined;
  /** When that transaction was sent (ms since the epoch). */
  sentAt: number;
  /** The tail of the account's send queue: sends from one account are ordered. */
  tail: Promise<unknown>;
}

// One record per provider and account, shared by every managed signer of that account, so two clients of one wallet
// never pick the same nonce.
const accounts = new WeakMap<Provider, Map<string, AccountNonces>>();

function accountNonces(provider: Provider, address: string): AccountNonces {
  let byAddress = accounts.get(provider);
  if (!byAddress) {
    byAddress = new Map();
    accounts.set(provider, byAddress);
  }
  const key = address.toLowerCase();
  let state = byAddress.get(key);
  if (!state) {
    state = { next: undefined, sentAt: 0, tail: Promise.resolve() };
    byAddress.set(key, state);
  }
  return state;
}

class ManagedNonceSigner extends AbstractSigner {
  readonly inner: Signer;

  constructor(inner: Signer) {
    super(inner.provider);
    this.inner = inner;
  }

  getAddress(): Promise<string> {
    return this.inner.getAddress();
  }

  connect(provider: Provider | null): Signer {
    return new ManagedNonceSigner(this.inner.connect(provider));
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
    const provider = this.inner.provider;
    if (!provider) return this.inner.sendTransaction(tx);
    const state = accountNonces(provider, await this.getAddress());
    const chosen = tx.nonce ?? undefined;
    const send = state.tail.then(async () => {
      let nonce = chosen;
      if (nonce === undefined) {
        const pending = await provider.getTransactionCount(await this.getAddress(), 'pending');
        const recent = state.next !== undefined && Date.now() - state.sentAt < TRUST_LAST_SEND_MS;
        nonce = recent && state.next! > pending ? state.next! : pending;
      }
      // A send that fails before the transaction is broadcast (a revert found by gas estimation, a refused prompt)
      // uses no nonce: the record moves only once the node has the transaction.
      const response = await this.inner.sendTransaction({ ...tx, nonce });
      if (state.next === undefined || nonce + 1 > state.next) state.next = nonce + 1;
      state.sentAt = Date.now();
      return response;
    });
    state.tail = send.catch(() => undefined);
    return send;
  }
}

/**
 * Wraps `signer` so that the SDK picks each transaction's nonce: sends from one account are queued, and a nonce just
 * used is never handed out again, even when the provider answers the pending count from a stale cache (two
 * transactions sent back to back through a default ethers `JsonRpcProvider` otherwise fail with "nonce has already
 * been used"). A transaction that fails before it is broadcast uses no nonce. A nonce set by the caller is kept (and counted).
 * Wrapping twice returns the same signer. `createConsentClient` and `deployMhrChain` do this for you.
 *
 * @example
 * ```ts
 * import { withManagedNonce } from '@mhrchain/contracts';
 * import { JsonRpcProvider, Wallet } from 'ethers';
 *
 * const provider = new JsonRpcProvider('http://127.0.0.1:8545');
 * const signer = withManagedNonce(Wallet.createRandom(provider));
 * // await signer.sendTransaction({ to, value }); await signer.sendTransaction({ to, value }); // distinct nonces
 * ```
 */
export function withManagedNonce(signer: Signer): Signer {
  return signer instanceof ManagedNonceSigner ? signer : new ManagedNonceSigner(signer);
}
