import { useEffect, useState } from 'react';
import { type AnchoredRecord, type OpenedRecord, openRecord, shortHex } from './lib/records.js';
import type { Session } from './lib/session.js';

/** Properties of {@link RecordTable}. */
export interface RecordTableProps {
  records: readonly AnchoredRecord[];
  /** The reader: each record is fetched through the gateway and decrypted with its identity, in the browser. */
  session: Session;
}

const time = (date: Date | string) =>
  new Date(date)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');

/** The records a reader can open, with their timestamps: created (inside the envelope) and anchored (on chain). */
export function RecordTable({ records, session }: RecordTableProps) {
  const [opened, setOpened] = useState<Record<string, OpenedRecord | { error: string }>>({});
  useEffect(() => {
    for (const record of records) {
      const key = record.cid.toString();
      if (opened[key]) continue;
      openRecord(session, record.cid).then(
        (value) => setOpened((all) => ({ ...all, [key]: value })),
        () => setOpened((all) => ({ ...all, [key]: { error: 'cannot decrypt' } })),
      );
    }
  }, [records, session, opened]);

  if (records.length === 0)
    return (
      <p className="muted" data-testid="no-records">
        No records.
      </p>
    );
  return (
    <table data-testid="records">
      <thead>
        <tr>
          <th>Title</th>
          <th>Content</th>
          <th>Created</th>
          <th>Anchored on chain</th>
          <th>Envelope</th>
        </tr>
      </thead>
      <tbody>
        {records.map((record) => {
          const entry = opened[record.cid.toString()];
          const ok = entry && !('error' in entry) ? entry : undefined;
          return (
            <tr key={record.recordId} data-testid="record-row">
              <td>
                {ok ? (ok.metadata.title ?? '(untitled)') : entry ? <em>{(entry as { error: string }).error}</em> : '…'}
              </td>
              <td>{ok ? <Preview record={ok} /> : null}</td>
              <td>{ok ? time(ok.metadata.created) : ''}</td>
              <td data-testid="anchored-at">
                {time(record.anchoredAt)}
                {record.version > 0 ? <span className="muted"> · v{record.version}</span> : null}
              </td>
              <td title={record.cid.toString()}>
                <code>{shortHex(record.cid.toString(), 8)}</code>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Preview({ record }: { record: OpenedRecord }) {
  const { mediaType } = record.metadata;
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    if (!mediaType.startsWith('image/')) return;
    const objectUrl = URL.createObjectURL(new Blob([record.data as Uint8Array<ArrayBuffer>], { type: mediaType }));
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [record, mediaType]);
  if (mediaType.startsWith('text/') || mediaType.includes('json')) {
    const text = new TextDecoder().decode(record.data);
    return <span data-testid="record-text">{text.length > 120 ? `${text.slice(0, 120)}…` : text}</span>;
  }
  if (url) return <img src={url} alt={record.metadata.title ?? 'record'} height={48} />;
  return (
    <span className="muted">
      {mediaType}, {record.metadata.size} bytes
    </span>
  );
}
