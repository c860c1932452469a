import { type AccessScope, getTimeline, requestDelegation } from '@mhrchain/consent';
import { useCallback, useId, useState } from 'react';
import { CATEGORY_LABEL } from '../common/config.js';
import { formatScope, formatUnixTime } from './lib/format.js';
import type { Directory } from './lib/people.js';
import type { Session } from './lib/session.js';
import { delegationsOf } from './lib/sharing.js';
import { usePoll } from './usePoll.js';

/** Properties of {@link SharePanel}. */
export interface SharePanelProps {
  session: Session;
  patient: string;
  /** The doctor's own grant: a delegation may cover at most this, until at most then. */
  grant: { scope: AccessScope; expiresAt: number };
  name: Directory;
}

const DAYS = [1, 7] as const;

/**
 * The doctor asks the patient to let a colleague read part of what the doctor may read (the SDK's
 * `requestDelegation`); nothing is shared until the patient approves on the sharing screen.
 */
export function SharePanel({ session, patient, grant, name }: SharePanelProps) {
  const ids = { colleague: useId(), scope: useId(), until: useId() };
  const colleagues = session.config.colleagues;
  const [colleague, setColleague] = useState(colleagues[0]?.address ?? '');
  const [scopeChoice, setScopeChoice] = useState('mine');
  const [until, setUntil] = useState('1');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const [version, setVersion] = useState(0);
  const delegations = usePoll(
    useCallback(
      async () =>
        delegationsOf(await getTimeline(session.client, { patient })).filter(
          (d) => d.doctor.toLowerCase() === session.address.toLowerCase(),
        ),
      [session, patient],
    ),
    2000,
    version,
  );
  const categories =
    grant.scope.kind === 'all'
      ? Object.keys(CATEGORY_LABEL).map(Number)
      : grant.scope.kind === 'category'
        ? [grant.scope.category]
        : [];
  const scope: AccessScope = scopeChoice === 'mine' ? grant.scope : { kind: 'category', category: Number(scopeChoice) };
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setMessage(undefined);
    try {
      const latest = await session.client.provider.getBlock('latest');
      const now = Number(latest?.timestamp ?? Math.floor(Date.now() / 1000));
      const expiresAt = until === 'grant' ? grant.expiresAt : Math.min(grant.expiresAt, now + Number(until) * 86_400);
      await requestDelegation(session.client, { patient, colleague, scope, expiresAt });
      setMessage({ ok: true, text: `Asked ${name(patient)} to let ${name(colleague)} read ${formatScope(scope)}.` });
      setVersion((v) => v + 1);
    } catch (cause) {
      setMessage({ ok: false, text: `The request could not be sent: ${(cause as Error).message}` });
    } finally {
      setBusy(false);
    }
  };
  if (colleagues.length === 0) return null;
  return (
    <section className="card" aria-labelledby="share-title">
      <h3 id="share-title">Share with a colleague</h3>
      <p className="hint">{name(patient)} decides: nothing is shared until they approve it on their sharing screen.</p>
      <form onSubmit={submit} data-testid="share-form">
        <div className="field-row">
          <div className="field">
            <label htmlFor={ids.colleague}>Colleague</label>
            <select id={ids.colleague} value={colleague} onChange={(e) => setColleague(e.target.value)} disabled={busy}>
              {colleagues.map((c) => (
                <option key={c.address} value={c.address}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.scope}>Records</label>
            <select
              id={ids.scope}
              value={scopeChoice}
              onChange={(e) => setScopeChoice(e.target.value)}
              disabled={busy}
              data-testid="share-scope"
            >
              <option value="mine">Everything I can read ({formatScope(grant.scope)})</option>
              {categories.map((code) => (
                <option key={code} value={code}>
                  {CATEGORY_LABEL[code]} only
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.until}>For</label>
            <select id={ids.until} value={until} onChange={(e) => setUntil(e.target.value)} disabled={busy}>
              {DAYS.map((days) => (
                <option key={days} value={days}>
                  {days} day{days === 1 ? '' : 's'}
                </option>
              ))}
              <option value="grant">Until my access ends</option>
            </select>
          </div>
        </div>
        <div className="actions">
          <button type="submit" disabled={busy} data-testid="request-delegation">
            {busy ? 'Sending…' : 'Ask the patient'}
          </button>
        </div>
      </form>
      <div role="status" aria-live="polite">
        {message && <p className={message.ok ? 'success' : 'error'}>{message.text}</p>}
      </div>
      {(delegations ?? []).map((d) => (
        <p key={d.colleague} data-testid="my-delegation" data-status={d.status}>
          {d.status === 'pending'
            ? `Waiting for ${name(patient)} to approve: ${name(d.colleague)}, ${formatScope(d.scope)}, until ${formatUnixTime(d.expiresAt)}.`
            : `${name(d.colleague)} can read ${formatScope(d.scope)} until ${formatUnixTime(d.expiresAt)}.`}
        </p>
      ))}
    </section>
  );
}
