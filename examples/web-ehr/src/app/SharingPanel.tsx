import { getPendingRequest, OtpRejectedError, openOtpResponse } from '@mhrchain/consent';
import { useEffect, useRef, useState } from 'react';
import { mailboxTopic, withdrawalTopic } from '../common/config.js';
import { purposeText } from './lib/accessLog.js';
import { handleCodeResponse, issueCode } from './lib/consent.js';
import { formatDuration, formatScope, formatTime, formatUnixTime } from './lib/format.js';
import type { Directory } from './lib/people.js';
import { openWithdrawal, postCodeReply } from './lib/requestFlow.js';
import type { Session } from './lib/session.js';
import {
  approveDoctor,
  type DelegationView,
  decideDelegation,
  type GrantView,
  type RequestView,
  rejectDoctor,
  type SharingState,
} from './lib/sharing.js';
import { TransactionLink } from './TransactionLink.js';

/** Properties of {@link SharingPanel}. */
export interface SharingPanelProps {
  session: Session;
  sharing: SharingState | undefined;
  name: Directory;
  /** Reloads the sharing state now. */
  refresh: () => void;
  /** Doctors whose revocation is under way. */
  revoking: ReadonlySet<string>;
  onRevoke: (doctor: string) => void;
}

interface Notice {
  id: number;
  tone: 'success' | 'warning' | 'error';
  text: string;
}

/**
 * The patient's sharing screen: requests waiting for a decision (approve, confirm with a code, reject), who has
 * access to what, for which purpose and until when (revoke), and the colleagues doctors asked to share with.
 */
export function SharingPanel({ session, sharing, name, refresh, revoking, onRevoke }: SharingPanelProps) {
  const [codes, setCodes] = useState<Record<string, { code: string; expiresAt: number }>>({});
  const [notices, setNotices] = useState<Notice[]>([]);
  const [busy, setBusy] = useState<Record<string, string>>({});
  const closing = useRef(new Set<string>());
  const noticeId = useRef(0);
  const note = (tone: Notice['tone'], text: string) =>
    setNotices((all) => [{ id: noticeId.current++, tone, text }, ...all].slice(0, 6));
  const noteRef = useRef(note);
  noteRef.current = note;

  // Codes doctors send, sealed to this patient, through the relay: a right code grants; any other answer goes back
  // to the doctor's page, so the doctor knows what to do.
  useEffect(() => {
    const controller = new AbortController();
    session.relay.follow(
      mailboxTopic(session.address),
      async (sealed) => {
        const opened = peekResponse(session, sealed);
        const doctor = opened?.doctor;
        const requestId = opened?.requestId;
        try {
          const result = await handleCodeResponse(session, sealed);
          await postCodeReply(session, result.doctor, { requestId: result.requestId, outcome: 'granted' });
          noteRef.current('success', `${name(result.doctor)} entered the right code: access granted.`);
        } catch (cause) {
          if (cause instanceof OtpRejectedError) {
            if (doctor && requestId)
              await postCodeReply(session, doctor, {
                requestId,
                outcome: 'refused',
                reason: cause.reason,
                attemptsLeft: cause.attemptsLeft,
              }).catch(() => {});
            noteRef.current(
              'warning',
              cause.reason === 'mismatch'
                ? `${name(doctor)} entered a wrong code (${cause.attemptsLeft} attempt${cause.attemptsLeft === 1 ? '' : 's'} left).`
                : `A code from ${name(doctor)} was refused: ${refusalWords(cause.reason)}.`,
            );
          } else {
            if (doctor && requestId)
              await postCodeReply(session, doctor, { requestId, outcome: 'failed' }).catch(() => {});
            noteRef.current('error', `Access for ${name(doctor)} could not be granted: ${(cause as Error).message}`);
          }
        }
        refresh();
      },
      controller.signal,
      'latest',
    );
    return () => controller.abort();
  }, [session, name, refresh]);

  // Doctors who withdraw their request sign the withdrawal; this page closes the request on chain.
  useEffect(() => {
    const controller = new AbortController();
    session.relay.follow(
      withdrawalTopic(session.address),
      async (bytes) => {
        const withdrawal = openWithdrawal(bytes);
        if (!withdrawal || closing.current.has(withdrawal.requestId)) return;
        closing.current.add(withdrawal.requestId);
        try {
          // Only the very request the doctor signed for: its id must be the pending one's, and the rejection names
          // that request's serial.
          const pending = await getPendingRequest(session.client, { doctor: withdrawal.doctor });
          if (pending?.requestId.toLowerCase() !== withdrawal.requestId.toLowerCase()) return;
          await rejectDoctor(session, pending);
          noteRef.current('success', `${name(withdrawal.doctor)} withdrew their request; it is closed.`);
          refresh();
        } catch {
          // Not pending any more (decided, or an older request): nothing to close.
        }
      },
      controller.signal,
      0,
    );
    return () => controller.abort();
  }, [session, name, refresh]);

  // Requests past their time are closed (rejected on chain), so the doctor can ask again.
  useEffect(() => {
    for (const request of sharing?.requests ?? []) {
      if (request.expiresAt > (sharing?.now ?? 0) || closing.current.has(request.requestId)) continue;
      closing.current.add(request.requestId);
      rejectDoctor(session, request).then(
        () => {
          noteRef.current('warning', `The request of ${name(request.doctor)} expired unanswered and was closed.`);
          refresh();
        },
        () => {},
      );
    }
  }, [sharing, session, name, refresh]);

  const act = (key: string, label: string, action: () => Promise<string>) => async () => {
    setBusy((all) => ({ ...all, [key]: label }));
    try {
      note('success', await action());
    } catch (cause) {
      note('error', `${label.replace(/…$/, '')} failed: ${(cause as Error).message}`);
    } finally {
      setBusy(({ [key]: _, ...rest }) => rest);
      refresh();
    }
  };

  const showCode = async (request: RequestView) => {
    const { code, expiresAt } = await issueCode(session, request.doctor);
    setCodes((all) => ({ ...all, [request.requestId]: { code, expiresAt } }));
  };

  const requests = (sharing?.requests ?? []).filter((r) => r.expiresAt > (sharing?.now ?? 0));
  const pendingDelegations = (sharing?.delegations ?? []).filter((d) => d.status === 'pending');
  const activeDelegations = (sharing?.delegations ?? []).filter((d) => d.status === 'active');
  return (
    <div>
      <div role="status" aria-live="polite" className="notices">
        {notices.map((entry) => (
          <p key={entry.id} className={entry.tone} data-testid="consent-log">
            {entry.text}
          </p>
        ))}
      </div>
      <section className="card" aria-labelledby="requests-title">
        <h3 id="requests-title">Requests waiting for you</h3>
        {!sharing && <p className="muted">Reading the chain…</p>}
        {sharing && requests.length === 0 && pendingDelegations.length === 0 && (
          <p className="muted" data-testid="no-requests">
            No requests.
          </p>
        )}
        {requests.map((request) => (
          <RequestCard
            key={request.requestId}
            request={request}
            name={name}
            code={codes[request.requestId]}
            busy={busy[request.requestId]}
            onApprove={act(request.requestId, 'Approving…', async () => {
              await approveDoctor(session, request);
              return `You gave ${name(request.doctor)} access to ${formatScope(request.scope)}.`;
            })}
            onReject={act(request.requestId, 'Rejecting…', async () => {
              await rejectDoctor(session, request);
              return `You rejected the request of ${name(request.doctor)}.`;
            })}
            onCode={() => showCode(request).catch((cause) => note('error', (cause as Error).message))}
          />
        ))}
        {pendingDelegations.map((delegation) => (
          <DelegationCard
            key={delegation.colleague}
            delegation={delegation}
            name={name}
            busy={busy[delegation.colleague]}
            onDecide={(decision) =>
              act(delegation.colleague, decision === 'approve' ? 'Approving…' : 'Rejecting…', async () => {
                await decideDelegation(session, delegation, decision);
                return decision === 'approve'
                  ? `${name(delegation.colleague)} may now read what ${name(delegation.doctor)} shared.`
                  : `You declined sharing with ${name(delegation.colleague)}.`;
              })()
            }
          />
        ))}
      </section>
      <section className="card" aria-labelledby="access-title">
        <h3 id="access-title">Who has access</h3>
        {sharing && sharing.grants.length === 0 && activeDelegations.length === 0 && (
          <p className="muted" data-testid="no-grants">
            Nobody can read your records but you.
          </p>
        )}
        <ul className="grants">
          {(sharing?.grants ?? []).map((grant) => (
            <GrantCard
              key={grant.doctor}
              grant={grant}
              name={name}
              revoking={revoking.has(grant.doctor)}
              onRevoke={() => onRevoke(grant.doctor)}
            />
          ))}
          {activeDelegations.map((delegation) => (
            <li key={delegation.colleague} className="grant" data-testid="active-delegation">
              <div>
                <b>{name(delegation.colleague)}</b>, through {name(delegation.doctor)}: {formatScope(delegation.scope)}
                <p className="muted">Until {formatUnixTime(delegation.expiresAt)}</p>
              </div>
              <button
                type="button"
                className="danger"
                disabled={busy[delegation.colleague] !== undefined}
                onClick={act(delegation.colleague, 'Ending…', async () => {
                  await decideDelegation(session, delegation, 'revoke');
                  return `${name(delegation.colleague)} can no longer read your records.`;
                })}
              >
                {busy[delegation.colleague] ?? 'End sharing'}
                <span className="visually-hidden"> with {name(delegation.colleague)}</span>
              </button>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

function refusalWords(reason: string): string {
  return (
    {
      expired: 'the code had expired',
      locked: 'too many wrong codes, the code is locked',
      used: 'the code was already used',
      'unknown-request': 'no code is open for that request',
      'wrong-request': 'it answers another request',
    }[reason] ?? reason
  );
}

/** The doctor and request a sealed response names, before its code is checked (the patient's own key opens it). */
function peekResponse(session: Session, sealed: Uint8Array) {
  try {
    const { doctor, requestId } = openOtpResponse({ identity: session.client.identity, sealed });
    return { doctor, requestId };
  } catch {
    return undefined;
  }
}

function RequestCard(props: {
  request: RequestView;
  name: Directory;
  code: { code: string; expiresAt: number } | undefined;
  busy: string | undefined;
  onApprove: () => void;
  onReject: () => void;
  onCode: () => void;
}) {
  const { request, name, code, busy, onApprove, onReject, onCode } = props;
  const who = name(request.doctor);
  const codeExpired = code !== undefined && code.expiresAt < Date.now();
  return (
    <article className="request" data-testid="access-request" aria-label={`Request from ${who}`}>
      <p>
        <b>{who}</b> asks to read <b data-testid="requested-scope">{formatScope(request.scope)}</b> for{' '}
        <b>{formatDuration(request.duration)}</b>.
      </p>
      <p>
        Purpose: <b data-testid="requested-purpose">{purposeText(request.purpose)}</b>
      </p>
      <p className="muted">
        Asked {formatUnixTime(request.requestedAt)} · open until {formatUnixTime(request.expiresAt)}
      </p>
      {code && !codeExpired && (
        <p>
          Tell {who} this code:{' '}
          <span className="otp" data-testid="otp-code">
            {code.code}
          </span>{' '}
          <span className="muted">(valid until {formatTime(code.expiresAt)})</span>
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={onApprove} disabled={busy !== undefined} data-testid="approve-request">
          {busy === 'Approving…' ? busy : 'Approve'}
          <span className="visually-hidden"> the request of {who}</span>
        </button>
        <button
          type="button"
          className="secondary"
          onClick={onCode}
          disabled={busy !== undefined}
          data-testid="show-code"
        >
          {code ? 'Show a new code' : 'Confirm with a one-time code'}
        </button>
        <button
          type="button"
          className="danger"
          onClick={onReject}
          disabled={busy !== undefined}
          data-testid="reject-request"
        >
          {busy === 'Rejecting…' ? busy : 'Reject'}
          <span className="visually-hidden"> the request of {who}</span>
        </button>
      </div>
    </article>
  );
}

function DelegationCard(props: {
  delegation: DelegationView;
  name: Directory;
  busy: string | undefined;
  onDecide: (decision: 'approve' | 'reject') => void;
}) {
  const { delegation, name, busy, onDecide } = props;
  return (
    <article className="request" data-testid="delegation-request">
      <p>
        <b>{name(delegation.doctor)}</b> asks to share <b>{formatScope(delegation.scope)}</b> with{' '}
        <b>{name(delegation.colleague)}</b> until {formatUnixTime(delegation.expiresAt)}.
      </p>
      <div className="actions">
        <button type="button" onClick={() => onDecide('approve')} disabled={busy !== undefined}>
          Approve sharing<span className="visually-hidden"> with {name(delegation.colleague)}</span>
        </button>
        <button type="button" className="danger" onClick={() => onDecide('reject')} disabled={busy !== undefined}>
          Reject<span className="visually-hidden"> sharing with {name(delegation.colleague)}</span>
        </button>
      </div>
    </article>
  );
}

function GrantCard(props: { grant: GrantView; name: Directory; revoking: boolean; onRevoke: () => void }) {
  const { grant, name, revoking, onRevoke } = props;
  const who = name(grant.doctor);
  return (
    <li className="grant" data-testid="granted-doctor">
      <div>
        <b data-testid="grant-name">{who}</b> can read <b data-testid="grant-scope">{formatScope(grant.scope)}</b>
        <p>
          Purpose:{' '}
          <span data-testid="grant-purpose">
            {grant.purpose ? purposeText(grant.purpose) : 'not stated (granted directly)'}
          </span>
        </p>
        <p className="muted">
          Since {formatUnixTime(grant.grantedAt)} · until{' '}
          <span data-testid="grant-expiry">{formatUnixTime(grant.expiresAt)}</span> ·{' '}
          <TransactionLink hash={grant.transactionHash}>grant transaction</TransactionLink>
        </p>
      </div>
      <button type="button" className="danger" onClick={onRevoke} disabled={revoking} data-testid="revoke-doctor">
        {revoking ? 'Revoking…' : 'Revoke access'}
        <span className="visually-hidden"> of {who}</span>
      </button>
    </li>
  );
}
