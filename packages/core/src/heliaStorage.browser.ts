import { UnsupportedPlatformError } from './errors.js';
import type { CreateHeliaStorageParameters, HeliaStorage } from './heliaStorage.js';

export type { CreateHeliaStorageParameters, HeliaStorage } from './heliaStorage.js';

/**
 * In browsers there is no filesystem for the embedded node: use `createGatewayStorage` (trustless gateways) or any
 * other {@link Storage} instead.
 *
 * @throws {@link UnsupportedPlatformError} always.
 */
export async function createHeliaStorage(_parameters: CreateHeliaStorageParameters): Promise<HeliaStorage> {
  throw new UnsupportedPlatformError('createHeliaStorage', 'use createGatewayStorage or your own Storage in browsers');
}
