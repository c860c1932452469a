/**
 * The doctors' side of the load benchmark, in a worker thread: subscribes to every stream, opens, decodes,
 * filters and detects beats, and measures latency from the moment a frame's last sample existed on the wearable.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { importIdentity } from '@mhrchain/core';
import {
  createLiveMonitor,
  createMqttTransport,
  type LiveStreamDescriptor,
  type LiveSubscription,
  type LiveTransport,
  subscribeLiveStream,
} from '@mhrchain/ecg/live';

export interface DoctorsWorkerData {
  url: string;
  secretKey: Uint8Array;
  descriptors: LiveStreamDescriptor[];
  streamsPerConnection: number;
  frameMs: number;
  qos: 0 | 1;
  /** Persistent sessions: client ids `<prefix>-<connection>`. Undefined: clean sessions. */
  clientIdPrefix: string | undefined;
}

export type DoctorsMessage =
  | { type: 'ready' }
  | {
      type: 'result';
      latencies: Float64Array;
      received: number[];
      missing: number;
      rejected: number;
      beats: number;
      /** CPU time of this thread (µs) and frames it handled, between `measureFrom` and `measureTo` (wall clock). */
      cpuUs: number;
      cpuFrames: number;
    };

const data = workerData as DoctorsWorkerData;
const port = parentPort!;
const now = () => performance.timeOrigin + performance.now();

const identity = importIdentity(data.secretKey);
const transports: LiveTransport[] = [];
const subscriptions: LiveSubscription[] = [];
const received = new Array<number>(data.descriptors.length).fill(0);
let latencies = new Float64Array(1 << 16);
let count = 0;
let measureFrom = Number.POSITIVE_INFINITY;
/** Wall-clock ms at which each stream's sample 0 existed (sent with the `start` message). */
let origins: number[] = [];
let beats = 0;
let lastFrameAt = 0;
// This thread's CPU time over the measured window (wall clock), and the frames it handled meanwhile.
let measureTo = Number.POSITIVE_INFINITY;
let cpuAt: NodeJS.CpuUsage | undefined;
let cpuUs = 0;
let frames = 0;
let framesAt = 0;
let cpuFrames = 0;
const markCpu = (t: number) => {
  if (cpuAt === undefined && t >= measureFrom) {
    cpuAt = process.threadCpuUsage();
    framesAt = frames;
  } else if (cpuAt !== undefined && cpuFrames === 0 && t >= measureTo) {
    const used = process.threadCpuUsage(cpuAt);
    cpuUs = used.user + used.system;
    cpuFrames = frames - framesAt;
  }
};
const marker = setInterval(() => markCpu(now()), 20);

for (let i = 0; i < data.descriptors.length; i += data.streamsPerConnection) {
  transports.push(
    await createMqttTransport({
      url: data.url,
      qos: data.qos,
      ...(data.clientIdPrefix
        ? { clientId: `${data.clientIdPrefix}-${i / data.streamsPerConnection}`, sessionExpirySeconds: 600 }
        : {}),
    }),
  );
}
await Promise.all(
  data.descriptors.map(async (descriptor, i) => {
    const monitor = createLiveMonitor();
    const subscription = await subscribeLiveStream({
      transport: transports[Math.floor(i / data.streamsPerConnection)]!,
      descriptor,
      identity,
      callbackOnly: true,
      onEvent: (event) => {
        if (event.type === 'frame') {
          lastFrameAt = now();
          frames++;
          markCpu(lastFrameAt);
          const lastSampleAt = origins[i]! + (event.sequence + 1) * data.frameMs;
          if (lastSampleAt >= measureFrom) {
            if (count === latencies.length) {
              const grown = new Float64Array(latencies.length * 2);
              grown.set(latencies);
              latencies = grown;
            }
            latencies[count++] = now() - lastSampleAt;
            received[i]!++;
          }
        }
        for (const out of monitor.push(event)) if (out.type === 'beat') beats++;
      },
    });
    subscriptions.push(subscription);
    await subscription.access;
  }),
);

port.on(
  'message',
  async (message: { type: 'start'; origins: number[]; measureFrom: number; measureTo: number } | { type: 'stop' }) => {
    if (message.type === 'start') {
      origins = message.origins;
      measureFrom = message.measureFrom;
      measureTo = message.measureTo;
      return;
    }
    markCpu(now()); // the window's end, when no frame came after it before the stop
    clearInterval(marker);
    // Drain: wait until no frame has arrived for 1 s (at most 20 s).
    const stopAt = now();
    while (now() - lastFrameAt < 1000 && now() - stopAt < 20_000) await new Promise((r) => setTimeout(r, 100));
    let missing = 0;
    let rejected = 0;
    for (const s of subscriptions) {
      missing += s.stats.missing;
      rejected += Object.values(s.stats.rejected).reduce((a, b) => a + b, 0);
      await s.close();
    }
    await Promise.all(transports.map((t) => t.close()));
    const result: DoctorsMessage = {
      type: 'result',
      latencies: latencies.slice(0, count),
      received,
      missing,
      rejected,
      beats,
      cpuUs,
      cpuFrames,
    };
    port.postMessage(result);
  },
);
port.postMessage({ type: 'ready' } satisfies DoctorsMessage);
