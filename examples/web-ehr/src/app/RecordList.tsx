import { useEffect, useId, useMemo, useState } from 'react';
import { CATEGORY_LABEL, categoryLabel } from '../common/config.js';
import { kindLabel } from './lib/fileKinds.js';
import { formatBytes, formatTime } from './lib/format.js';
import { type AnchoredRecord, type OpenedRecord, openRecord } from './lib/records.js';
import type { Session } from './lib/session.js';
import { RecordViewer } from './RecordViewer.js';

/** Properties of {@link RecordList}. */
export interface RecordListProps {
  records: readonly AnchoredRecord[] | undefined;
  /** The reader: each record is fetched through the gateway and decrypted with its identity, in the browser. */
  session: Session;
  /** What to say when there is nothing. */
  emptyText?: string;
}

type Opened = OpenedRecord | { error: string };

/**
 * The records a reader can open, grouped by category, with a search over titles and a category filter; each opens
 * in the viewer (and downloads from there).
 */
export function RecordList({ records, session, emptyText = 'No records yet.' }: RecordListProps) {
  const [opened, setOpened] = useState<Record<string, Opened>>({});
  const [query, setQuery] = useState('');
  const [category, setCategory] = useState('all');
  const [viewing, setViewing] = useState<string>();
  const searchId = useId();
  const filterId = useId();
  useEffect(() => {
    for (const record of records ?? []) {
      const key = record.cid.toString();
      if (opened[key]) continue;
      openRecord(session, record.cid).then(
        (value) => setOpened((all) => ({ ...all, [key]: value })),
        () => setOpened((all) => ({ ...all, [key]: { error: 'This record cannot be decrypted with your key.' } })),
      );
    }
  }, [records, session, opened]);

  const shown = useMemo(() => {
    const words = query.trim().toLowerCase();
    return (records ?? []).filter((record) => {
      if (category !== 'all' && String(record.category) !== category) return false;
      if (!words) return true;
      const entry = opened[record.cid.toString()];
      const title = entry && 'metadata' in entry ? (entry.metadata.title ?? '') : '';
      return title.toLowerCase().includes(words);
    });
  }, [records, opened, query, category]);
  const groups = useMemo(() => {
    const byCategory = new Map<number, AnchoredRecord[]>();
    for (const record of shown) byCategory.set(record.category, [...(byCategory.get(record.category) ?? []), record]);
    return [...byCategory.entries()].sort(([a], [b]) => a - b);
  }, [shown]);
  const viewed = viewing ? opened[viewing] : undefined;

  if (!records) return <p className="muted">Loading records from the chain…</p>;
  if (records.length === 0)
    return (
      <p className="muted" data-testid="no-records">
        {emptyText}
      </p>
    );
  return (
    <div>
      <div className="filters">
        <label htmlFor={searchId}>
          Search titles
          <input
            id={searchId}
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            data-testid="record-search"
          />
        </label>
        <label htmlFor={filterId}>
          Category
          <select
            id={filterId}
            value={category}
            onChange={(e) => setCategory(e.target.value)}
            data-testid="record-filter"
          >
            <option value="all">All categories</option>
            {Object.entries(CATEGORY_LABEL).map(([code, label]) => (
              <option key={code} value={code}>
                {label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="muted" role="status" data-testid="record-count">
        {shown.length} of {records.length} record{records.length === 1 ? '' : 's'} shown
      </p>
      {groups.map(([code, group]) => (
        <section key={code} aria-labelledby={`category-${code}`} data-testid="record-group">
          <h4 id={`category-${code}`}>{categoryLabel(code)}</h4>
          <ul className="records" data-testid="records">
            {group.map((record) => (
              <RecordRow
                key={record.recordId}
                record={record}
                entry={opened[record.cid.toString()]}
                onOpen={() => setViewing(record.cid.toString())}
              />
            ))}
          </ul>
        </section>
      ))}
      {viewed && 'metadata' in viewed && <RecordViewer record={viewed} onClose={() => setViewing(undefined)} />}
    </div>
  );
}

function RecordRow({
  record,
  entry,
  onOpen,
}: {
  record: AnchoredRecord;
  entry: Opened | undefined;
  onOpen: () => void;
}) {
  const ok = entry && 'metadata' in entry ? entry : undefined;
  return (
    <li className="record" data-testid="record-row" aria-busy={!entry}>
      <div className="record-main">
        <span className="record-title" data-testid="record-title-text">
          {ok ? (
            (ok.metadata.title ?? 'Untitled record')
          ) : entry ? (
            <em>{(entry as { error: string }).error}</em>
          ) : (
            'Decrypting…'
          )}
        </span>
        {ok && (
          <span className="muted">
            {' '}
            · {kindLabel(ok.metadata.mediaType, ok.metadata.resourceType)} · {formatBytes(ok.metadata.size)}
          </span>
        )}
        {ok && ok.metadata.mediaType === 'text/plain' && (
          <p className="record-text" data-testid="record-text">
            {new TextDecoder().decode(ok.data)}
          </p>
        )}
        <p className="muted record-times">
          {ok && <>Created {formatTime(ok.metadata.created)} · </>}
          <span data-testid="anchored-at">Anchored on chain {formatTime(record.anchoredAt)}</span>
          {record.version > 0 && <> · version {record.version + 1}</>}
        </p>
      </div>
      {ok && (
        <button type="button" className="secondary" onClick={onOpen} data-testid="open-record">
          Open<span className="visually-hidden"> {ok.metadata.title ?? 'record'}</span>
        </button>
      )}
    </li>
  );
}
