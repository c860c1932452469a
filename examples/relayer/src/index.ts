/**
 * The relayer service, for apps that embed it: `createRelayer` (validation, queue, submission) behind `serveRelayer`
 * (`POST /actions`, `GET /actions/<id>`); patients' apps post `toWire(signed)`.
 *
 * @packageDocumentation
 */
export type { EntryStatus, QueueEntry } from './queue.js';
export { type CreateRelayerParameters, createRelayer, type Relayer, type SubmitResult } from './relayer.js';
export { type RelayerServer, serveRelayer } from './server.js';
export { fromWire, RelayRejectedError, toWire, type WireAction } from './wire.js';
