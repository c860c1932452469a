/**
 * What the browser app learns from the server that started it (`/mhr-config.json`): where the chain and the
 * storage node are, the contract addresses and, for this local demo only, anvil's funded dev keys for the two
 * roles. Everything else — encryption keys, records, OTP challenges — is created and kept in the browser.
 */
export interface AppConfig {
  /** JSON-RPC URL of the chain (anvil). */
  rpcUrl: string;
  /** Chain id, so the app does not have to ask. */
  chainId: number;
  /** Base URL of the storage node (CAR upload and trustless gateway). */
  storageUrl: string;
  /** Deployed contract addresses by contract name. */
  contracts: Record<string, string>;
  /** Dev wallets of the demo roles (private keys of anvil's test mnemonic). */
  wallets: { patient: string; doctor: string };
}

/** Path the app fetches its {@link AppConfig} from. */
export const CONFIG_PATH = '/mhr-config.json';
