import type { AccessScope } from '@mhrchain/consent';
import { isAddress } from 'ethers';
import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import type { AppConfig } from '../common/config.js';
import { DoctorLiveEcg } from './DoctorLiveEcg.js';
import { accessStatus } from './lib/consent.js';
import { formatUnixTime } from './lib/format.js';
import { createDirectory, type Directory } from './lib/people.js';
import { readableRecords } from './lib/records.js';
import { openRequestTo } from './lib/requestFlow.js';
import type { Session } from './lib/session.js';
import { RecordList } from './RecordList.js';
import { RequestPanel } from './RequestPanel.js';
import { SharePanel } from './SharePanel.js';
import { usePoll } from './usePoll.js';
import { useSession } from './useSession.js';

/** The doctor's page: before access, request it and enter the patient's code; after, the records and the live ECG. */
export function DoctorPage({ config }: { config: AppConfig }) {
  const { session, error } = useSession(config, 'doctor');
  if (error)
    return (
      <p className="error" role="alert">
        {error}
      </p>
    );
  if (!session)
    return (
      <p className="muted" role="status">
        Deriving your encryption key, registering and getting attested…
      </p>
    );
  return <DoctorHome session={session} />;
}

/** Why an address cannot be used as a patient's, or `undefined`. */
function addressProblem(value: string): string | undefined {
  const text = value.trim();
  if (!text) return 'Enter the patient’s address.';
  if (!/^0x[0-9a-fA-F]{40}$/.test(text))
    return 'A patient address is 0x followed by 40 hexadecimal characters (0–9, a–f).';
  if (!isAddress(text)) return 'This address has a wrong checksum: check its upper- and lower-case letters.';
  return undefined;
}

function DoctorHome({ session }: { session: Session }) {
  const name = useMemo(() => createDirectory(session.config), [session]);
  const fieldId = useId();
  const [input, setInput] = useState(session.config.accounts.patient.address);
  const problem = addressProblem(input);
  const patient = problem ? undefined : input.trim();
  const [version, setVersion] = useState(0);
  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  const status = usePoll(
    useCallback(async () => {
      if (!patient) return undefined;
      const registered = await session.client.chain.identityRegistry.read.isRegistered(patient);
      if (!registered) return { patient, registered: false as const };
      const [access, request, grant] = await Promise.all([
        accessStatus(session, patient),
        openRequestTo(session, patient),
        session.client.chain.consentManager.read.grantOf(patient, session.address) as Promise<{
          expiresAt: bigint;
          kind: bigint | number;
          category: bigint | number;
        }>,
      ]);
      const kind = Number(grant.kind);
      const scope: AccessScope =
        kind === 0
          ? { kind: 'all' }
          : kind === 1
            ? { kind: 'category', category: Number(grant.category) }
            : { kind: 'records', recordIds: [] };
      return { patient, registered: true as const, ...access, request, scope, expiresAt: Number(grant.expiresAt) };
    }, [session, patient]),
    1000,
    version,
  );
  const current = status && status.patient === patient ? status : undefined;
  const granted = current?.registered === true && current.granted;
  const fieldError =
    problem ?? (current?.registered === false ? 'No patient is registered at this address.' : undefined);
  // Once shown, the live ECG stays subscribed after a revocation: what stops this page from reading the stream is
  // the stream's key, not this page's goodwill (it says so when the key is withheld).
  const [watching, setWatching] = useState<string>();
  useEffect(() => {
    if (granted && patient) setWatching(patient);
    else if (watching !== patient) setWatching(undefined);
  }, [granted, patient, watching]);
  return (
    <div data-testid="doctor-ready">
      <p className="intro">
        Signed in as <b>{name(session.address)}</b> (<code data-testid="doctor-address">{session.address}</code>),
        attested by the registrar.
      </p>
      <section className="card" aria-labelledby="patient-title">
        <h3 id="patient-title">Patient</h3>
        <div className="field">
          <label htmlFor={fieldId}>Patient’s address</label>
          <input
            id={fieldId}
            value={input}
            onChange={(e) => setInput(e.target.value)}
            spellCheck={false}
            autoComplete="off"
            className="address"
            aria-invalid={fieldError ? true : undefined}
            aria-describedby={fieldError ? `${fieldId}-error` : undefined}
            data-testid="patient-input"
          />
          {fieldError && (
            <p id={`${fieldId}-error`} className="field-error" data-testid="patient-error">
              {fieldError}
            </p>
          )}
        </div>
        {patient && current?.registered && <p>{name(patient)}</p>}
        <p role="status" data-testid="access-status">
          {!patient || current?.registered === false
            ? 'No patient chosen'
            : !current
              ? 'Checking your access…'
              : granted
                ? 'Access granted'
                : current.pending
                  ? 'Request pending'
                  : 'No access'}
        </p>
        {granted && current?.registered && (
          <p className="muted" data-testid="grant-until">
            Your access ends {formatUnixTime(current.expiresAt)}.
          </p>
        )}
      </section>
      {patient && current?.registered && !granted && (
        <RequestPanel
          session={session}
          patient={patient}
          request={current.request}
          closed={current.rejected}
          name={name}
          onChange={refresh}
        />
      )}
      {patient && granted && <PatientRecords session={session} patient={patient} name={name} />}
      {patient && granted && current?.registered && current.scope.kind !== 'records' && (
        <SharePanel
          session={session}
          patient={patient}
          grant={{ scope: current.scope, expiresAt: current.expiresAt }}
          name={name}
        />
      )}
      {patient && watching === patient && <DoctorLiveEcg session={session} patient={patient} granted={granted} />}
      {patient && !granted && (
        <section className="card" aria-labelledby="no-records-title">
          <h3 id="no-records-title">Records</h3>
          <p className="muted" data-testid="no-access">
            Nothing to show: the patient has not granted you access.
          </p>
        </section>
      )}
    </div>
  );
}

function PatientRecords({ session, patient, name }: { session: Session; patient: string; name: Directory }) {
  const records = usePoll(
    useCallback(() => readableRecords(session, patient), [session, patient]),
    1500,
  );
  return (
    <section className="card" aria-labelledby="patient-records-title">
      <h3 id="patient-records-title">Records of {name(patient)}</h3>
      <RecordList records={records} session={session} emptyText="No records in the scope you were granted." />
    </section>
  );
}
