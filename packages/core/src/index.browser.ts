// The browser build of @mhrchain/core (the `browser` export condition): the same API; its embedded node
// (`createHeliaStorage`) keeps its repository in IndexedDB instead of the filesystem.
export { type CreateHeliaStorageParameters, createHeliaStorage, type HeliaStorage } from './heliaStorage.browser.js';
export * from './portable.js';
