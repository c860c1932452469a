import { PURPOSES_OF_USE } from '@mhrchain/consent';
import { type MhrChainAddresses, type PrivacyNeedle, scanChainPrivacy } from '@mhrchain/contracts';
import type { JsonRpcApiProvider } from 'ethers';
import type { Progress } from './console.js';

/** Parameters of {@link showWhatTheChainShows}. */
export interface PrivacyScanParameters {
  progress: Progress;
  provider: JsonRpcApiProvider;
  addresses: MhrChainAddresses;
  /** The story's texts (names, titles, diagnoses) and files. */
  plaintexts: readonly PrivacyNeedle[];
}

/**
 * Reads the demo's chain as any observer can (every transaction, event and storage slot) and checks that none of the
 * story's plaintexts, and no purpose as text, is there, and that every field seen is on the threat model's list.
 * Throws when either fails: the demo must not pass with something personal on chain.
 */
export async function showWhatTheChainShows(parameters: PrivacyScanParameters): Promise<void> {
  const { progress } = parameters;
  const plaintexts = [
    ...parameters.plaintexts,
    ...PURPOSES_OF_USE.flatMap((purpose) => [purpose.code, purpose.display]),
  ];
  const scan = await scanChainPrivacy({
    provider: parameters.provider,
    addresses: parameters.addresses,
    plaintexts,
  });
  progress.ok(
    `read ${scan.blocks} blocks: ${scan.transactions} transactions, ${scan.events} events, ${scan.storageSlots} storage slots`,
  );
  if (scan.leaks.length > 0)
    throw new Error(`plaintext on chain: ${scan.leaks.map((l) => `${l.plaintext} in ${l.field}`).join('; ')}`);
  progress.ok(
    `none of ${plaintexts.length} plaintexts (names, titles, diagnoses, purposes as text, file bytes) appears anywhere`,
  );
  if (scan.unlisted.length > 0)
    throw new Error(`fields on chain that the threat model does not list: ${scan.unlisted.join(', ')}`);
  progress.ok(
    `${scan.observed.size} kinds of field seen, every one on the threat model's list of what an observer learns (docs/threat-model.md)`,
  );
}
