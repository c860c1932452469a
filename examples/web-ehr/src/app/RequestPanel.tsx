import { type AccessScope, PURPOSES_OF_USE, type PurposeOfUse } from '@mhrchain/consent';
import { useEffect, useId, useRef, useState } from 'react';
import { CATEGORY_LABEL, codeReplyTopic } from '../common/config.js';
import { purposeText } from './lib/accessLog.js';
import { sendCode } from './lib/consent.js';
import { formatDuration, formatScope, formatUnixTime } from './lib/format.js';
import type { Directory } from './lib/people.js';
import {
  askForAccess,
  type CodeReply,
  DURATIONS,
  describeRefusal,
  type OpenRequest,
  parseCodeReply,
  withdrawRequest,
} from './lib/requestFlow.js';
import type { Session } from './lib/session.js';

/** Properties of {@link RequestPanel}. */
export interface RequestPanelProps {
  session: Session;
  patient: string;
  /** The doctor's pending request to the patient, as the chain holds it (survives reloads). */
  request: OpenRequest | undefined;
  /** The last request was closed without a grant (rejected, withdrawn or expired). */
  closed: boolean;
  name: Directory;
  onChange: () => void;
}

/**
 * The doctor asks for access (scope, duration, purpose); while the request is pending, enters the one-time code the
 * patient shows, sees whether the patient's page accepted it, or withdraws the request.
 */
export function RequestPanel({ session, patient, request, closed, name, onChange }: RequestPanelProps) {
  const expired = request !== undefined && request.now >= request.expiresAt;
  return (
    <section className="card" aria-labelledby="request-title">
      <h3 id="request-title">Access to {name(patient)}’s records</h3>
      {request && !expired ? (
        <PendingRequest session={session} patient={patient} request={request} name={name} onChange={onChange} />
      ) : request && expired ? (
        <ExpiredRequest session={session} patient={patient} request={request} name={name} />
      ) : (
        <>
          {closed && (
            <p className="info" data-testid="request-closed">
              Your last request was closed without access: {name(patient)} declined it, or it was withdrawn or expired.
              You can ask again.
            </p>
          )}
          <RequestForm session={session} patient={patient} onChange={onChange} />
        </>
      )}
    </section>
  );
}

function RequestForm({ session, patient, onChange }: { session: Session; patient: string; onChange: () => void }) {
  const ids = { scope: useId(), category: useId(), duration: useId(), purpose: useId() };
  const [scopeKind, setScopeKind] = useState<'all' | 'category'>('all');
  const [category, setCategory] = useState(2);
  const [duration, setDuration] = useState<number>(DURATIONS[1].seconds);
  const [purpose, setPurpose] = useState<PurposeOfUse>('TREAT');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const scope: AccessScope = scopeKind === 'all' ? { kind: 'all' } : { kind: 'category', category };
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await askForAccess(session, patient, { scope, purpose, duration });
      onChange();
    } catch (cause) {
      setError(`The request could not be sent: ${(cause as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} data-testid="request-form">
      <div className="field-row">
        <div className="field">
          <label htmlFor={ids.scope}>Records</label>
          <select
            id={ids.scope}
            value={scopeKind}
            onChange={(e) => setScopeKind(e.target.value as 'all' | 'category')}
            disabled={busy}
            data-testid="request-scope"
          >
            <option value="all">All records</option>
            <option value="category">One category</option>
          </select>
        </div>
        {scopeKind === 'category' && (
          <div className="field">
            <label htmlFor={ids.category}>Category</label>
            <select
              id={ids.category}
              value={category}
              onChange={(e) => setCategory(Number(e.target.value))}
              disabled={busy}
              data-testid="request-category"
            >
              {Object.entries(CATEGORY_LABEL).map(([code, label]) => (
                <option key={code} value={code}>
                  {label}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor={ids.duration}>For</label>
          <select
            id={ids.duration}
            value={duration}
            onChange={(e) => setDuration(Number(e.target.value))}
            disabled={busy}
            data-testid="request-duration"
          >
            {DURATIONS.map((d) => (
              <option key={d.seconds} value={d.seconds}>
                {d.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.purpose}>Purpose</label>
          <select
            id={ids.purpose}
            value={purpose}
            onChange={(e) => setPurpose(e.target.value as PurposeOfUse)}
            disabled={busy}
            data-testid="request-purpose"
          >
            {PURPOSES_OF_USE.map((p) => (
              <option key={p.code} value={p.code}>
                {purposeText(p.code)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p className="hint">
        The patient sees what you ask for and why. Requests stay open for an hour. The purpose is recorded on chain as
        its HL7 code.
      </p>
      <div className="actions">
        <button type="submit" disabled={busy} data-testid="request-access">
          {busy ? 'Sending the request…' : `Request ${formatScope(scope)} for ${formatDuration(duration)}`}
        </button>
      </div>
      <div role="alert">{error && <p className="error">{error}</p>}</div>
    </form>
  );
}

type CodeState =
  | { step: 'idle' }
  | { step: 'sending' }
  | { step: 'waiting'; since: number }
  | { step: 'refused'; reply: Extract<CodeReply, { outcome: 'refused' }> }
  | { step: 'granted' }
  | { step: 'failed'; message: string };

function PendingRequest(props: {
  session: Session;
  patient: string;
  request: OpenRequest;
  name: Directory;
  onChange: () => void;
}) {
  const { session, patient, request, name, onChange } = props;
  const codeId = useId();
  const [code, setCode] = useState('');
  const [fieldError, setFieldError] = useState<string>();
  const [state, setState] = useState<CodeState>({ step: 'idle' });
  const [withdrawing, setWithdrawing] = useState<'sent' | 'busy' | string>();
  const [slow, setSlow] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  // The patient's page answers each code on this doctor's reply topic.
  useEffect(() => {
    const controller = new AbortController();
    session.relay.follow(
      codeReplyTopic(session.address),
      (bytes) => {
        const reply = parseCodeReply(bytes);
        if (!reply || reply.requestId.toLowerCase() !== request.requestId.toLowerCase()) return;
        if (reply.outcome === 'granted') {
          setState({ step: 'granted' });
          onChange();
        } else if (reply.outcome === 'failed') {
          setState({
            step: 'failed',
            message:
              'The code was right, but the patient’s page could not complete the grant. Ask the patient to show a new code and try again.',
          });
        } else {
          setState({ step: 'refused', reply });
          setCode('');
          input.current?.focus();
        }
      },
      controller.signal,
      'latest',
    );
    return () => controller.abort();
  }, [session, request.requestId, onChange]);

  useEffect(() => {
    if (state.step !== 'waiting') return setSlow(false);
    const timer = setTimeout(() => setSlow(true), 15_000);
    return () => clearTimeout(timer);
  }, [state]);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const digits = code.replace(/\s+/g, '');
    if (!/^\d{6}$/.test(digits)) {
      setFieldError('The code has 6 digits: enter the code the patient’s page shows.');
      input.current?.focus();
      return;
    }
    setFieldError(undefined);
    setState({ step: 'sending' });
    try {
      await sendCode(session, patient, request.requestId, digits);
      setState({ step: 'waiting', since: Date.now() });
    } catch (cause) {
      setState({ step: 'failed', message: `The code could not be sent: ${(cause as Error).message}` });
    }
  };

  const withdraw = async () => {
    setWithdrawing('busy');
    try {
      await withdrawRequest(session, patient, request);
      setWithdrawing('sent');
    } catch (cause) {
      setWithdrawing(`The withdrawal could not be sent: ${(cause as Error).message}`);
    }
  };

  const busy = state.step === 'sending' || state.step === 'waiting';
  return (
    <div data-testid="pending-request">
      <p>
        You asked for <b>{formatScope(request.scope)}</b> for <b>{formatDuration(request.duration)}</b>, for{' '}
        <b data-testid="pending-purpose">{purposeText(request.purpose)}</b>, on {formatUnixTime(request.requestedAt)}.
      </p>
      <p className="muted" data-testid="request-expiry">
        The request is open until {formatUnixTime(request.expiresAt)}.
      </p>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={codeId}>One-time code from {name(patient)}</label>
          <input
            id={codeId}
            ref={input}
            value={code}
            onChange={(e) => setCode(e.target.value)}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={8}
            className="code"
            aria-invalid={fieldError || state.step === 'refused' ? true : undefined}
            aria-describedby={`${codeId}-hint${fieldError ? ` ${codeId}-error` : ''}`}
            disabled={busy}
            data-testid="otp-input"
          />
          <p id={`${codeId}-hint`} className="hint">
            The patient’s page shows a 6-digit code when they choose to confirm your request with a code.
          </p>
          {fieldError && (
            <p id={`${codeId}-error`} className="field-error" data-testid="code-error">
              {fieldError}
            </p>
          )}
        </div>
        <div className="actions">
          <button type="submit" disabled={busy} data-testid="send-code">
            {state.step === 'sending' ? 'Sending…' : 'Send code'}
          </button>
          <button
            type="button"
            className="secondary"
            onClick={withdraw}
            disabled={withdrawing === 'busy' || withdrawing === 'sent'}
            data-testid="withdraw-request"
          >
            Withdraw request
          </button>
        </div>
      </form>
      <div role="status" aria-live="polite" data-testid="request-message">
        {state.step === 'waiting' && (
          <p className="info">
            Code sent, sealed to the patient. Waiting for the patient’s page to check it…
            {slow && ' No answer yet: the patient’s page must be open to check it.'}
          </p>
        )}
        {state.step === 'granted' && <p className="success">The patient’s page accepted the code: access granted.</p>}
        {withdrawing === 'sent' && (
          <p className="info" data-testid="withdraw-sent">
            Withdrawal sent: the request closes as soon as the patient’s page receives it.
          </p>
        )}
      </div>
      <div role="alert" data-testid="request-error">
        {state.step === 'refused' && <p className="error">{describeRefusal(state.reply)}</p>}
        {state.step === 'failed' && <p className="error">{state.message}</p>}
        {withdrawing && withdrawing !== 'busy' && withdrawing !== 'sent' && <p className="error">{withdrawing}</p>}
      </div>
    </div>
  );
}

function ExpiredRequest(props: { session: Session; patient: string; request: OpenRequest; name: Directory }) {
  const { session, patient, request, name } = props;
  const [sent, setSent] = useState(false);
  return (
    <div data-testid="expired-request">
      <p className="warning">
        Your request of {formatUnixTime(request.requestedAt)} expired at {formatUnixTime(request.expiresAt)} without an
        answer. {name(patient)}’s page closes it when it next opens; you can then ask again.
      </p>
      <button
        type="button"
        className="secondary"
        disabled={sent}
        onClick={() => withdrawRequest(session, patient, request).then(() => setSent(true))}
      >
        {sent ? 'Withdrawal sent' : 'Withdraw it now'}
      </button>
    </div>
  );
}
