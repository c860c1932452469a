/**
 * `@mhrchain/ecg/live`: live, end-to-end encrypted ECG streams from a wearable to authorised doctors over MQTT
 * (or any {@link LiveTransport}), with per-epoch stream keys wrapped for each doctor, rekeying on revocation,
 * replay/gap detection, a doctor-side monitor (filter, beats, heart rate, alerts) and archiving of sealed segments
 * to IPFS, anchored on chain in Merkle batches.
 *
 * @packageDocumentation
 */
export { type MosquittoInstance, type StartMosquittoOptions, startMosquitto } from './mosquitto.js';
export * from './portable.js';
