import { getAddress, getBytes, hexlify, Interface, type JsonRpcApiProvider, type ParamType } from 'ethers';
import type { MhrChainAddresses } from './mhrChain.js';
import { mhrChainAbis } from './mhrChainAbis.js';
import { OBSERVER_VIEW, type ObservableFact } from './observerView.js';

/** A plaintext the chain must not contain: text (matched as UTF-8) or bytes (e.g. a file's). */
export type PrivacyNeedle = string | { readonly label: string; readonly bytes: Uint8Array };

/** Parameters of {@link scanChainPrivacy}. */
export interface ScanChainPrivacyParameters {
  /** Any JSON-RPC provider of the chain. */
  provider: JsonRpcApiProvider;
  /** The deployment to read. */
  addresses: MhrChainAddresses;
  /**
   * What must appear nowhere: names, titles, diagnoses, purposes as text, file contents. Text is matched as UTF-8
   * (and its lower case); bytes longer than 32 are matched by every 32-byte window starting at a multiple of 16.
   */
  plaintexts?: readonly PrivacyNeedle[];
  /** First block to read (default 0). */
  fromBlock?: number;
  /** Last block to read (default: the latest). */
  toBlock?: number;
  /** The list of what an observer may learn (default {@link OBSERVER_VIEW}). */
  view?: readonly ObservableFact[];
}

/** A plaintext found on chain. */
export interface PlaintextLeak {
  /** The needle's label (the text itself for a text needle). */
  plaintext: string;
  /** The field that carries it (see {@link ObservableFact.fields}), or `transaction.data` for other calldata. */
  field: string;
  /** The transaction, when the leak is in a transaction or event (storage leaks have none). */
  transactionHash?: string;
}

/** What {@link scanChainPrivacy} read and found. */
export interface ScanChainPrivacyReturnType {
  blocks: number;
  transactions: number;
  events: number;
  /** Storage slots read (0 when the node cannot dump its state: then storage was not scanned). */
  storageSlots: number;
  /** Every field observed, with how often. */
  observed: Map<string, number>;
  /** Plaintexts found (empty: none). */
  leaks: PlaintextLeak[];
  /** Observed fields that the observer view does not list (empty: every field is accounted for). */
  unlisted: string[];
}

const hex = (bytes: Uint8Array) => hexlify(bytes).slice(2);

function needlePatterns(needle: PrivacyNeedle): { label: string; patterns: string[] } {
  if (typeof needle === 'string') {
    const variants = new Set([needle, needle.toLowerCase(), needle.toUpperCase()]);
    return { label: needle, patterns: [...variants].map((s) => hex(new TextEncoder().encode(s))) };
  }
  const { bytes } = needle;
  if (bytes.length <= 32) return { label: needle.label, patterns: [hex(bytes)] };
  const patterns: string[] = [];
  for (let i = 0; i + 32 <= bytes.length; i += 16) patterns.push(hex(bytes.subarray(i, i + 32)));
  return { label: needle.label, patterns };
}

/** `name` of a parameter, flattened over tuples: `scope.kind`, `scope.category`, … */
function flatNames(prefix: string, param: ParamType): string[] {
  const name = prefix ? `${prefix}.${param.name}` : param.name;
  return param.isTuple() ? param.components.flatMap((c) => flatNames(name, c)) : [name];
}

const signature = (contract: string, name: string, inputs: readonly ParamType[], open: string, close: string) =>
  `${contract}.${name}${open}${inputs.flatMap((p) => flatNames('', p)).join(', ')}${close}`;

/**
 * Reads the chain as any observer can — every transaction's sender, target and input, every event of the MHR Chain
 * contracts, and (where the node can dump its state, as anvil does) every storage slot of the contracts — and reports
 * (1) each plaintext found anywhere and (2) each observed field that `view` (the threat model's list of what an
 * observer may learn) does not account for. Use it on a test deployment after running a story end to end, to show
 * that nothing personal reached the chain.
 *
 * @example
 * ```ts
 * import { type MhrChainAddresses, scanChainPrivacy } from '@mhrchain/contracts';
 * import type { JsonRpcProvider } from 'ethers';
 *
 * declare const provider: JsonRpcProvider;
 * declare const addresses: MhrChainAddresses;
 * const { leaks, unlisted } = await scanChainPrivacy({ provider, addresses, plaintexts: ['Ana Quintero'] });
 * if (leaks.length > 0 || unlisted.length > 0) throw new Error('the chain shows more than the threat model says');
 * ```
 */
export async function scanChainPrivacy(parameters: ScanChainPrivacyParameters): Promise<ScanChainPrivacyReturnType> {
  const { provider, addresses } = parameters;
  const view = parameters.view ?? OBSERVER_VIEW;
  const listed = new Set(view.flatMap((fact) => fact.fields));
  const needles = (parameters.plaintexts ?? []).map(needlePatterns);
  const byAddress = new Map<string, { name: string; abi: Interface }>();
  for (const [name, abi] of Object.entries(mhrChainAbis))
    byAddress.set(getAddress(addresses[name as keyof MhrChainAddresses]), { name, abi: new Interface(abi) });

  const observed = new Map<string, number>();
  const leaks: PlaintextLeak[] = [];
  const see = (field: string) => observed.set(field, (observed.get(field) ?? 0) + 1);
  const search = (haystack: string, field: string, transactionHash?: string) => {
    const text = haystack.toLowerCase().replace(/0x/g, '');
    for (const { label, patterns } of needles)
      if (patterns.some((p) => text.includes(p))) leaks.push({ plaintext: label, field, transactionHash });
  };

  const toBlock = parameters.toBlock ?? (await provider.getBlockNumber());
  const fromBlock = parameters.fromBlock ?? 0;
  let transactions = 0;
  let events = 0;
  for (let n = fromBlock; n <= toBlock; n++) {
    const block = await provider.getBlock(n, true);
    if (!block) continue;
    if (block.prefetchedTransactions.length > 0) see('block.timestamp');
    for (const tx of block.prefetchedTransactions) {
      transactions++;
      see('transaction.from');
      see('transaction.nonce');
      if (tx.value > 0n) see('transaction.value');
      const target = tx.to ? byAddress.get(getAddress(tx.to)) : undefined;
      if (!tx.to) see('transaction.deploy');
      else see('transaction.to');
      const parsed = target?.abi.parseTransaction({ data: tx.data, value: tx.value });
      const inputField = parsed && target ? signature(target.name, parsed.name, parsed.fragment.inputs, '(', ')') : '';
      if (inputField) see(inputField);
      if (tx.to && !target && tx.data !== '0x') see('transaction.data');
      search(tx.data, inputField || (tx.to ? 'transaction.data' : 'transaction.deploy'), tx.hash);
      const receipt = await provider.getTransactionReceipt(tx.hash);
      for (const log of receipt?.logs ?? []) {
        const source = byAddress.get(getAddress(log.address));
        const event = source?.abi.parseLog(log);
        const field =
          source && event
            ? signature(source.name, event.name, event.fragment.inputs, '{', '}')
            : `${log.address}.unknown-event`;
        events++;
        see(field);
        search([log.data, ...log.topics].join(''), field, tx.hash);
      }
    }
  }

  let storageSlots = 0;
  const state = await dumpState(provider);
  for (const [address, { name }] of byAddress) {
    for (const [slot, value] of Object.entries(state?.[address]?.storage ?? {})) {
      storageSlots++;
      see(`${name}.storage`);
      search(`${slot}${value}`, `${name}.storage`);
    }
  }
  const unlisted = [...observed.keys()].filter((field) => !listed.has(field)).sort();
  return { blocks: toBlock - fromBlock + 1, transactions, events, storageSlots, observed, leaks, unlisted };
}

/** Every account's storage from the node's state dump (anvil's `anvil_dumpState`); undefined when unavailable. */
async function dumpState(
  provider: JsonRpcApiProvider,
): Promise<Record<string, { storage?: Record<string, string> }> | undefined> {
  let raw: string;
  try {
    raw = await provider.send('anvil_dumpState', []);
  } catch {
    return undefined; // not anvil: storage is not scanned (storageSlots stays 0)
  }
  let bytes: Uint8Array = getBytes(raw.startsWith('0x') ? raw : `0x${raw}`);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
    bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  }
  const json = JSON.parse(new TextDecoder().decode(bytes)) as {
    accounts?: Record<string, { storage?: Record<string, string> }>;
  };
  const state: Record<string, { storage?: Record<string, string> }> = {};
  for (const [key, account] of Object.entries(json.accounts ?? {})) state[getAddress(key)] = account;
  return state;
}
