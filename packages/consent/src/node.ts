/**
 * `@mhrchain/consent/node`: what only Node can offer the consent flows — a journal kept in files.
 *
 * @packageDocumentation
 */
export { type CreateFileJournalStoreParameters, createFileJournalStore } from './fileJournalStore.js';
