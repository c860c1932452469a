/**
 * `@mhrchain/core`: client-side encryption of health records into CID-addressed envelopes, stored on IPFS.
 *
 * @packageDocumentation
 */
export { type CreateHeliaStorageParameters, createHeliaStorage, type HeliaStorage } from './heliaStorage.js';
export * from './portable.js';
