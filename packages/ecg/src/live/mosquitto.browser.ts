import { MosquittoStartError } from './errors.js';
import type { MosquittoInstance, StartMosquittoOptions } from './mosquitto.js';

export type { MosquittoInstance, StartMosquittoOptions } from './mosquitto.js';

/** Browsers cannot spawn a broker: always rejects with {@link MosquittoStartError}. */
export async function startMosquitto(_options: StartMosquittoOptions = {}): Promise<MosquittoInstance> {
  throw new MosquittoStartError('Mosquitto cannot be started in a browser.', {
    details: 'connect createMqttTransport to a broker WebSocket URL instead',
  });
}
