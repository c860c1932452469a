import { type Hex, PURPOSES_OF_USE, type PurposeOfUse } from '@mhrchain/consent';
import { isAddress } from 'ethers';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { AppConfig } from '../common/config.js';
import { createSampleFeed, EcgChart } from './EcgChart.js';
import { accessStatus, askForAccess, DEMO_REQUEST, sendCode } from './lib/consent.js';
import { watchLiveEcg } from './lib/liveEcg.js';
import { readableRecords } from './lib/records.js';
import type { Session } from './lib/session.js';
import { RecordTable } from './RecordTable.js';
import { usePoll } from './usePoll.js';
import { useSession } from './useSession.js';

/** The doctor's page: before access, request it and enter the patient's code; after, the records and the live ECG. */
export function DoctorPage({ config }: { config: AppConfig }) {
  const { session, error } = useSession(config, 'doctor');
  if (error) return <p className="error">{error}</p>;
  if (!session) return <p className="muted">Deriving your encryption key, registering and getting attested…</p>;
  return <DoctorHome session={session} />;
}

function DoctorHome({ session }: { session: Session }) {
  const [patient, setPatient] = useState(session.config.accounts.patient.address);
  const [version, setVersion] = useState(0);
  const valid = isAddress(patient);
  const status = usePoll(
    useCallback(() => (valid ? accessStatus(session, patient) : Promise.resolve(undefined)), [session, patient, valid]),
    1000,
    version,
  );
  const granted = status?.granted === true;
  // Once shown, the live ECG stays subscribed after a revocation: what stops this page from reading the stream is
  // the stream's key, not this page's goodwill (it says so when the key is withheld).
  const [watching, setWatching] = useState<string>();
  useEffect(() => {
    if (granted) setWatching(patient);
    else if (watching !== patient) setWatching(undefined);
  }, [granted, patient, watching]);
  return (
    <div data-testid="doctor-ready">
      <p className="muted">
        You are Dr. <code data-testid="doctor-address">{session.address}</code>, attested by the registrar.
      </p>
      <section className="card">
        <h3>Patient</h3>
        <input value={patient} onChange={(e) => setPatient(e.target.value)} size={46} data-testid="patient-input" />
        <p data-testid="access-status">
          {!status ? '…' : granted ? 'Access granted' : status.pending ? 'Request pending' : 'No access'}
        </p>
      </section>
      {!granted && valid && (
        <RequestAccess
          session={session}
          patient={patient}
          pending={status?.pending ?? false}
          onChange={() => setVersion((v) => v + 1)}
        />
      )}
      {granted && <PatientRecords session={session} patient={patient} />}
      {watching === patient && <LiveEcg session={session} patient={patient} granted={granted} />}
      {!granted && (
        <section className="card">
          <h3>Records</h3>
          <p className="muted" data-testid="no-access">
            Nothing to show: the patient has not granted you access.
          </p>
        </section>
      )}
    </div>
  );
}

function RequestAccess(props: { session: Session; patient: string; pending: boolean; onChange: () => void }) {
  const { session, patient, pending, onChange } = props;
  const [requestId, setRequestId] = useState<Hex>();
  const [purpose, setPurpose] = useState<PurposeOfUse>(DEMO_REQUEST.purpose);
  const [code, setCode] = useState('');
  const [message, setMessage] = useState<string>();
  const [busy, setBusy] = useState(false);
  const run = (action: () => Promise<string>) => async () => {
    setBusy(true);
    try {
      setMessage(await action());
      onChange();
    } catch (cause) {
      setMessage(`Failed: ${(cause as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  const request = run(async () => {
    setRequestId(await askForAccess(session, patient, purpose));
    return 'Request sent. Ask the patient for the code their page shows.';
  });
  const send = run(async () => {
    if (!requestId) throw new Error('Request access first.');
    await sendCode(session, patient, requestId, code.trim());
    return 'Code sent, sealed to the patient. Waiting for the grant…';
  });
  return (
    <section className="card">
      <h3>Request access</h3>
      {!requestId && (
        <p>
          <label>
            Purpose{' '}
            <select
              value={purpose}
              onChange={(e) => setPurpose(e.target.value as PurposeOfUse)}
              disabled={busy || pending}
              data-testid="request-purpose"
            >
              {PURPOSES_OF_USE.map((p) => (
                <option key={p.code} value={p.code}>
                  {p.display} ({p.code})
                </option>
              ))}
            </select>
          </label>{' '}
          <button type="button" onClick={request} disabled={busy || pending} data-testid="request-access">
            {pending ? 'A request is pending' : 'Request access to all records (24 h)'}
          </button>
        </p>
      )}
      {requestId && (
        <p>
          <input
            placeholder="One-time code"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            inputMode="numeric"
            data-testid="otp-input"
          />
          <button
            type="button"
            onClick={send}
            disabled={busy || !/^\d{6,8}$/.test(code.trim())}
            data-testid="send-code"
          >
            Send code
          </button>
        </p>
      )}
      {message && (
        <p className="muted" data-testid="request-message">
          {message}
        </p>
      )}
    </section>
  );
}

function PatientRecords({ session, patient }: { session: Session; patient: string }) {
  const records = usePoll(
    useCallback(() => readableRecords(session, patient), [session, patient]),
    1500,
  );
  return (
    <section className="card">
      <h3>Records</h3>
      <RecordTable records={records ?? []} session={session} />
    </section>
  );
}

function LiveEcg({ session, patient, granted }: { session: Session; patient: string; granted: boolean }) {
  const feed = useMemo(() => createSampleFeed(), []);
  const [stream, setStream] = useState<{ sampleRate: number; frames: number }>();
  const [heartRate, setHeartRate] = useState<number>();
  // The key epoch withheld from this doctor (null: the first key seen was not for it).
  const [denied, setDenied] = useState<number | null>();
  const [error, setError] = useState<string>();
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
          setStream({ sampleRate, frames });
        },
        onDenied: (epoch) => setDenied((current) => epoch ?? current ?? null),
        onError: (message) => setError(message),
      },
      controller.signal,
    );
    return () => controller.abort();
  }, [session, patient, feed]);
  return (
    <section className="card">
      <h3>Live ECG</h3>
      {!stream && (
        <p className="muted" data-testid="ecg-waiting">
          Waiting for the patient to share a live ECG…
        </p>
      )}
      {denied !== undefined && (
        <p className="warning" data-testid="ecg-denied" data-epoch={denied ?? ''}>
          {granted
            ? "The stream's current key was not released to you."
            : `Your access was revoked: the stream's key${denied === null ? '' : ` from epoch ${denied} on`} is not released to you, no frame can be opened here.`}
        </p>
      )}
      {error && (
        <p className="error" data-testid="ecg-error">
          {error}
        </p>
      )}
      {stream && (
        <p className="muted" data-testid="ecg-status" data-frames={stream.frames}>
          Heart rate <b data-testid="heart-rate">{heartRate ?? '…'}</b> bpm · {stream.frames} sealed frames opened ·{' '}
          {stream.sampleRate} Hz, filtered 0.5–40 Hz
        </p>
      )}
      <EcgChart feed={feed} sampleRate={stream?.sampleRate ?? 360} gain={200} baseline={0} label="doctor-ecg" />
    </section>
  );
}
