import { decodeEcg } from '@mhrchain/ecg';
import {
  createLiveMonitor,
  createLivePublisher,
  generateLiveDeviceKey,
  type LivePublisher,
  type LivePublisherState,
  type LiveStreamDescriptor,
  type MonitorEvent,
  subscribeLiveStream,
} from '@mhrchain/ecg/live';
import { liveEcgTopic } from '../../common/config.js';
import type { RelayClient } from './relayClient.js';
import { createRelayTransport } from './relayTransport.js';
import type { Session } from './session.js';

/** What the patient's (simulated) wearable plays: a MIT-BIH excerpt from the storage node's ECG feed. */
export interface EcgRecording {
  /** Samples of one lead, in ADC units. */
  samples: Int32Array;
  sampleRate: number;
  /** ADC units per millivolt. */
  gain: number;
  /** ADC value of 0 mV. */
  baseline: number;
  /** Bits per sample of the feed. */
  bitDepth: number;
}

/** Fetches an excerpt of a MIT-BIH record (encoded with the ECG codec) and decodes it in the browser. */
export async function loadRecording(storageUrl: string, record: string, seconds = 60): Promise<EcgRecording> {
  const response = await fetch(`${storageUrl}/ecg/mitdb/${record}?seconds=${seconds}`);
  if (!response.ok) throw new Error(`No ECG feed for record ${record}: ${response.status}`);
  const decoded = decodeEcg(new Uint8Array(await response.arrayBuffer()));
  return {
    samples: decoded.samples,
    sampleRate: decoded.sampleRate,
    gain: Number(response.headers.get('x-ecg-gain') ?? 200),
    baseline: Number(response.headers.get('x-ecg-baseline') ?? 1024),
    bitDepth: decoded.frames[0]?.bitDepth ?? 12,
  };
}

/** Parameters of {@link shareLiveEcg}. */
export interface ShareLiveEcgParameters {
  session: Session;
  recording: EcgRecording;
  /** X25519 public keys of the doctors holding a live grant, now. */
  recipients: readonly Uint8Array[];
  /** Called with the samples of each quarter second as the wearable produces them (the patient's own chart). */
  onSamples?: (samples: Int32Array) => void;
  /** Called when the share goes live under a new key epoch or pauses (nobody left to read it). */
  onState?: (state: LivePublisherState) => void;
  signal: AbortSignal;
}

/** A running share: change who may watch (a new key epoch each time). */
export interface LiveShare {
  /**
   * Rekeys for these doctors. An empty list pauses the share: the key the revoked doctors held is dropped at once and
   * no frame is published until a doctor is granted again (then under a fresh key).
   */
  setRecipients(recipients: readonly Uint8Array[]): Promise<void>;
  /** Live under a key epoch, or paused. */
  readonly state: LivePublisherState;
  /** Resolves when the share has stopped. */
  done: Promise<void>;
}

/**
 * Streams the recording in real time with `@mhrchain/ecg/live`: a device key is generated in the browser, frames of a
 * quarter second are encoded with the ECG codec and sealed under an epoch key wrapped for the current recipients,
 * then published through the relay. The stream descriptor (public) is retained on the patient's live topic so the
 * doctor's page can find it. The recording loops.
 */
export async function shareLiveEcg(parameters: ShareLiveEcgParameters): Promise<LiveShare> {
  const { session, recording, signal } = parameters;
  const transport = createRelayTransport(session.relay);
  const publisher: LivePublisher = await createLivePublisher({
    transport,
    onError: (error) => console.warn('live ECG publish failed:', error.message),
    onStateChange: (state) => parameters.onState?.(state),
    device: generateLiveDeviceKey(),
    recipients: parameters.recipients,
    sampleRate: recording.sampleRate,
    channels: 1,
    bitDepth: recording.bitDepth,
  });
  const descriptor = new TextEncoder().encode(JSON.stringify(publisher.descriptor));
  await session.relay.post(liveEcgTopic(session.address), descriptor, { retain: true });

  const chunk = Math.round(recording.sampleRate / 4);
  const done = (async () => {
    const started = performance.now();
    for (let written = 0; !signal.aborted; written += chunk) {
      const start = written % recording.samples.length;
      const samples = recording.samples.slice(start, Math.min(start + chunk, recording.samples.length));
      publisher.write(samples);
      parameters.onSamples?.(samples);
      const wait = started + ((written + chunk) / recording.sampleRate) * 1000 - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    await publisher.close();
    await transport.close();
  })();
  return {
    async setRecipients(recipients) {
      await publisher.rekey(recipients);
    },
    get state() {
      return publisher.state;
    },
    done,
  };
}

/** What the doctor's page shows of a live stream. */
export interface LiveView {
  /** Filtered samples (band-passed, in ADC units around 0). */
  onSamples(samples: Float64Array, sampleRate: number): void;
  /** A detected beat, with the heart rate when known. */
  onBeat(heartRate: number | undefined): void;
  /** Frames decrypted so far. */
  onFrame(frames: number): void;
  /** The stream's key epoch `epoch` was not wrapped for this doctor (revoked, or the share is paused). */
  onDenied(epoch: number | undefined): void;
  /** Something failed (shown, not thrown). */
  onError(message: string): void;
}

/**
 * Follows a patient's live ECG: finds the stream descriptor on the patient's live topic, subscribes with
 * `@mhrchain/ecg/live` (frames are opened with the doctor's identity) and runs the SDK's live monitor (filters, QRS
 * detection, heart rate) on the frames.
 */
export function watchLiveEcg(
  relay: RelayClient,
  session: Session,
  patient: string,
  view: LiveView,
  signal: AbortSignal,
): void {
  const transport = createRelayTransport(relay);
  let current: { close(): Promise<void> } | undefined;
  signal.addEventListener('abort', () => {
    void current?.close();
    void transport.close();
  });
  relay.follow(
    liveEcgTopic(patient),
    async (message) => {
      try {
        await follow(JSON.parse(new TextDecoder().decode(message)) as LiveStreamDescriptor);
      } catch (error) {
        view.onError(String((error as Error)?.message ?? error));
      }
    },
    signal,
    'latest',
  );

  async function follow(descriptor: LiveStreamDescriptor): Promise<void> {
    await current?.close();
    const monitor = createLiveMonitor();
    let frames = 0;
    const subscription = await subscribeLiveStream({
      transport,
      descriptor,
      identity: session.client.identity,
      callbackOnly: true,
      onEvent: (event) => {
        try {
          if (event.type === 'frame') view.onFrame(++frames);
          if (event.type === 'access-denied') view.onDenied(event.epoch);
          for (const output of monitor.push(event) as MonitorEvent[]) {
            if (output.type === 'samples') view.onSamples(output.filtered, output.sampleRate);
            if (output.type === 'beat') view.onBeat(output.averageHeartRate ?? output.heartRate);
          }
        } catch (error) {
          view.onError(String((error as Error)?.message ?? error));
        }
      },
    });
    subscription.access.catch(() => view.onDenied(undefined));
    current = subscription;
  }
}
