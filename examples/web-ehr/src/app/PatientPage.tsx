import { addRecord } from '@mhrchain/consent';
import type { LivePublisherState } from '@mhrchain/ecg/live';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { type AppConfig, mailboxTopic, RECORD_CATEGORY } from '../common/config.js';
import { createSampleFeed, EcgChart } from './EcgChart.js';
import {
  grantedDoctors,
  handleCodeResponse,
  issueCode,
  type PendingRequest,
  pendingRequests,
  revokeDoctor,
} from './lib/consent.js';
import { type EcgRecording, type LiveShare, loadRecording, shareLiveEcg } from './lib/liveEcg.js';
import { recordsWithTimes } from './lib/records.js';
import { encryptionKeyOf, type Session } from './lib/session.js';
import { RecordTable } from './RecordTable.js';
import { usePoll } from './usePoll.js';
import { useSession } from './useSession.js';

/** The patient's page: add records, see them, answer access requests with a one-time code, share a live ECG. */
export function PatientPage({ config }: { config: AppConfig }) {
  const { session, error } = useSession(config, 'patient');
  if (error) return <p className="error">{error}</p>;
  if (!session) return <p className="muted">Deriving your encryption key and registering…</p>;
  return <PatientHome session={session} />;
}

function PatientHome({ session }: { session: Session }) {
  const [version, setVersion] = useState(0);
  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  const records = usePoll(
    useCallback(() => recordsWithTimes(session, session.address), [session]),
    1500,
    version,
  );
  const doctors = usePoll(
    useCallback(() => grantedDoctors(session), [session]),
    1500,
    version,
  );
  // Doctors being revoked leave the live share at once, before the chain confirms; they stay out until the list of
  // grants no longer shows them (or, if the revocation failed, come back with the next poll).
  const [revoking, setRevoking] = useState<ReadonlySet<string>>(new Set());
  const [revokeLog, setRevokeLog] = useState<string>();
  useEffect(() => {
    if (!doctors) return;
    setRevoking((current) => {
      const kept = [...current].filter((doctor) => doctors.includes(doctor));
      return kept.length === current.size ? current : new Set(kept);
    });
  }, [doctors]);
  const revoke = useCallback(
    async (doctor: string) => {
      setRevoking((current) => new Set(current).add(doctor));
      try {
        setRevokeLog(await revokeDoctor(session, doctor));
      } catch (cause) {
        setRevokeLog(`Failed to revoke ${doctor}: ${(cause as Error).message}`);
        setRevoking((current) => new Set([...current].filter((d) => d !== doctor)));
      }
      refresh();
    },
    [session, refresh],
  );
  const readers = (doctors ?? []).filter((doctor) => !revoking.has(doctor));
  return (
    <div data-testid="patient-ready">
      <p className="muted">
        You are <code data-testid="patient-address">{session.address}</code>. Your records are encrypted in this
        browser; the chain holds only their CIDs and your consent decisions.
      </p>
      <AddRecord session={session} onAdded={refresh} />
      <section className="card">
        <h3>My records</h3>
        <RecordTable records={records ?? []} session={session} />
      </section>
      <AccessRequests session={session} onGranted={refresh} />
      <GrantedDoctors doctors={doctors ?? []} revoking={revoking} onRevoke={revoke} log={revokeLog} />
      <LiveEcgShare session={session} doctors={readers} />
    </div>
  );
}

function AddRecord({ session, onAdded }: { session: Session; onAdded: () => void }) {
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [file, setFile] = useState<File>();
  const [kind, setKind] = useState<keyof typeof RECORD_CATEGORY>('note');
  const [status, setStatus] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setStatus('Encrypting in the browser…');
    try {
      const data = file ? new Uint8Array(await file.arrayBuffer()) : new TextEncoder().encode(text);
      const mediaType = file ? file.type || 'application/octet-stream' : 'text/plain';
      // The SDK encrypts to the patient and to every doctor whose live grant covers the category, stores the
      // envelope's blocks (here: CAR uploads to the storage node) and anchors the envelope CID on chain.
      const { cid } = await addRecord(session.client, {
        data,
        metadata: { mediaType, title },
        category: RECORD_CATEGORY[kind],
      });
      setStatus(`Stored and anchored: ${cid.toString()}`);
      setTitle('');
      setText('');
      setFile(undefined);
      onAdded();
    } catch (cause) {
      setStatus(`Failed: ${(cause as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card">
      <h3>Add a record</h3>
      <form onSubmit={submit}>
        <input
          placeholder="Title"
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          required
          data-testid="record-title"
        />
        <select value={kind} onChange={(e) => setKind(e.target.value as keyof typeof RECORD_CATEGORY)}>
          {Object.keys(RECORD_CATEGORY).map((name) => (
            <option key={name}>{name}</option>
          ))}
        </select>
        <br />
        <textarea
          placeholder="Note (or choose a file)"
          rows={3}
          cols={60}
          value={text}
          onChange={(e) => setText(e.target.value)}
          data-testid="record-text-input"
        />
        <br />
        <input type="file" onChange={(e) => setFile(e.target.files?.[0])} data-testid="record-file" />
        <button type="submit" disabled={busy || !title || (!text && !file)} data-testid="add-record">
          Encrypt and add
        </button>
      </form>
      {status && (
        <p className="muted" data-testid="add-status">
          {status}
        </p>
      )}
    </section>
  );
}

function AccessRequests({ session, onGranted }: { session: Session; onGranted: () => void }) {
  const [codes, setCodes] = useState<Record<string, { code: string; expiresAt: number }>>({});
  const [log, setLog] = useState<Array<{ id: number; line: string }>>([]);
  const [version, setVersion] = useState(0);
  const requests = usePoll(
    useCallback(() => pendingRequests(session), [session]),
    1000,
    version,
  );

  useEffect(() => {
    const controller = new AbortController();
    const note = (line: string) => setLog((lines) => [...lines, { id: lines.length, line }]);
    session.relay.follow(
      mailboxTopic(session.address),
      async (sealed) => {
        try {
          note(`Code confirmed: access granted to ${await handleCodeResponse(session, sealed)}.`);
          onGranted();
        } catch (cause) {
          note(`Refused a response: ${(cause as Error).message}`);
        }
        setVersion((v) => v + 1);
      },
      controller.signal,
      'latest',
    );
    return () => controller.abort();
  }, [session, onGranted]);

  const showCode = async (request: PendingRequest) => {
    const { code, expiresAt } = await issueCode(session, request.doctor);
    setCodes((all) => ({ ...all, [request.requestId]: { code, expiresAt } }));
  };

  return (
    <section className="card">
      <h3>Access requests</h3>
      {(requests ?? []).length === 0 && <p className="muted">No pending requests.</p>}
      {(requests ?? []).map((request) => (
        <div key={request.requestId} data-testid="access-request">
          <p>
            Doctor <code>{request.doctor}</code> asks for <b>{request.scope.kind}</b> records for{' '}
            {Math.round(request.duration / 3600)} h, for <b data-testid="requested-purpose">{request.purposeDisplay}</b>{' '}
            ({request.purpose}) (requested {request.requestedAt.toLocaleTimeString()}).
          </p>
          {codes[request.requestId] ? (
            <p>
              Tell the doctor this code:{' '}
              <span className="otp" data-testid="otp-code">
                {codes[request.requestId]!.code}
              </span>{' '}
              <span className="muted">
                (valid until {new Date(codes[request.requestId]!.expiresAt).toLocaleTimeString()})
              </span>
            </p>
          ) : (
            <button type="button" onClick={() => showCode(request)} data-testid="show-code">
              Confirm with a one-time code
            </button>
          )}
        </div>
      ))}
      {log.map((entry) => (
        <p key={entry.id} className="muted" data-testid="consent-log">
          {entry.line}
        </p>
      ))}
    </section>
  );
}

function GrantedDoctors(props: {
  doctors: string[];
  revoking: ReadonlySet<string>;
  onRevoke: (doctor: string) => void;
  log: string | undefined;
}) {
  const { doctors, revoking, onRevoke, log } = props;
  return (
    <section className="card">
      <h3>Doctors with access</h3>
      {doctors.length === 0 && <p className="muted">Nobody.</p>}
      {doctors.map((doctor) => (
        <p key={doctor} data-testid="granted-doctor">
          <code>{doctor}</code>{' '}
          <button
            type="button"
            onClick={() => onRevoke(doctor)}
            disabled={revoking.has(doctor)}
            data-testid="revoke-doctor"
          >
            {revoking.has(doctor) ? 'Revoking…' : 'Revoke'}
          </button>
        </p>
      ))}
      {log && (
        <p className="muted" data-testid="revoke-log">
          {log}
        </p>
      )}
    </section>
  );
}

/** What the patient's page says of a running share. */
function describeShare(state: LivePublisherState): string {
  if (state.status === 'live')
    return `Live: frames sealed under key epoch ${state.epoch}, released to the doctors above`;
  return state.reason === 'no-readers'
    ? 'Live share paused: no doctor has access'
    : 'Live share paused: the new key could not be released';
}

function LiveEcgShare({ session, doctors }: { session: Session; doctors: string[] }) {
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
    <section className="card">
      <h3>Live ECG</h3>
      <p className="muted">
        Your wearable (MIT-BIH record {session.config.ecgRecord}, replayed in real time) streams to the doctors you
        granted access: {doctors.length === 0 ? 'nobody' : doctors.join(', ')}. Frames are sealed here, under a key only
        they receive.
      </p>
      <button
        type="button"
        onClick={() => setSharing((on) => !on)}
        disabled={!sharing && doctors.length === 0}
        data-testid="share-ecg"
      >
        {sharing ? 'Stop sharing' : 'Share live ECG'}
      </button>
      {sharing && shareState && (
        <p className={shareState.status === 'live' ? 'status' : 'warning'} data-testid="live-share-status">
          {describeShare(shareState)}
        </p>
      )}
      {error && <p className="error">{error}</p>}
      {recording && (
        <EcgChart
          feed={feed}
          sampleRate={recording.sampleRate}
          gain={recording.gain}
          baseline={recording.baseline}
          label="patient-ecg"
        />
      )}
    </section>
  );
}
