/**
 * What the network's coordinator and each party's process say to each other (Node IPC messages, JSON only: CIDs as
 * strings, record bytes never leave the party that holds them, only their SHA-256).
 */
import type { MhrChainAddresses } from '@mhrchain/contracts';

/** The three people of the example, each in a process of their own. */
export type Role = 'patient' | 'doctor' | 'colleague';

/** Where a party's app keeps its records: the patient writes to IPFS nodes, readers read through gateways. */
export type PartyStorage =
  | {
      readonly kind: 'replicated';
      /** RPC API URLs of the Kubo nodes the patient's app writes to. */
      readonly nodes: readonly string[];
      /** Pinned copies before a record counts as durable. */
      readonly k: number;
    }
  | {
      readonly kind: 'gateway';
      /** Trustless gateway URLs, tried in order. */
      readonly gateways: readonly string[];
      /** Milliseconds before a block request fails. */
      readonly timeoutMs: number;
    };

/** The first message to a party: who it is and where the chain and the storage are. */
export interface PartyInit {
  readonly role: Role;
  /** The account's key (an anvil account of the local chain). */
  readonly privateKey: string;
  readonly rpcUrl: string;
  readonly addresses: MhrChainAddresses;
  readonly storage: PartyStorage;
  /** The application origin the parties' encryption keys are bound to. */
  readonly origin: string;
}

/** What a party can be asked to do. */
export type PartyCommand =
  | { readonly action: 'register' }
  | {
      readonly action: 'addRecord';
      readonly title: string;
      readonly mediaType: string;
      readonly category: number;
      /** The record: UTF-8 text, or `size` random bytes (an imaging study). */
      readonly text?: string;
      readonly size?: number;
    }
  | { readonly action: 'requestAccess'; readonly patient: string; readonly days: number }
  | { readonly action: 'approveRequest'; readonly doctor: string }
  | {
      readonly action: 'requestDelegation';
      readonly patient: string;
      readonly colleague: string;
      readonly category: number;
    }
  | { readonly action: 'approveDelegation'; readonly colleague: string }
  | { readonly action: 'revokeAccess'; readonly doctor: string }
  | { readonly action: 'listReadable' }
  | { readonly action: 'read'; readonly cid: string }
  | { readonly action: 'status'; readonly cid: string };

/** A coordinator's message to a party. */
export type ToParty = { readonly id: number } & ({ readonly action: 'init'; readonly init: PartyInit } | PartyCommand);

/** A party's answer to one message. */
export type FromParty =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: { readonly name: string; readonly message: string } };

/** A record the patient added. */
export interface AddedRecord {
  readonly recordId: string;
  readonly cid: string;
  readonly size: number;
  readonly sha256: string;
}

/** A record a reader may read now, as the chain says. */
export interface ListedRecord {
  readonly recordId: string;
  readonly cid: string;
  readonly category: number;
  readonly version: number;
}

/** What happened when a party tried to open an envelope. */
export type ReadOutcome =
  | { readonly opened: true; readonly title: string | undefined; readonly size: number; readonly sha256: string }
  | {
      readonly opened: false;
      /** The typed error's name: `DecryptionError` (not a recipient), `BlockNotFoundError` (gone), … */
      readonly error: string;
    };

/** Where a DAG stands on the patient's nodes ({@link PartyCommand} `status`). */
export interface DurabilityStatus {
  readonly pinned: number;
  readonly k: number;
  /** Per node, in the order of the patient's storage: pinned, not pinned, or unreachable. */
  readonly perNode: readonly ('pinned' | 'not pinned' | 'unreachable')[];
}

/** A record version the patient published (a key release re-wraps the header: a new version, a new CID). */
export interface Published {
  readonly recordId: string;
  readonly version: number;
  readonly cid: string;
}

/** What a revocation published. */
export interface Revocation {
  readonly keyEpoch: string;
  /** Per record the doctor could read: its new version, published without the doctor and the colleague. */
  readonly rotated: readonly Published[];
}
