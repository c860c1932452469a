import { useEffect, useMemo, useRef, useState } from 'react';
import { type FhirSummary, parseFhir, summariseFhir } from './lib/fhirSummary.js';
import { contentKind, downloadName } from './lib/fileKinds.js';
import { formatBytes, formatTime } from './lib/format.js';
import type { OpenedRecord } from './lib/records.js';

/** Properties of {@link RecordViewer}. */
export interface RecordViewerProps {
  record: OpenedRecord;
  onClose: () => void;
}

/**
 * One decrypted record, readable: a PDF inline, an image at full size, a FHIR resource as a summary, text in full;
 * and the decrypted file to download. Nothing leaves the browser: the file is a `blob:` URL of this page.
 */
export function RecordViewer({ record, onClose }: RecordViewerProps) {
  const { metadata, data } = record;
  const kind = contentKind(metadata.mediaType);
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    const objectUrl = URL.createObjectURL(new Blob([data as Uint8Array<ArrayBuffer>], { type: metadata.mediaType }));
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [data, metadata.mediaType]);
  const text = useMemo(() => (kind === 'fhir' || kind === 'text' ? new TextDecoder().decode(data) : ''), [kind, data]);
  const title = metadata.title ?? 'Untitled record';
  // Opening a record moves the focus (and the view) to it; Escape closes it.
  const heading = useRef<HTMLHeadingElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: each record opened takes the focus anew
  useEffect(() => {
    heading.current?.focus();
    heading.current?.scrollIntoView({ block: 'start' });
  }, [record]);
  return (
    <section
      className="viewer"
      aria-labelledby="viewer-title"
      data-testid="record-viewer"
      onKeyDown={(event) => event.key === 'Escape' && onClose()}
    >
      <div className="viewer-head">
        <h4 id="viewer-title" ref={heading} tabIndex={-1}>
          {title}
        </h4>
        <button type="button" className="secondary" onClick={onClose} data-testid="close-viewer">
          Close
        </button>
      </div>
      <p className="muted">
        {metadata.mediaType} · {formatBytes(metadata.size)} · created {formatTime(metadata.created)}
      </p>
      {url && (
        <p>
          <a href={url} download={downloadName(metadata.title, metadata.mediaType)} data-testid="download-record">
            Download the decrypted file ({downloadName(metadata.title, metadata.mediaType)})
          </a>
        </p>
      )}
      {kind === 'pdf' && url && (
        <object data={url} type="application/pdf" title={title} className="pdf" data-testid="pdf-view">
          <p>This browser cannot show PDFs inline: use the download link above.</p>
        </object>
      )}
      {kind === 'image' && url && <img src={url} alt={title} className="full-image" data-testid="image-view" />}
      {kind === 'fhir' && <FhirView text={text} />}
      {kind === 'text' && (
        <pre className="text-view" data-testid="text-view">
          {text}
        </pre>
      )}
      {kind === 'other' && <p>No preview for {metadata.mediaType}: download the file to open it.</p>}
    </section>
  );
}

function FhirView({ text }: { text: string }) {
  const resource = parseFhir(text);
  if (!resource)
    return (
      <pre className="text-view" data-testid="text-view">
        {text}
      </pre>
    );
  return (
    <div data-testid="fhir-view">
      <Summary summary={summariseFhir(resource)} />
      <details>
        <summary>FHIR JSON</summary>
        <pre className="text-view">{JSON.stringify(resource, null, 2)}</pre>
      </details>
    </div>
  );
}

function Summary({ summary }: { summary: FhirSummary }) {
  return (
    <div className="fhir">
      <p>
        <span className="tag">{summary.resourceType}</span> <b data-testid="fhir-heading">{summary.heading}</b>
      </p>
      {summary.fields.length > 0 && (
        <dl>
          {summary.fields.map((field) => (
            <div key={field.label}>
              <dt>{field.label}</dt>
              <dd>{/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(field.value) ? formatTime(field.value) : field.value}</dd>
            </div>
          ))}
        </dl>
      )}
      {summary.entries?.map((entry, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: entries of one bundle, in order, never reordered
        <Summary key={index} summary={entry} />
      ))}
    </div>
  );
}
