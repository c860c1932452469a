/** A demo account: an address and, for this local demo only, its anvil dev key. */
export interface DemoAccount {
  address: string;
  /** The name the pages show for this account (kept in the page, never on chain). */
  name: string;
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
  /** Other attested doctors the doctor can ask to share with (no page of their own here). */
  colleagues: Array<{ address: string; name: string }>;
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

/** A record category's name in {@link RECORD_CATEGORY}. */
export type RecordCategoryName = keyof typeof RECORD_CATEGORY;

/** How the pages name each category code. */
export const CATEGORY_LABEL: Record<number, string> = {
  1: 'Notes',
  2: 'Reports',
  3: 'Imaging',
  4: 'ECG',
};

/** The label of a category code (its number when the app does not know it). */
export function categoryLabel(category: number): string {
  return CATEGORY_LABEL[category] ?? `Category ${category}`;
}

/**
 * How long a doctor's access request stays open, in seconds: the contract keeps a request pending until the patient
 * decides, so both pages treat an older one as expired and the patient's page closes it (a rejection on chain).
 */
export const REQUEST_TTL_SECONDS = 3600;

/** Relay topic where the patient's page tells a doctor's page how its one-time code was received. */
export function codeReplyTopic(doctor: string): string {
  return `otp-reply.${doctor.toLowerCase()}`;
}

/** Relay topic where doctors' pages post signed withdrawals of their requests to a patient. */
export function withdrawalTopic(patient: string): string {
  return `withdraw.${patient.toLowerCase()}`;
}
