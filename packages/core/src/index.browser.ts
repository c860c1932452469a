// The browser build of @mhrchain/core (the `browser` export condition): the same API, without the filesystem-backed
// embedded node, whose `createHeliaStorage` here rejects with `UnsupportedPlatformError`.
export { type CreateHeliaStorageParameters, createHeliaStorage, type HeliaStorage } from './heliaStorage.browser.js';
export * from './portable.js';
