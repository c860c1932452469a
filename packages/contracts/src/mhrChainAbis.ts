import {
  consentManagerAbi,
  delegationRegistryAbi,
  diseaseReportsAbi,
  identityRegistryAbi,
  recordRegistryAbi,
  streamAnchorsAbi,
} from './generated/index.js';

/**
 * The ABI of every MHR Chain contract, keyed by the name the SDK uses for it.
 *
 * @example
 * ```ts
 * import { mhrChainAbis } from '@mhrchain/contracts';
 *
 * const errors = mhrChainAbis.consentManager.filter((item) => item.type === 'error');
 * ```
 */
export const mhrChainAbis = {
  identityRegistry: identityRegistryAbi,
  recordRegistry: recordRegistryAbi,
  consentManager: consentManagerAbi,
  delegationRegistry: delegationRegistryAbi,
  streamAnchors: streamAnchorsAbi,
  diseaseReports: diseaseReportsAbi,
} as const;

/** The SDK name of an MHR Chain contract: `identityRegistry`, `consentManager`, … */
export type MhrChainContractName = keyof typeof mhrChainAbis;

/** Every item of every MHR Chain ABI (to type errors and events across contracts). */
export type MhrChainAbiItems = readonly (typeof mhrChainAbis)[MhrChainContractName][number][];
