import { useEffect, useMemo, useState } from 'react';
import { createSampleFeed, EcgChart } from './EcgChart.js';
import { formatTime } from './lib/format.js';
import { watchLiveEcg } from './lib/liveEcg.js';
import type { Session } from './lib/session.js';

/** Seconds without a frame after which the doctor's page calls the stream stopped. */
export const STALE_AFTER_MS = 3000;

/**
 * The patient's live ECG on the doctor's page, with the heart rate; it says when the stream stops (paused, ended,
 * or the key is no longer released to this doctor) instead of leaving a frozen trace that looks live.
 */
export function DoctorLiveEcg({ session, patient, granted }: { session: Session; patient: string; granted: boolean }) {
  const feed = useMemo(() => createSampleFeed(), []);
  const [stream, setStream] = useState<{ sampleRate: number; frames: number; lastFrameAt: number }>();
  const [heartRate, setHeartRate] = useState<number>();
  // The key epoch withheld from this doctor (null: the first key seen was not for it).
  const [denied, setDenied] = useState<number | null>();
  const [error, setError] = useState<string>();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    const controller = new AbortController();
    let sampleRate = 360;
    watchLiveEcg(
      session.relay,
      session,
      patient,
      {
        onSamples: (samples, rate) => {
          sampleRate = rate;
          feed.push(Int32Array.from(samples, Math.round));
        },
        onBeat: (rate) => rate !== undefined && setHeartRate(Math.round(rate)),
        onFrame: (frames) => {
          setDenied(undefined);
          setStream({ sampleRate, frames, lastFrameAt: Date.now() });
        },
        onDenied: (epoch) => setDenied((current) => epoch ?? current ?? null),
        onError: (message) => setError(message),
      },
      controller.signal,
    );
    return () => controller.abort();
  }, [session, patient, feed]);
  const stale = stream !== undefined && (denied !== undefined || now - stream.lastFrameAt > STALE_AFTER_MS);
  const live = stream !== undefined && !stale;
  return (
    <section className="card" aria-labelledby="doctor-ecg-title">
      <h3 id="doctor-ecg-title">Live ECG</h3>
      {!stream && (
        <p className="muted" data-testid="ecg-waiting">
          Waiting for the patient to share a live ECG…
        </p>
      )}
      <div role="status" aria-live="polite">
        {stream && stale && (
          <p className="warning" data-testid="ecg-stale">
            Not live: no frame since {formatTime(stream.lastFrameAt)}. The stream was stopped or paused; the trace below
            is the last one received.
          </p>
        )}
        {denied !== undefined && (
          <p className="warning" data-testid="ecg-denied" data-epoch={denied ?? ''}>
            {granted
              ? "The stream's current key was not released to you."
              : `Your access was revoked: the stream's key${denied === null ? '' : ` from epoch ${denied} on`} is not released to you, no frame can be opened here.`}
          </p>
        )}
      </div>
      {error && (
        <p className="error" role="alert" data-testid="ecg-error">
          {error}
        </p>
      )}
      {stream && (
        <p data-testid="ecg-status" data-frames={stream.frames} data-live={live}>
          {live ? (
            <>
              <span className="live-dot" aria-hidden="true" /> Live · heart rate{' '}
              <b data-testid="heart-rate">{heartRate ?? '…'}</b> bpm
            </>
          ) : (
            <>Stream stopped · heart rate unavailable</>
          )}{' '}
          · {stream.frames} sealed frames opened · {stream.sampleRate} Hz, filtered 0.5–40 Hz
        </p>
      )}
      <div className={stale ? 'ecg-stale' : undefined}>
        <EcgChart
          feed={feed}
          sampleRate={stream?.sampleRate ?? 360}
          gain={200}
          baseline={0}
          label="doctor-ecg"
          description={live ? 'The patient’s live ECG' : 'The last ECG trace received (not live)'}
        />
      </div>
    </section>
  );
}
