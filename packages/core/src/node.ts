/**
 * `@mhrchain/core/node`: what only Node can offer — an identity key store kept in a file.
 *
 * @packageDocumentation
 */
export { type CreateFileIdentityKeyStoreParameters, createFileIdentityKeyStore } from './fileIdentityKeyStore.js';
