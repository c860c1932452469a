import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectMhrChain, deployMhrChain } from '@mhrchain/contracts';
import { startAnvil } from '@mhrchain/contracts/anvil';
import { createHeliaStorage, generateIdentity } from '@mhrchain/core';
import {
  createLiveMonitor,
  createLivePublisher,
  createMqttTransport,
  createStreamArchive,
  generateLiveDeviceKey,
  generateStreamId,
  type MonitorEvent,
  readArchivedSegment,
  startMosquitto,
  subscribeLiveStream,
  verifyArchivedSegment,
} from '@mhrchain/ecg/live';
import { loadMitBihRecord } from './record.js';

/** Options of {@link runIotWearableDemo}. */
export interface IotWearableDemoOptions {
  /** MIT-BIH record to replay. Default: 101. */
  record?: string;
  /** Seconds of the record to replay. Default: 60. */
  seconds?: number;
  /** Replay speed (1 = real time). Default: 10. */
  speed?: number;
  /** Seconds of signal per archived segment. Default: 10. */
  segmentSeconds?: number;
  /** Revoke the second doctor after this many seconds of signal (-1: never). Default: half way. */
  revokeAt?: number;
  /** Where lines go. Default: console.log. */
  log?: (line: string) => void;
}

/** What the demo measured. */
export interface IotWearableDemoResult {
  framesSent: number;
  framesReceived: number;
  framesMissing: number;
  beats: number;
  alerts: string[];
  lastHeartRate: number | undefined;
  segments: number;
  batches: number;
  verifiedSegments: number;
  /** Frames the revoked doctor read under the keys before and after the revocation (after: always 0). */
  revokedDoctorFrames: { before: number; after: number };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The whole scenario: a local Mosquitto broker and anvil chain, a wearable replaying a MIT-BIH record as a live
 * encrypted stream, two doctor consoles (one revoked half way), the patient's archive on an embedded IPFS node
 * anchored in batches, and every archived segment verified against the chain at the end.
 */
export async function runIotWearableDemo(options: IotWearableDemoOptions = {}): Promise<IotWearableDemoResult> {
  const log = options.log ?? console.log;
  const recordName = options.record ?? '101';
  const seconds = options.seconds ?? 60;
  const speed = options.speed ?? 10;
  const revokeAt = options.revokeAt ?? seconds / 2;
  const cleanup: (() => Promise<void>)[] = [];
  try {
    const record = await loadMitBihRecord(recordName);
    const sampleRate = record.header.sampleRate;
    const channels = record.channels;
    if (seconds * sampleRate > record.length) {
      throw new RangeError(
        `record mitdb/${recordName} holds ${Math.floor(record.length / sampleRate)} s, ${seconds} s asked: replay ` +
          'less, or set MHR_ECG_DATA to a folder holding the full MIT-BIH records (see ./pnpmw fetch-ecg)',
      );
    }
    log(`record mitdb/${recordName}: ${channels} leads at ${sampleRate} Hz; replaying ${seconds} s at ${speed}x`);

    const broker = await startMosquitto();
    cleanup.push(() => broker.stop());
    const anvil = await startAnvil();
    cleanup.push(() => anvil.stop());
    const { addresses } = await deployMhrChain({ deployer: anvil.signers[0]! });
    const directory = await mkdtemp(join(tmpdir(), 'mhr-iot-wearable-'));
    cleanup.push(() => rm(directory, { recursive: true, force: true }));
    const storage = await createHeliaStorage({ directory: join(directory, 'ipfs') });
    cleanup.push(() => storage.close());
    log(`broker ${broker.url}, chain ${anvil.rpcUrl}, IPFS repository ${directory}`);

    // People and devices.
    const patient = generateIdentity();
    const patientWallet = anvil.signers[1]!;
    const cardiologist = generateIdentity();
    const locum = generateIdentity();
    const device = generateLiveDeviceKey();
    const streamId = generateStreamId();

    // The wearable: publisher + archive. Persistent sessions (stable client ids) on both sides: frames sent while a
    // doctor's console is away wait on the broker, across a broker restart too.
    const wearableTransport = await createMqttTransport({
      url: broker.url,
      clientId: `wearable-${streamId}`,
      sessionExpirySeconds: 3_600,
    });
    cleanup.push(() => wearableTransport.close());
    const archive = createStreamArchive({
      storage,
      recipients: [patient.publicKey],
      descriptor: { streamId, sampleRate },
      segmentSeconds: options.segmentSeconds ?? 10,
      segmentsPerBatch: 3,
      anchor: {
        streamAnchors: connectMhrChain(patientWallet, addresses).streamAnchors,
        patient: patientWallet.address,
      },
      onSegment: (s) => log(`  [archive] segment ${s.index} ${s.cid} frames ${s.firstSequence}-${s.lastSequence}`),
      onBatch: (b) => log(`  [archive] batch of ${b.segments.length} anchored, root ${b.root.slice(0, 18)}…`),
      onError: (error) => log(`  [archive] error, will retry: ${String(error)}`),
    });
    const publisher = await createLivePublisher({
      transport: wearableTransport,
      device,
      streamId,
      recipients: [cardiologist.publicKey, locum.publicKey],
      sampleRate,
      channels,
      bitDepth: 12,
      sink: archive,
    });
    log(`stream ${publisher.descriptor.streamId} on topic ${publisher.descriptor.topic}`);

    // The doctors' consoles.
    const doctorTransport = await createMqttTransport({
      url: broker.url,
      clientId: `doctors-${streamId}`,
      sessionExpirySeconds: 3_600,
    });
    cleanup.push(() => doctorTransport.close());
    const monitor = createLiveMonitor({ samples: false });
    const alerts: string[] = [];
    let beats = 0;
    let lastHeartRate: number | undefined;
    let nextReport = 5;
    const onMonitor = (event: MonitorEvent) => {
      if (event.type === 'beat') {
        beats++;
        lastHeartRate = event.averageHeartRate ?? lastHeartRate;
        if (event.time >= nextReport) {
          nextReport += 5;
          log(`[cardiologist] t=${event.time.toFixed(1)} s  heart rate ${lastHeartRate?.toFixed(0) ?? '--'} bpm`);
        }
      } else if (event.type === 'alert') {
        const a = event.alert;
        const line = `${a.type} ${a.phase} at t=${a.time.toFixed(1)} s${a.heartRate ? ` (${a.heartRate.toFixed(0)} bpm)` : ''}`;
        alerts.push(line);
        log(`[cardiologist] ALERT ${line}`);
      } else if (event.type === 'signal-loss') {
        log(`[cardiologist] signal lost: frames ${event.from}-${event.to}`);
      } else if (event.type === 'stream' && event.event.type === 'rejected') {
        log(`[cardiologist] rejected message: ${event.event.error.reason}`);
      }
    };
    const cardiologistView = await subscribeLiveStream({
      transport: doctorTransport,
      descriptor: publisher.descriptor,
      identity: cardiologist,
      callbackOnly: true,
      onEvent: (event) => {
        for (const out of monitor.push(event)) onMonitor(out);
      },
    });
    const locumFrames = { before: 0, after: 0 };
    let revoked = false;
    let revokedEpoch = Number.POSITIVE_INFINITY;
    const locumView = await subscribeLiveStream({
      transport: doctorTransport,
      descriptor: publisher.descriptor,
      identity: locum,
      callbackOnly: true,
      onEvent: (event) => {
        if (event.type === 'frame') locumFrames[event.epoch >= revokedEpoch ? 'after' : 'before']++;
        if (event.type === 'access-denied') log(`[locum] access denied from key epoch ${event.epoch}`);
      },
    });
    log(`[cardiologist] access from key epoch ${await cardiologistView.access}`);
    log(`[locum] access from key epoch ${await locumView.access}`);

    // Replay: one 250 ms frame every 250/speed ms.
    const frameSamples = Math.floor(sampleRate / 4);
    const frames = Math.floor((seconds * sampleRate) / frameSamples);
    const started = performance.now();
    for (let i = 0; i < frames; i++) {
      const due = started + (i * 250) / speed;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      publisher.write(record.samples.subarray(i * frameSamples * channels, (i + 1) * frameSamples * channels));
      if (revokeAt >= 0 && !revoked && (i * frameSamples) / sampleRate >= revokeAt) {
        revokedEpoch = publisher.epoch + 1;
        await publisher.rekey([cardiologist.publicKey]);
        revoked = true;
        log(`[patient] revoked the locum at t=${revokeAt.toFixed(1)} s: stream rekeyed to epoch ${publisher.epoch}`);
      }
    }
    await publisher.flush();
    const deadline = Date.now() + 10_000;
    while (cardiologistView.stats.lastSequence < publisher.nextSequence - 1 && Date.now() < deadline) await sleep(20);
    await archive.flush();

    // Verify every archived segment against the chain, and read one back.
    const reader = connectMhrChain(anvil.provider, addresses);
    let verified = 0;
    for (const segment of archive.segments) {
      await verifyArchivedSegment({ streamAnchors: reader.streamAnchors, proof: archive.proofOf(segment.cid)! });
      verified++;
    }
    const first = await readArchivedSegment({ storage, cid: archive.segments[0]!.cid, identity: patient });
    const lossless = first.samples.every((v, i) => v === record.samples[i]);
    const stats = cardiologistView.stats;
    log(
      `summary: ${publisher.stats.frames} frames sent, ${stats.frames} received, ${stats.missing} missing; ` +
        `${beats} beats, last heart rate ${lastHeartRate?.toFixed(0) ?? '--'} bpm, ${alerts.length} alert events`,
    );
    log(
      `archive: ${archive.segments.length} segments in ${archive.batches.length} anchored batches, ` +
        `${verified} verified on chain; segment 0 read back ${lossless ? 'bit-exact' : 'DIFFERENT'}`,
    );
    log(`locum: ${locumFrames.before} frames before revocation, ${locumFrames.after} after`);
    await cardiologistView.close();
    await locumView.close();
    await publisher.close();
    return {
      framesSent: publisher.stats.frames,
      framesReceived: stats.frames,
      framesMissing: stats.missing,
      beats,
      alerts,
      lastHeartRate,
      segments: archive.segments.length,
      batches: archive.batches.length,
      verifiedSegments: verified,
      revokedDoctorFrames: locumFrames,
    };
  } finally {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  }
}
