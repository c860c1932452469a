/**
 * `@mhrchain/core`: client-side encryption of health records into CID-addressed envelopes, stored on IPFS.
 *
 * @packageDocumentation
 */
export { BaseError, type BaseErrorParameters } from './baseError.js';
