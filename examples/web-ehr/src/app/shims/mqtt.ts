/**
 * Stand-in for the `mqtt` package in the browser bundle. `@mhrchain/ecg/live` imports `{ connect } from 'mqtt'` for
 * its MQTT transport, but mqtt's browser build (`dist/mqtt.esm.js`) has only a default export, so the bundler
 * fails on the named import. This app never speaks MQTT (its live transport is the storage node's relay), so the
 * import resolves here instead.
 */
export function connect(): never {
  throw new Error('MQTT is not available in the web app: it streams through the storage node relay.');
}
