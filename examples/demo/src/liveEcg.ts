import { readFile } from 'node:fs/promises';
import type { Identity } from '@mhrchain/core';
import { parseWfdbHeader, readWfdbRecord } from '@mhrchain/ecg';
import {
  createLiveMonitor,
  createLivePublisher,
  createMqttTransport,
  generateLiveDeviceKey,
  type MonitorEvent,
  startMosquitto,
  subscribeLiveStream,
} from '@mhrchain/ecg/live';
import type { Progress } from './console.js';
import type { ReportData } from './report.js';

/** Parameters of {@link streamLiveEcg}. */
export interface StreamLiveEcgParameters {
  /** Directory of the MIT-BIH records. */
  ecgDirectory: string;
  record: string;
  seconds: number;
  /** The doctor watching the stream. */
  doctor: Identity;
  progress: Progress;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A wearable replays a MIT-BIH recording in real time over a local MQTT broker; the doctor's monitor decrypts,
 * decodes, filters and detects beats. Returns lead 0 as the doctor received it, with the beats, for the report.
 */
export async function streamLiveEcg(parameters: StreamLiveEcgParameters): Promise<NonNullable<ReportData['ecg']>> {
  const { ecgDirectory, record, seconds, doctor, progress } = parameters;
  const header = parseWfdbHeader(await readFile(`${ecgDirectory}${record}.hea`, 'utf8'));
  const recording = await readWfdbRecord({ header, readFile: (name) => readFile(ecgDirectory + name) });
  const { channels } = recording;
  const sampleRate = header.sampleRate;
  const total = Math.min(recording.length, Math.round(seconds * sampleRate));

  const broker = await startMosquitto();
  const wearableLink = await createMqttTransport({ url: broker.url });
  const doctorLink = await createMqttTransport({ url: broker.url });
  try {
    progress.ok(`Mosquitto on ${broker.url}; the broker only ever sees sealed frames`);
    const publisher = await createLivePublisher({
      transport: wearableLink,
      device: generateLiveDeviceKey(),
      recipients: [doctor.publicKey],
      sampleRate,
      channels,
    });
    const subscription = await subscribeLiveStream({
      transport: doctorLink,
      descriptor: publisher.descriptor,
      identity: doctor,
    });
    const monitor = createLiveMonitor({ mains: 60 });
    const received = new Float64Array(total);
    const beats: number[] = [];
    let heartRate: number | undefined;
    let frames = 0;
    let lastPrint = 0;
    const consume = (async () => {
      for await (const event of subscription) {
        if (event.type === 'frame') {
          frames += 1;
          for (let t = 0; t < event.samples.length / event.channels; t++) {
            const index = event.firstSampleIndex + t;
            if (index < total) received[index] = event.samples[t * event.channels]!;
          }
        }
        for (const out of monitor.push(event) as MonitorEvent[]) {
          if (out.type === 'beat') {
            beats.push(out.sample);
            heartRate = out.averageHeartRate ?? out.heartRate ?? heartRate;
          } else if (out.type === 'alert') {
            progress.info(`alert: ${out.alert.type} (${out.alert.phase === 'start' ? 'started' : 'ended'})`);
          }
        }
        if (event.type === 'frame' && event.firstSampleIndex + event.samples.length / event.channels >= total) return;
      }
    })();
    await subscription.access;
    progress.ok(`the doctor's app unwrapped the stream key (epoch ${publisher.epoch})`);

    // real time: a quarter of a second of signal every 250 ms
    const chunk = Math.floor(sampleRate / 4);
    const started = performance.now();
    for (let start = 0; start < total; start += chunk) {
      const end = Math.min(total, start + chunk);
      publisher.write(recording.samples.subarray(start * channels, end * channels));
      const due = (end / sampleRate) * 1000 - (performance.now() - started);
      if (due > 0) await sleep(due);
      const second = Math.floor(end / sampleRate);
      if (second > lastPrint && second % 2 === 0) {
        lastPrint = second;
        progress.info(
          `${String(second).padStart(3)} s  frames received ${frames}  beats ${beats.length}  heart rate ${heartRate ? Math.round(heartRate) : '…'} bpm`,
        );
      }
    }
    await publisher.flush();
    await Promise.race([consume, sleep(5000)]);
    await publisher.close();
    await subscription.close();
    const stats = subscription.stats;
    progress.ok(
      `${frames} frames decrypted, ${beats.length} beats, heart rate ${heartRate ? Math.round(heartRate) : '?'} bpm; ${JSON.stringify(stats)}`,
    );
    return {
      samples: received,
      sampleRate,
      beats,
      heartRate,
      label: `MIT-BIH ${record}, lead ${header.signals[0]?.description ?? 0}`,
    };
  } finally {
    await wearableLink.close();
    await doctorLink.close();
    await broker.stop();
  }
}
