import type { LivePublisherState } from '@mhrchain/ecg/live';
import { useEffect, useMemo, useRef, useState } from 'react';
import { createSampleFeed, EcgChart } from './EcgChart.js';
import { type EcgRecording, type LiveShare, loadRecording, shareLiveEcg } from './lib/liveEcg.js';
import type { Directory } from './lib/people.js';
import { encryptionKeyOf, type Session } from './lib/session.js';

/** What the patient's page says of a running share. */
function describeShare(state: LivePublisherState): string {
  if (state.status === 'live')
    return `Live: frames sealed under key epoch ${state.epoch}, released to the doctors with access`;
  return state.reason === 'no-readers'
    ? 'Live share paused: no doctor has access'
    : 'Live share paused: the new key could not be released';
}

/** The patient's live ECG: the wearable's stream, sealed in this page for the doctors with access. */
export function LiveEcgShare({ session, doctors, name }: { session: Session; doctors: string[]; name: Directory }) {
  const [recording, setRecording] = useState<EcgRecording>();
  const [sharing, setSharing] = useState(false);
  const [shareState, setShareState] = useState<LivePublisherState>();
  const [error, setError] = useState<string>();
  const feed = useMemo(() => createSampleFeed(), []);
  const share = useRef<LiveShare>(undefined);
  const loading = useRef<Promise<EcgRecording>>(undefined);
  // The keys of the doctors listed now; a share that starts while they load waits for them.
  const keys = useRef<Promise<Uint8Array[]>>(Promise.resolve([]));
  const doctorList = doctors.join(',');
  // Who may watch follows the grants: each change starts a new key epoch wrapped for the doctors granted now.
  useEffect(() => {
    const list = doctorList ? doctorList.split(',') : [];
    const next = Promise.all(list.map((doctor) => encryptionKeyOf(session, doctor)));
    keys.current = next;
    next
      .then(async (recipients) => {
        // A later list supersedes this one; a share still starting picks the later list up itself.
        if (keys.current === next) await share.current?.setRecipients(recipients);
      })
      .catch((cause: unknown) => setError(String((cause as Error)?.message ?? cause)));
  }, [session, doctorList]);
  useEffect(() => {
    if (!sharing) return;
    const controller = new AbortController();
    (async () => {
      // Loaded once; a failed load is tried again on the next share.
      loading.current ??= loadRecording(session.config.storageUrl, session.config.ecgRecord).catch((cause) => {
        loading.current = undefined;
        throw cause;
      });
      const loaded = await loading.current;
      setRecording(loaded);
      const pending = keys.current;
      const started = await shareLiveEcg({
        session,
        recording: loaded,
        recipients: await pending,
        onSamples: (samples) => feed.push(samples),
        onState: (state) => !controller.signal.aborted && setShareState(state),
        signal: controller.signal,
      });
      if (controller.signal.aborted) return;
      share.current = started;
      setShareState(started.state);
      setError(undefined);
      // The grants may have changed while the share was starting.
      if (keys.current !== pending) await started.setRecipients(await keys.current);
    })().catch((cause: unknown) => setError(String((cause as Error)?.message ?? cause)));
    return () => {
      controller.abort();
      share.current = undefined;
      setShareState(undefined);
    };
  }, [sharing, session, feed]);
  return (
    <section className="card" aria-labelledby="live-ecg-title">
      <h3 id="live-ecg-title">Live ECG</h3>
      <p>
        Your wearable (MIT-BIH record {session.config.ecgRecord}, replayed in real time) streams to the doctors you
        granted access:{' '}
        <b data-testid="ecg-readers">{doctors.length === 0 ? 'nobody' : doctors.map(name).join(', ')}</b>. Frames are
        sealed here, under a key only they receive.
      </p>
      <button
        type="button"
        onClick={() => setSharing((on) => !on)}
        disabled={!sharing && doctors.length === 0}
        data-testid="share-ecg"
      >
        {sharing ? 'Stop sharing' : 'Share live ECG'}
      </button>
      <div role="status" aria-live="polite">
        {sharing && shareState && (
          <p className={shareState.status === 'live' ? 'success' : 'warning'} data-testid="live-share-status">
            {describeShare(shareState)}
          </p>
        )}
      </div>
      {!sharing && doctors.length === 0 && (
        <p className="hint">Give a doctor access first: the stream is only ever sealed for doctors with access.</p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {recording && (
        <EcgChart
          feed={feed}
          sampleRate={recording.sampleRate}
          gain={recording.gain}
          baseline={recording.baseline}
          label="patient-ecg"
          description="Your live ECG as it is being recorded"
        />
      )}
    </section>
  );
}
