import type { AppConfig } from '../../common/config.js';
import { shortAddress } from './format.js';

/** Names the pages give to accounts: the app's own directory, kept in the page (the chain knows only addresses). */
export type Directory = (address: string | undefined) => string;

/**
 * The directory of the demo: the accounts the configuration names, and any other address shortened
 * (`0x90F7…b906`).
 */
export function createDirectory(config: AppConfig): Directory {
  const names = new Map<string, string>();
  for (const account of [...Object.values(config.accounts), ...config.colleagues])
    names.set(account.address.toLowerCase(), account.name);
  return (address) => {
    if (!address) return 'someone';
    return names.get(address.toLowerCase()) ?? shortAddress(address);
  };
}
