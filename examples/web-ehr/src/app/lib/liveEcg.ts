import { decryptRecord, encryptRecord, type Identity } from '@mhrchain/core';
import { createEcgDecoderStream, decodeEcgFrame, type EcgFrame } from '@mhrchain/ecg';
import { liveEcgTopic } from '../../shared/config.js';
import type { RelayClient } from './relayClient.js';

/** Media type of one ECG codec frame. */
const ECG_FRAME_TYPE = 'application/vnd.mhrchain.ecg-frame';

/** Where the samples come from: the patient's (simulated) wearable, already in the ECG codec. */
export interface EcgRecording {
  /** Encoded frames, in order. */
  frames: Uint8Array[];
  sampleRate: number;
  gain: number;
  baseline: number;
}

/** Fetches an excerpt of a MIT-BIH record from the storage node's ECG feed and splits it into its frames. */
export async function loadRecording(storageUrl: string, record: string, seconds = 30): Promise<EcgRecording> {
  const response = await fetch(`${storageUrl}/ecg/mitdb/${record}?seconds=${seconds}`);
  if (!response.ok) throw new Error(`No ECG feed for record ${record}: ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  // The feed is frames back to back; the decoder stream tells each frame's length, so each can be sent as is.
  const frames: Uint8Array[] = [];
  let sampleRate = 0;
  let offset = 0;
  const reader = new Blob([bytes]).stream().pipeThrough(createEcgDecoderStream()).getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    const frame = next.value;
    sampleRate = frame.header.sampleRate;
    frames.push(bytes.slice(offset, offset + frame.byteLength));
    offset += frame.byteLength;
  }
  return {
    frames,
    sampleRate,
    gain: Number(response.headers.get('x-ecg-gain') ?? 200),
    baseline: Number(response.headers.get('x-ecg-baseline') ?? 1024),
  };
}

/** One live message: an ECG frame encrypted as an envelope (header ‖ payload, with the header's length first). */
function pack(header: Uint8Array, payload: Uint8Array): Uint8Array {
  const message = new Uint8Array(4 + header.length + payload.length);
  new DataView(message.buffer).setUint32(0, header.length);
  message.set(header, 4);
  message.set(payload, 4 + header.length);
  return message;
}

function unpack(message: Uint8Array): { header: Uint8Array; payload: Uint8Array } {
  const length = new DataView(message.buffer, message.byteOffset, message.byteLength).getUint32(0);
  return { header: message.subarray(4, 4 + length), payload: message.subarray(4 + length) };
}

/** Parameters of {@link shareLiveEcg}. */
export interface ShareLiveEcgParameters {
  relay: RelayClient;
  patient: string;
  recording: EcgRecording;
  /** Who may watch: X25519 public keys (the doctors holding a live grant). */
  recipients: () => readonly Uint8Array[];
  /** Called with each frame as it is sent (the patient's own chart). */
  onFrame?: (frame: EcgFrame) => void;
  signal: AbortSignal;
}

/**
 * Streams the recording in real time, frame by frame: each frame (a quarter second in the ECG codec) is encrypted
 * in the browser to the current recipients and posted to the patient's live topic on the relay. The recording loops.
 */
export async function shareLiveEcg(parameters: ShareLiveEcgParameters): Promise<void> {
  const { relay, patient, recording, signal } = parameters;
  const started = performance.now();
  let elapsed = 0;
  for (let i = 0; !signal.aborted; i++) {
    const bytes = recording.frames[i % recording.frames.length]!;
    const frame = decodeEcgFrame(bytes);
    const recipients = parameters.recipients();
    if (recipients.length > 0) {
      const sealed = await encryptRecord({
        data: bytes,
        metadata: { mediaType: ECG_FRAME_TYPE, created: new Date() },
        recipients,
      });
      await relay.post(liveEcgTopic(patient), pack(sealed.header, sealed.payload)).catch(() => {});
    }
    parameters.onFrame?.(frame);
    elapsed += (frame.header.sampleCount / frame.header.sampleRate) * 1000;
    const wait = started + elapsed - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/** Follows a patient's live ECG on the relay, decrypting each frame with `identity`; frames not for it are skipped. */
export function watchLiveEcg(
  relay: RelayClient,
  patient: string,
  identity: Identity,
  onFrame: (frame: EcgFrame) => void,
  signal: AbortSignal,
): void {
  relay.follow(
    liveEcgTopic(patient),
    async (message) => {
      try {
        const { header, payload } = unpack(message);
        const { data } = await decryptRecord({ header, payload, identity });
        onFrame(decodeEcgFrame(data));
      } catch {
        // Not addressed to this doctor (sent before the grant, or to someone else): nothing to show.
      }
    },
    signal,
    'latest',
  );
}
