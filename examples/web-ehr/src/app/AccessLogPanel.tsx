import { type TimelineEvent, timelineToFhirBundle } from '@mhrchain/consent';
import { useEffect, useId, useMemo, useState } from 'react';
import { accessLog } from './lib/accessLog.js';
import { formatUnixTime } from './lib/format.js';
import type { Directory } from './lib/people.js';
import { TransactionLink } from './TransactionLink.js';

const FILTERS = {
  all: { label: 'Everything', kinds: undefined },
  access: {
    label: 'Access and sharing',
    kinds: new Set([
      'access-requested',
      'access-granted',
      'access-rejected',
      'access-revoked',
      'access-expired',
      'delegation-requested',
      'delegation-approved',
      'delegation-rejected',
      'delegation-revoked',
      'delegation-expired',
    ]),
  },
  records: { label: 'Records', kinds: new Set(['record-anchored', 'record-superseded']) },
} as const;

/**
 * The patient's access log: every event of the patient's timeline on chain (`getTimeline`), newest first, in words,
 * at local time with the time zone, each linked to its transaction; exportable as FHIR (Consent + AuditEvent).
 */
export function AccessLogPanel({
  timeline,
  now,
  name,
}: {
  timeline: TimelineEvent[] | undefined;
  now: number;
  name: Directory;
}) {
  const [filter, setFilter] = useState<keyof typeof FILTERS>('all');
  const filterId = useId();
  const entries = useMemo(() => {
    const kinds: ReadonlySet<string> | undefined = FILTERS[filter].kinds;
    return accessLog(timeline ?? [], name).filter((entry) => !kinds || kinds.has(entry.kind));
  }, [timeline, filter, name]);
  const [exportUrl, setExportUrl] = useState<string>();
  useEffect(() => {
    if (!timeline) return;
    const bundle = timelineToFhirBundle(timeline, { now });
    const url = URL.createObjectURL(new Blob([JSON.stringify(bundle, null, 2)], { type: 'application/fhir+json' }));
    setExportUrl(url);
    return () => URL.revokeObjectURL(url);
  }, [timeline, now]);
  return (
    <section className="card" aria-labelledby="log-title">
      <h3 id="log-title">Access log</h3>
      <p className="muted">
        Everything that happened to your records and their sharing, as the chain recorded it. Times are in your time
        zone.
      </p>
      <div className="filters">
        <label htmlFor={filterId}>
          Show
          <select id={filterId} value={filter} onChange={(e) => setFilter(e.target.value as keyof typeof FILTERS)}>
            {Object.entries(FILTERS).map(([key, { label }]) => (
              <option key={key} value={key}>
                {label}
              </option>
            ))}
          </select>
        </label>
        {exportUrl && (
          <a href={exportUrl} download="access-log.fhir.json" data-testid="log-export">
            Export as FHIR (Consent and AuditEvent resources)
          </a>
        )}
      </div>
      {!timeline && <p className="muted">Reading the chain…</p>}
      <ol className="log" data-testid="access-log">
        {entries.map((entry) => (
          <li key={entry.key} data-testid="log-entry" data-kind={entry.kind}>
            <time dateTime={new Date(entry.time * 1000).toISOString()}>{formatUnixTime(entry.time)}</time>
            <span data-testid="log-text">{entry.text}</span>
            <TransactionLink hash={entry.transactionHash}>
              Transaction<span className="visually-hidden"> of: {entry.text}</span>
            </TransactionLink>
          </li>
        ))}
      </ol>
    </section>
  );
}
