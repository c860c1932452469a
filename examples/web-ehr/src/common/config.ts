/** A demo account: an address and, for this local demo only, its anvil dev key. */
export interface DemoAccount {
  address: string;
  /** Private key of one of anvil's funded test accounts. Only the page of this role uses it. */
  privateKey: string;
}

/**
 * What the browser app learns from the server that started it (`/mhr-config.json`): where the chain and the
 * storage node are, the contract addresses and, for this local demo only, anvil's funded dev keys of the two roles.
 * Everything else — encryption keys (derived in the browser from the wallet), records, OTP challenges — is created
 * and kept in the browser.
 */
export interface AppConfig {
  /** JSON-RPC URL of the chain (anvil). */
  rpcUrl: string;
  /** Chain id, so the app does not have to ask. */
  chainId: number;
  /** Base URL of the storage node (CAR upload, trustless gateway, relay, ECG feed, registrar). */
  storageUrl: string;
  /** Deployed contract addresses by contract name (`identityRegistry`, `recordRegistry`, `consentManager`, ...). */
  contracts: Record<string, string>;
  /** The demo roles. */
  accounts: { patient: DemoAccount; doctor: DemoAccount };
  /** The MIT-BIH record the patient's simulated wearable plays. */
  ecgRecord: string;
}

/** Path the app fetches its {@link AppConfig} from. */
export const CONFIG_PATH = '/mhr-config.json';

/** Relay topic of a patient's mailbox (sealed OTP responses from doctors). */
export function mailboxTopic(patient: string): string {
  return `mailbox.${patient.toLowerCase()}`;
}

/** Relay topic of the live ECG a patient shares. */
export function liveEcgTopic(patient: string): string {
  return `ecg.${patient.toLowerCase()}`;
}

/** Category code the app anchors records under (non-identifying, application-defined). */
export const RECORD_CATEGORY = { note: 1, report: 2, imaging: 3, ecg: 4 } as const;
