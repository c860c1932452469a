/**
 * `@mhrchain/contracts/node`: what only runs in Node — an event index store in a file.
 *
 * @packageDocumentation
 */
export { type CreateFileEventStoreParameters, createFileEventStore } from './fileEventStore.js';
