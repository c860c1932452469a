/**
 * Live streaming load benchmark: N simulated wearables (360 Hz, 2 leads, real time, 250 ms frames of a MIT-BIH
 * record) through encode → seal → Mosquitto → open → decode → filter/detect, wearables on the main thread, doctors
 * in a worker thread, broker in its own process, all on loopback. Latency runs from the moment a frame's last
 * sample exists on the wearable to the doctor's decoded samples. Baseline, measured in the same run: the same
 * per-frame pipeline in process, without a broker.
 *
 * The default configuration is the one with the delivery guarantees of docs/live-streaming.md: MQTT QoS 1 and
 * persistent sessions (a stable client id per wearable and per doctor connection, a broker with persistence);
 * `--qos 0 --session clean` measures the lighter at-most-once configuration.
 *
 *   pnpm --filter @mhrchain/example-iot-wearable bench [-- --streams 250,500,1000,1500,2000 --seconds 10]
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { generateIdentity } from '@mhrchain/core';
import { encodeEcgFrame } from '@mhrchain/ecg';
import {
  createLiveMonitor,
  createLivePublisher,
  createMqttTransport,
  generateLiveDeviceKey,
  type LivePublisher,
  type LiveStreamEvent,
  type LiveTransport,
  startMosquitto,
  subscribeLiveStream,
} from '@mhrchain/ecg/live';
import type { DoctorsMessage, DoctorsWorkerData } from './loadDoctors.js';
import { loadMitBihRecord } from './record.js';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    streams: { type: 'string', default: '250,500,1000,1500,2000' },
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    'streams-per-doctor-connection': { type: 'string', default: '10' },
    qos: { type: 'string', default: '1' },
    session: { type: 'string', default: 'persistent' },
    'keep-going': { type: 'boolean', default: false },
    /** Tags the figures (when runs of two code versions are compared); also prints one JSON line per level. */
    label: { type: 'string' },
    /** Extra mosquitto.conf lines (repeatable), e.g. `--broker-config 'set_tcp_nodelay true'`. */
    'broker-config': { type: 'string', multiple: true, default: [] },
  },
});
const LEVELS = values.streams.split(',').map(Number);
const SECONDS = Number(values.seconds);
const WARMUP = Number(values.warmup);
const PER_DOCTOR_CONNECTION = Number(values['streams-per-doctor-connection']);
const QOS = Number(values.qos) as 0 | 1;
if (QOS !== 0 && QOS !== 1) throw new Error('--qos is 0 or 1');
if (values.session !== 'persistent' && values.session !== 'clean') throw new Error('--session is persistent or clean');
const PERSISTENT = values.session === 'persistent';
/** Client ids unique to this run (a broker is started per level, but ids should not collide across runs either). */
const RUN_ID = Math.random().toString(36).slice(2, 8);
const FS = 360;
const CHANNELS = 2;
const FRAME = 90; // 250 ms
const FRAME_MS = (FRAME / FS) * 1000;
const P99_TARGET = 100;

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const record = await loadMitBihRecord('101');
const recordFrames = Math.floor(record.length / FRAME);
const frameOf = (stream: number, k: number) => {
  const f = (stream * 997 + k) % recordFrames;
  return record.samples.subarray(f * FRAME * CHANNELS, (f + 1) * FRAME * CHANNELS);
};

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function cpuTicks(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks (1/100 s)
  } catch {
    return 0;
  }
}

function machineBusy(): { busy: number; total: number } {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = cpu[3]! + cpu[4]!;
  const total = cpu.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

// ---------------------------------------------------------------------------------------------------------------
// Baseline: the per-frame pipeline in process (no broker, no sockets).
async function baseline() {
  const doctor = generateIdentity();
  const sent: Uint8Array[] = [];
  const transport: LiveTransport = {
    connected: true,
    async publish(_topic, payload) {
      sent.push(payload);
    },
    async subscribe() {
      return async () => undefined;
    },
    on: () => () => undefined,
    async close() {},
  };
  const n = 4000;
  const frames = Array.from({ length: n }, (_, k) => frameOf(0, k));
  // CPU time (not wall time): the figures hold on a busy machine too.
  const cpuMs = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  let t = cpuMs();
  for (const f of frames) encodeEcgFrame(f, { sampleRate: FS, channels: CHANNELS, bitDepth: 12 });
  const encodeUs = ((cpuMs() - t) * 1000) / n;
  const publisher = await createLivePublisher({
    transport,
    device: generateLiveDeviceKey(),
    recipients: [doctor.publicKey],
    sampleRate: FS,
    channels: CHANNELS,
    bitDepth: 12,
  });
  await publisher.flush();
  const announcement = sent[0]!;
  sent.length = 0;
  t = cpuMs();
  for (const f of frames) publisher.write(f);
  const publishUs = ((cpuMs() - t) * 1000) / n;
  await publisher.flush();
  const sealed = sent.slice();
  // The doctor's side: the sealed frames through a subscription on an in-process transport.
  let handler: ((payload: Uint8Array, topic: string) => void) | undefined;
  const loop: LiveTransport = {
    ...transport,
    async subscribe(_topic, h) {
      handler = h;
      return async () => undefined;
    },
  };
  const monitor = createLiveMonitor();
  let decoded = 0;
  const events: LiveStreamEvent[] = [];
  const subscription = await subscribeLiveStream({
    transport: loop,
    descriptor: publisher.descriptor,
    identity: doctor,
    callbackOnly: true,
    onEvent: (event) => {
      if (event.type === 'frame') decoded++;
      events.push(event);
    },
  });
  handler!(announcement, '');
  await subscription.access;
  await sleep(10);
  events.length = 0;
  t = cpuMs();
  for (const message of sealed) handler!(message, '');
  const openUs = ((cpuMs() - t) * 1000) / n;
  t = cpuMs();
  for (const event of events) monitor.push(event);
  const monitorUs = ((cpuMs() - t) * 1000) / n;
  const receiveUs = openUs + monitorUs;
  if (decoded !== n) throw new Error(`baseline decoded ${decoded} of ${n} frames`);
  await subscription.close();
  return {
    encodeUs,
    publishUs,
    receiveUs,
    monitorUs,
    decoded,
    wireBytes: sealed.reduce((a, m) => a + m.length, 0) / sealed.length,
  };
}

// ---------------------------------------------------------------------------------------------------------------
interface LevelResult {
  streams: number;
  p50: number;
  p99: number;
  max: number;
  sent: number;
  written: number;
  lag: number;
  received: number;
  lost: number;
  gaps: number;
  rejected: number;
  nodeCpu: number;
  brokerCpu: number;
  machineCpu: number;
  /** CPU time per frame (µs) of the wearables' thread, the doctors' thread and the broker, over the window. */
  wearableUs: number;
  doctorUs: number;
  brokerUs: number;
  load: [number, number];
  beats: number;
  setupS: number;
}

async function runLevel(streams: number): Promise<LevelResult> {
  const setupStart = performance.now();
  const loadBefore = loadavg()[0]!;
  const broker = await startMosquitto({ config: values['broker-config'] });
  const transports: LiveTransport[] = [];
  const publishers: LivePublisher[] = [];
  const doctor = generateIdentity();
  let worker: Worker | undefined;
  try {
    for (let i = 0; i < streams; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, streams - i) }, (_, k) =>
          createMqttTransport({
            url: broker.url,
            qos: QOS,
            reconnectPeriodMs: 1000,
            ...(PERSISTENT ? { clientId: `wearable-${RUN_ID}-${i + k}`, sessionExpirySeconds: 600 } : {}),
          }),
        ),
      );
      transports.push(...batch);
    }
    for (let i = 0; i < streams; i++) {
      publishers.push(
        await createLivePublisher({
          transport: transports[i]!,
          device: generateLiveDeviceKey(),
          recipients: [doctor.publicKey],
          sampleRate: FS,
          channels: CHANNELS,
          bitDepth: 12,
          startTime: 0,
        }),
      );
    }
    const data: DoctorsWorkerData = {
      url: broker.url,
      secretKey: doctor.secretKey,
      descriptors: publishers.map((p) => p.descriptor),
      streamsPerConnection: PER_DOCTOR_CONNECTION,
      frameMs: FRAME_MS,
      qos: QOS,
      clientIdPrefix: PERSISTENT ? `doctor-${RUN_ID}` : undefined,
    };
    worker = new Worker(new URL('./loadDoctors.ts', import.meta.url), { workerData: data });
    const messages: DoctorsMessage[] = [];
    const waiters: (() => void)[] = [];
    worker.on('message', (m: DoctorsMessage) => {
      messages.push(m);
      for (const w of waiters.splice(0)) w();
    });
    worker.on('error', (error) => console.error('doctor worker failed:', error));
    const next = async (type: DoctorsMessage['type']) => {
      while (!messages.some((m) => m.type === type)) await new Promise<void>((resolve) => waiters.push(resolve));
      return messages.find((m) => m.type === type)!;
    };
    await next('ready');
    const setupS = (performance.now() - setupStart) / 1000;
    // Every wearable's sample 0 existed at origins[i]; frame k is complete at origins[i] + (k + 1) * 250 ms.
    const start = now() + 200;
    const origins = publishers.map((_, i) => start + (i / streams) * FRAME_MS - FRAME_MS);
    const measureFrom = start + WARMUP * 1000;
    const end = measureFrom + SECONDS * 1000;
    worker.postMessage({ type: 'start', origins, measureFrom, measureTo: end });
    while (now() < start - FRAME_MS) await sleep(5);

    // Real-time scheduler: frame k of stream i is written when its last sample exists.
    const nextFrame = new Array<number>(streams).fill(0);
    let sentInWindow = 0;
    let writtenInWindow = 0;
    let lag = 0; // how far the wearables' scheduler is behind real time, at the end
    let measuring = false;
    let cpu0 = process.cpuUsage();
    let thread0 = process.threadCpuUsage();
    let broker0 = 0;
    let machine0 = machineBusy();
    let cursor = 0; // streams are ordered by origin: walk them round-robin
    for (;;) {
      const t = now();
      if (!measuring && t >= measureFrom) {
        measuring = true;
        cpu0 = process.cpuUsage();
        thread0 = process.threadCpuUsage();
        broker0 = cpuTicks(broker.pid);
        machine0 = machineBusy();
      }
      if (t >= end) break;
      for (;;) {
        const i = cursor;
        const due = origins[i]! + (nextFrame[i]! + 1) * FRAME_MS;
        if (due > t) break;
        publishers[i]!.write(frameOf(i, nextFrame[i]!));
        if (due >= measureFrom) sentInWindow++;
        if (measuring) writtenInWindow++;
        lag = t - due;
        nextFrame[i]!++;
        cursor = (cursor + 1) % streams;
      }
      await sleep(1);
    }
    const cpu = process.cpuUsage(cpu0);
    const thread = process.threadCpuUsage(thread0);
    const brokerTicks = cpuTicks(broker.pid) - broker0;
    const machine1 = machineBusy();
    const elapsed = (now() - measureFrom) / 1000;
    // Drain: wait until the doctors have had time for the last frames.
    await Promise.all(publishers.map((p) => p.flush()));
    worker.postMessage({ type: 'stop' });
    const result = (await next('result')) as Extract<DoctorsMessage, { type: 'result' }>;
    const sorted = result.latencies.sort();
    const received = result.received.reduce((a, b) => a + b, 0);
    const cores = availableParallelism();
    return {
      streams,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
      sent: sentInWindow,
      written: writtenInWindow,
      lag,
      received,
      lost: sentInWindow - received,
      gaps: result.missing,
      rejected: result.rejected,
      nodeCpu: ((cpu.user + cpu.system) / 1e6 / elapsed) * 100,
      brokerCpu: (brokerTicks / 100 / elapsed) * 100,
      machineCpu: ((machine1.busy - machine0.busy) / (machine1.total - machine0.total)) * 100 * cores,
      beats: result.beats,
      setupS,
      wearableUs: (thread.user + thread.system) / Math.max(1, writtenInWindow),
      doctorUs: result.cpuUs / Math.max(1, result.cpuFrames),
      brokerUs: (brokerTicks * 1e4) / Math.max(1, writtenInWindow),
      load: [loadBefore, loadavg()[0]!],
    };
  } finally {
    await worker?.terminate();
    await Promise.all(transports.map((t) => t.close().catch(() => undefined)));
    await broker.stop();
  }
}

// ---------------------------------------------------------------------------------------------------------------
const cores = availableParallelism();
console.log(
  `live ECG load benchmark: ${FS} Hz, ${CHANNELS} leads, ${FRAME_MS} ms frames, real time; ${SECONDS} s measured after ${WARMUP} s warm-up; ` +
    `MQTT QoS ${QOS}, ${PERSISTENT ? 'persistent sessions (stable client ids, broker persistence)' : 'clean sessions'}; ` +
    `${cores} cores; load average before: ${loadavg()[0]!.toFixed(1)}`,
);
await baseline(); // warm-up: the figures below are of compiled code
const base = await baseline();
console.log('\nBaseline (same run, in process, no broker): CPU time per frame');
console.table({
  'encode (ECG codec)': { 'µs/frame': base.encodeUs.toFixed(1) },
  'wearable: encode + seal + hand to transport': { 'µs/frame': base.publishUs.toFixed(1) },
  'doctor: check + open + decode + filter + detect': { 'µs/frame': base.receiveUs.toFixed(1) },
  '  of which filter + detect (monitor)': { 'µs/frame': base.monitorUs.toFixed(1) },
});
const perStreamCpu = ((base.publishUs + base.receiveUs) * 4) / 1e6; // cores per stream, without broker/sockets
console.log(
  `sealed frame on the wire: ${base.wireBytes.toFixed(0)} bytes (raw 16-bit samples: ${FRAME * CHANNELS * 2} bytes); ` +
    `pipeline alone would fit ${Math.floor(cores / perStreamCpu)} streams on ${cores} cores`,
);

const results: LevelResult[] = [];
for (const streams of LEVELS) {
  process.stdout.write(`\nrunning ${streams} streams… `);
  const r = await runLevel(streams);
  results.push(r);
  if (values.label !== undefined) console.log(`RESULT ${JSON.stringify({ label: values.label, ...r, base })}`);
  const ok = r.lost === 0 && r.p99 < P99_TARGET;
  console.log(
    `${ok ? 'meets' : 'misses'} targets (p99 ${r.p99.toFixed(1)} ms, lost ${r.lost}; setup ${r.setupS.toFixed(1)} s)`,
  );
  if (!ok && !values['keep-going']) break;
}

console.log('\nLive streaming under load (targets: frames lost = 0, p99 < 100 ms)');
console.table(
  results.map((r) => ({
    streams: r.streams,
    'frames due/s': (r.streams * 1000) / FRAME_MS,
    'frames written/s': Math.round(r.written / SECONDS),
    'wearable lag ms': Math.max(0, r.lag).toFixed(0),
    'p50 ms': r.p50.toFixed(1),
    'p99 ms': r.p99.toFixed(1),
    'max ms': r.max.toFixed(1),
    'frames sent': r.sent,
    'frames lost': r.lost,
    'gap frames': r.gaps,
    'node CPU %': r.nodeCpu.toFixed(0),
    'broker CPU %': r.brokerCpu.toFixed(0),
    'machine CPU % (all)': `${r.machineCpu.toFixed(0)} / ${cores * 100}`,
    'µs CPU/frame (node)': (((r.nodeCpu / 100) * 1e6 * SECONDS) / Math.max(1, r.written)).toFixed(0),
    'vs baseline': `${(((r.nodeCpu / 100) * 1e6 * SECONDS) / Math.max(1, r.written) / (base.publishUs + base.receiveUs)).toFixed(2)}x`,
    'µs/frame wearables | doctors | broker': `${r.wearableUs.toFixed(0)} | ${r.doctorUs.toFixed(0)} | ${r.brokerUs.toFixed(0)}`,
    'load average': `${r.load[0].toFixed(1)} → ${r.load[1].toFixed(1)}`,
    'meets both': r.lost === 0 && r.p99 < P99_TARGET ? 'yes' : 'no',
  })),
);
const best = results.filter((r) => r.lost === 0 && r.p99 < P99_TARGET).at(-1);
console.log(
  best
    ? `largest stream count meeting both targets: ${best.streams} (p99 ${best.p99.toFixed(1)} ms, 0 frames lost)`
    : 'no stream count met both targets',
);
console.log(
  `load average after: ${loadavg()[0]!.toFixed(1)} (the machine is shared: other processes count in "machine CPU")`,
);
process.exit(0);
