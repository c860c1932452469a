// The browser build of @mhrchain/ecg/live (the `browser` export condition): the same API; `startMosquitto`, which
// spawns a broker process, rejects with `MosquittoStartError` here (connect to a broker's WebSocket port instead).
export { type MosquittoInstance, type StartMosquittoOptions, startMosquitto } from './mosquitto.browser.js';
export * from './portable.js';
