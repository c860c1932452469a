import type { LiveStreamEvent, LiveSubscription } from '../subscriber.js';

/** Collects a subscription's events in the background (tests). */
export function collectEvents(subscription: LiveSubscription) {
  const events: LiveStreamEvent[] = [];
  const waiters: { predicate: () => boolean; resolve: () => void }[] = [];
  void (async () => {
    for await (const event of subscription) {
      events.push(event);
      for (const waiter of [...waiters]) {
        if (waiter.predicate()) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    }
  })();
  return {
    events,
    frames: () => events.filter((e) => e.type === 'frame'),
    /** Resolves when `predicate` holds (checked after every event), or rejects after `timeoutMs`. */
    until(predicate: () => boolean, timeoutMs = 15_000): Promise<void> {
      if (predicate()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out; ${events.length} events`)), timeoutMs);
        waiters.push({
          predicate,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
  };
}

/** A deterministic two-lead test signal (values within 12 bits). */
export function testSignal(samplesPerChannel: number, channels = 2, offset = 0): Int32Array {
  const out = new Int32Array(samplesPerChannel * channels);
  for (let t = 0; t < samplesPerChannel; t++) {
    for (let c = 0; c < channels; c++) {
      const i = t + offset;
      out[t * channels + c] = Math.round(400 * Math.sin(i / (20 + c)) + 50 * Math.cos(i / 3));
    }
  }
  return out;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
