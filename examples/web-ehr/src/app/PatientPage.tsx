import { useCallback, useEffect, useMemo, useState } from 'react';
import type { AppConfig } from '../common/config.js';
import { AccessLogPanel } from './AccessLogPanel.js';
import { LiveEcgShare } from './LiveEcgShare.js';
import { revokeDoctor } from './lib/consent.js';
import { createDirectory } from './lib/people.js';
import { recordsWithTimes } from './lib/records.js';
import type { Session } from './lib/session.js';
import { loadSharing } from './lib/sharing.js';
import { RecordList } from './RecordList.js';
import { SharingPanel } from './SharingPanel.js';
import { UploadForm } from './UploadForm.js';
import { usePoll } from './usePoll.js';
import { useSession } from './useSession.js';

/** The patient's screens, by route. */
export const PATIENT_SCREENS = [
  { route: '/patient', label: 'My records' },
  { route: '/patient/sharing', label: 'Sharing' },
  { route: '/patient/log', label: 'Access log' },
  { route: '/patient/ecg', label: 'Live ECG' },
] as const;

/** The patient's pages: records, sharing, access log and live ECG. */
export function PatientPage({ config, route }: { config: AppConfig; route: string }) {
  const { session, error } = useSession(config, 'patient');
  if (error)
    return (
      <p className="error" role="alert">
        {error}
      </p>
    );
  if (!session)
    return (
      <p className="muted" role="status">
        Deriving your encryption key and registering…
      </p>
    );
  return <PatientHome session={session} route={route} />;
}

function PatientHome({ session, route }: { session: Session; route: string }) {
  const name = useMemo(() => createDirectory(session.config), [session]);
  const [version, setVersion] = useState(0);
  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  const records = usePoll(
    useCallback(() => recordsWithTimes(session, session.address), [session]),
    1500,
    version,
  );
  const sharing = usePoll(
    useCallback(() => loadSharing(session), [session]),
    1500,
    version,
  );
  // Doctors being revoked leave the live share at once, before the chain confirms; they stay out until the list of
  // grants no longer shows them (or, if the revocation failed, come back with the next poll).
  const doctors = useMemo(() => sharing?.grants.map((grant) => grant.doctor) ?? [], [sharing]);
  const [revoking, setRevoking] = useState<ReadonlySet<string>>(new Set());
  const [revokeNote, setRevokeNote] = useState<{ ok: boolean; text: string }>();
  useEffect(() => {
    if (!sharing) return;
    setRevoking((current) => {
      const kept = [...current].filter((doctor) => doctors.includes(doctor));
      return kept.length === current.size ? current : new Set(kept);
    });
  }, [sharing, doctors]);
  const revoke = useCallback(
    async (doctor: string) => {
      setRevoking((current) => new Set(current).add(doctor));
      try {
        const { rotated } = await revokeDoctor(session, doctor);
        setRevokeNote({
          ok: true,
          text: `Access revoked for ${name(doctor)}: ${rotated} record${rotated === 1 ? ' was' : 's were'} locked with a new key.`,
        });
      } catch (cause) {
        setRevokeNote({ ok: false, text: `Revoking ${name(doctor)} failed: ${(cause as Error).message}` });
        setRevoking((current) => new Set([...current].filter((d) => d !== doctor)));
      }
      refresh();
    },
    [session, refresh, name],
  );
  const readers = doctors.filter((doctor) => !revoking.has(doctor));
  const screen = PATIENT_SCREENS.find((s) => s.route === route) ?? PATIENT_SCREENS[0];
  const waiting =
    (sharing?.requests.filter((r) => r.expiresAt > sharing.now).length ?? 0) +
    (sharing?.delegations.filter((d) => d.status === 'pending').length ?? 0);
  return (
    <div data-testid="patient-ready">
      <p className="intro">
        Signed in as <b>{name(session.address)}</b> (<code data-testid="patient-address">{session.address}</code>). Your
        records are encrypted in this browser; the chain holds only their CIDs and your consent decisions.
      </p>
      <nav aria-label="Patient screens" className="tabs">
        {PATIENT_SCREENS.map((s) => (
          <a
            key={s.route}
            href={`#${s.route}`}
            aria-current={s === screen ? 'page' : undefined}
            data-testid={`tab-${s.route.split('/')[2] ?? 'records'}`}
          >
            {s.label}
            {s.route === '/patient/sharing' && waiting > 0 && (
              <span className="badge" data-testid="waiting-count">
                {waiting}
                <span className="visually-hidden"> waiting</span>
              </span>
            )}
          </a>
        ))}
      </nav>
      <div role="status" aria-live="polite">
        {revokeNote && (
          <p className={revokeNote.ok ? 'success' : 'error'} data-testid="revoke-log">
            {revokeNote.text}
          </p>
        )}
      </div>
      <div hidden={screen.route !== '/patient'}>
        <UploadForm session={session} onAdded={refresh} />
        <section className="card" aria-labelledby="records-title">
          <h3 id="records-title">My records</h3>
          <RecordList records={records} session={session} />
        </section>
      </div>
      <div hidden={screen.route !== '/patient/sharing'}>
        <SharingPanel
          session={session}
          sharing={sharing}
          name={name}
          refresh={refresh}
          revoking={revoking}
          onRevoke={revoke}
        />
      </div>
      <div hidden={screen.route !== '/patient/log'}>
        <AccessLogPanel timeline={sharing?.timeline} now={sharing?.now ?? 0} name={name} />
      </div>
      <div hidden={screen.route !== '/patient/ecg'}>
        <LiveEcgShare session={session} doctors={readers} name={name} />
      </div>
    </div>
  );
}
