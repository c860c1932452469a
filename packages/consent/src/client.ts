import type { MhrChain, MhrChainAddresses } from '@mhrchain/contracts';
import {
  assertDeployed,
  type CreateTransactionManagerParameters,
  connectMhrChain,
  createEventIndex,
  createLogReader,
  createTransactionManager,
  type EventIndex,
  type EventIndexStore,
  type TransactionManager,
  withManagedNonce,
} from '@mhrchain/contracts';
import { deriveBoundIdentity, deriveIdentityFromSigner, type Identity, type IdentityKeyStore } from '@mhrchain/core';
import { getAddress, type Provider, type Signer } from 'ethers';
import { InvalidConsentParametersError } from './errors.js';
import { createMemoryJournalStore, type JournalStore } from './journal.js';
import { createOtpConfirmations, type OtpConfirmations, type OtpConfirmationsOptions } from './otpConfirmations.js';
import type { RecordStore } from './recordStore.js';
import type { AccessScope, Hex } from './scope.js';

/** An access request the patient's app issued a one-time code for. */
export interface PendingOtpRequest {
  requestId: Hex;
  doctor: string;
  scope: AccessScope;
  purpose: Hex;
  duration: number;
  nonce: Uint8Array;
}

/**
 * What every flow takes first: the account's wallet and X25519 identity, the contracts, and the envelope storage.
 * One client per account (patient, doctor or colleague); create it with {@link createConsentClient}.
 */
export interface ConsentClient {
  /** The account's checksummed address. */
  readonly address: string;
  /** The account's wallet (signs transactions, or relayed EIP-712 actions when `relayer` is set). */
  readonly signer: Signer;
  /** The chain's provider. */
  readonly provider: Provider;
  readonly chainId: bigint;
  /** The contracts, connected to the account's signer. */
  readonly chain: MhrChain;
  /** The contracts, connected to the relayer when there is one (patient actions go through it, gasless). */
  readonly relayerChain: MhrChain | undefined;
  /** The account's X25519 identity. */
  readonly identity: Identity;
  /** Envelope storage. */
  readonly store: RecordStore;
  /** The patient's one-time code book (see `issueAccessOtp` / `approveWithOtp`). */
  readonly otp: OtpConfirmations;
  /** The requests with an outstanding one-time code, by request id. */
  readonly pendingOtp: PendingOtpStore;
  /** First block scanned for events (the contracts' deployment block). */
  readonly fromBlock: number;
  /** The account's action journal and access ledger (see `resumePendingActions`, `verifyAccess`). */
  readonly journal: JournalStore;
  /** The event index the client's reads go through, when it has one (see `CreateConsentClientParameters.eventIndex`). */
  readonly eventIndex?: EventIndex;
  /** The transaction manager of the account's writes, when it has one (see `CreateConsentClientParameters.transactions`). */
  readonly transactions?: TransactionManager;
  /** The transaction manager of the relayer's submissions, when the client has a relayer and `transactions` is set. */
  readonly relayerTransactions?: TransactionManager;
}

/** Options of the transaction managers {@link createConsentClient} builds (see `CreateConsentClientParameters.transactions`). */
export type ConsentTransactionOptions = Omit<CreateTransactionManagerParameters, 'signer'>;

/** Options of the event index {@link createConsentClient} builds (see `CreateConsentClientParameters.eventIndex`). */
export interface ConsentEventIndexOptions {
  /** Where the index persists. Default: memory (the first read after a restart reads the history again). */
  store?: EventIndexStore;
  /** The widest `eth_getLogs` asked, in blocks; shrunk further on the provider's refusals. Default: 10,000. */
  maxBlockRange?: number;
}

/** Where the patient's app keeps the requests it issued codes for. A `Map` works; apps may persist them. */
export interface PendingOtpStore {
  get(requestId: string): PendingOtpRequest | undefined;
  set(requestId: string, request: PendingOtpRequest): unknown;
  delete(requestId: string): unknown;
  clear(): void;
}

/**
 * Where {@link createConsentClient} takes the account's X25519 identity from (see
 * {@link CreateConsentClientParameters.identity}).
 */
export type ConsentIdentitySource =
  | Identity
  | {
      /** The application's origin (`location.origin`, e.g. `'https://ehr.example'`) or app id. */
      readonly origin: string;
    }
  | {
      /** The store holding the account's random identity. */
      readonly keyStore: IdentityKeyStore;
    };

/** Parameters of {@link createConsentClient}. */
export interface CreateConsentClientParameters {
  /** The account's wallet, connected to a provider. */
  signer: Signer;
  /** The MHR Chain contract addresses on the signer's chain (see `addressesForChain`). */
  addresses: MhrChainAddresses;
  /** Envelope storage (an embedded Helia node, memory, …). */
  store: RecordStore;
  /**
   * The account's X25519 identity, or where it comes from:
   *
   * - `{ origin }`: derived from `signer` for this application on this deployment (`deriveBoundIdentity` with the
   *   signer's chain id and `addresses.identityRegistry`). Choose it for new accounts whose key should follow the
   *   wallet to any device: a signature obtained by another site or for another chain does not give this key. It can
   *   never be shredded (the wallet derives it again).
   * - `{ keyStore }`: a random identity kept in an `IdentityKeyStore` (`createFileIdentityKeyStore` from
   *   `@mhrchain/core/node`, `createIndexedDbIdentityKeyStore` in browsers, `createMemoryIdentityKeyStore`), created on
   *   first use. Choose it when erasure matters: `keyStore.shred()` destroys the stored key and the copies the store
   *   handed out, and nothing can derive it again. The app must back it up (and erase the backups when shredding), or
   *   it is lost with the device.
   * - an {@link Identity}: used as given.
   * - omitted: the legacy wallet-derived identity (`deriveIdentityFromSigner`), bound to no origin, chain or
   *   contract. Kept as the default for accounts registered with it; do not choose it for new accounts.
   *
   * An account keeps the identity it registered with: the kinds give different keys, and records wrapped for one
   * cannot be opened with another.
   */
  identity?: ConsentIdentitySource;
  /** A relayer's wallet: when set, the patient's actions are signed (EIP-712) and submitted by the relayer. */
  relayer?: Signer;
  /** Options of the one-time code book (pass a persistent `store` to survive app restarts). */
  otp?: OtpConfirmationsOptions;
  /** Where the requests with an outstanding code are kept. Default: in memory. */
  pendingOtp?: PendingOtpStore;
  /** First block to scan for events: the contracts' deployment block on a long chain. Default 0. */
  fromBlock?: number;
  /**
   * Where multi-step actions record their progress, so `resumePendingActions` can finish them after a crash: a
   * durable store in a real app (`createFileJournalStore` from `@mhrchain/consent/node`, `createIndexedDbJournalStore`
   * in browsers). One journal per account. Default: in memory (nothing survives a restart).
   */
  journal?: JournalStore;
  /**
   * Read the contracts' events through an incremental index instead of one `eth_getLogs` from `fromBlock` to the head
   * on every read (hosted providers refuse those past a block range or result count, and re-reading a long chain is
   * slow). `true` or options: an index of the six contracts from `fromBlock`, read in pages, kept up to date by each
   * read (only the new blocks are read; reorgs are undone), in memory unless `store` is given
   * (`createFileEventStore` from `@mhrchain/contracts/node`). Or an index of your own over the same contracts
   * (`createEventIndex`), shared by several clients. Default: no index.
   */
  eventIndex?: true | ConsentEventIndexOptions | EventIndex;
  /**
   * Send every write through a transaction manager (`createTransactionManager` from `@mhrchain/contracts`): EIP-1559
   * fees, a fee-bumped replacement when a transaction is not mined in time, a rebroadcast when the node drops it, a
   * re-send after a reorg, and `confirmations` before a flow goes on; a replaced transaction resolves with its
   * replacement's receipt. `true` or options: a manager for the signer, and one for the relayer (same options) that
   * submits the patient's relayed actions. Or a manager of your own created for `signer` (shared by several clients of
   * the account); the relayer then gets one with the default options. Default: the signer sends, one confirmation.
   */
  transactions?: true | ConsentTransactionOptions | TransactionManager;
}

/** The managers a client's writes go through, from its `transactions` option. */
function transactionManagersOf(
  option: CreateConsentClientParameters['transactions'],
  signer: Signer,
  relayer: Signer | undefined,
): { transactions?: TransactionManager; relayerTransactions?: TransactionManager } {
  if (option === undefined) return {};
  if (option !== true && 'sendAndWait' in option)
    return { transactions: option, relayerTransactions: relayer && createTransactionManager({ signer: relayer }) };
  const options: ConsentTransactionOptions = option === true ? {} : option;
  return {
    transactions: createTransactionManager({ ...options, signer }),
    relayerTransactions: relayer && createTransactionManager({ ...options, signer: relayer }),
  };
}

/** The index a client reads through, from its `eventIndex` option. */
function eventIndexOf(
  option: CreateConsentClientParameters['eventIndex'],
  provider: Provider,
  addresses: MhrChainAddresses,
  fromBlock: number,
): EventIndex | undefined {
  if (option === undefined) return undefined;
  if (option !== true && 'sync' in option) return option;
  const options: ConsentEventIndexOptions = option === true ? {} : option;
  return createEventIndex({
    provider,
    address: Object.values(addresses),
    fromBlock,
    store: options.store,
    reader: createLogReader({ provider, maxBlockRange: options.maxBlockRange }),
  });
}

/**
 * Creates the client of one account: a patient, a doctor or a colleague.
 *
 * The signer (and relayer) are wrapped with `withManagedNonce`, so the flows' back-to-back transactions never reuse a
 * nonce, whatever the provider caches. With `transactions`, writes go through transaction managers of the signer and
 * the relayer instead (see {@link CreateConsentClientParameters.transactions}).
 *
 * The identity comes from `identity` (see {@link CreateConsentClientParameters.identity}): pass `{ origin }` for a
 * wallet-derived identity bound to the app and deployment, `{ keyStore }` for a random one that can be shredded.
 *
 * @throws {@link InvalidConsentParametersError} when the signer has no provider, or `identity` is none of the kinds.
 * @throws `IdentityDerivationError`, `InvalidParametersError` or `IdentityShreddedError` (from `@mhrchain/core`) when
 * the identity cannot be derived or loaded.
 * @throws `ContractNotDeployedError` (from `@mhrchain/contracts`) when an address in `addresses` has no contract code.
 * @throws `InvalidParametersError` (from `@mhrchain/core`) for out-of-range `transactions` options.
 * @example
 * ```ts
 * import { createConsentClient, createMemoryRecordStore } from '@mhrchain/consent';
 * import type { MhrChainAddresses } from '@mhrchain/contracts';
 * import { JsonRpcProvider, Wallet } from 'ethers';
 *
 * declare const addresses: MhrChainAddresses;
 * const provider = new JsonRpcProvider('http://127.0.0.1:8545');
 * const patient = await createConsentClient({
 *   signer: Wallet.createRandom(provider),
 *   addresses,
 *   store: createMemoryRecordStore(),
 *   identity: { origin: 'https://ehr.example' }, // bound to this app, chain and IdentityRegistry
 * });
 * ```
 */
export async function createConsentClient(parameters: CreateConsentClientParameters): Promise<ConsentClient> {
  const { addresses, store } = parameters;
  const provider = parameters.signer.provider;
  if (!provider) throw new InvalidConsentParametersError('The signer must be connected to a provider.');
  if (parameters.relayer && !parameters.relayer.provider)
    throw new InvalidConsentParametersError('The relayer must be connected to a provider.');
  // The SDK picks nonces: flows send several transactions back to back, which a provider's cached pending count
  // would otherwise give the same nonce.
  const signer = withManagedNonce(parameters.signer);
  const relayer = parameters.relayer && withManagedNonce(parameters.relayer);
  const { transactions, relayerTransactions } = transactionManagersOf(parameters.transactions, signer, relayer);
  const networkRead = provider.getNetwork();
  const [address, network, identity] = await Promise.all([
    signer.getAddress(),
    networkRead,
    resolveIdentity(parameters.identity, signer, addresses, networkRead),
    assertDeployed({ provider, addresses }),
  ]);
  return {
    address: getAddress(address),
    signer,
    provider,
    chainId: network.chainId,
    chain: connectMhrChain(signer, addresses, { transactions }),
    relayerChain: relayer ? connectMhrChain(relayer, addresses, { transactions: relayerTransactions }) : undefined,
    identity,
    store,
    otp: createOtpConfirmations(parameters.otp),
    pendingOtp: parameters.pendingOtp ?? new Map(),
    fromBlock: parameters.fromBlock ?? 0,
    journal: parameters.journal ?? createMemoryJournalStore(),
    eventIndex: eventIndexOf(parameters.eventIndex, provider, addresses, parameters.fromBlock ?? 0),
    transactions,
    relayerTransactions,
  };
}

async function resolveIdentity(
  source: ConsentIdentitySource | undefined,
  signer: Signer,
  addresses: MhrChainAddresses,
  network: Promise<{ chainId: bigint }>,
): Promise<Identity> {
  if (source === undefined) return deriveIdentityFromSigner(signer);
  if ('origin' in source)
    return deriveBoundIdentity({
      signer,
      chainId: (await network).chainId,
      contract: addresses.identityRegistry,
      origin: source.origin,
    });
  if ('keyStore' in source) return source.keyStore.getOrCreate();
  if (source.publicKey instanceof Uint8Array && source.secretKey instanceof Uint8Array) return source;
  throw new InvalidConsentParametersError('`identity` must be an Identity, `{ origin }` or `{ keyStore }`.');
}
