import { useId, useRef, useState } from 'react';
import { categoryLabel, RECORD_CATEGORY, type RecordCategoryName } from '../common/config.js';
import { describeFile } from './lib/fileKinds.js';
import { formatBytes } from './lib/format.js';
import type { Session } from './lib/session.js';
import { type UploadProgress, uploadRecord } from './lib/upload.js';

/** The largest file the demo page accepts (it holds the whole file in memory to encrypt it). */
export const MAX_UPLOAD_BYTES = 50_000_000;

interface Errors {
  title?: string;
  content?: string;
}

/** Adds a record: a note or a file, encrypted in the browser, with progress and cancel. */
export function UploadForm({ session, onAdded }: { session: Session; onAdded: () => void }) {
  const ids = { title: useId(), category: useId(), note: useId(), file: useId(), hint: useId() };
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [file, setFile] = useState<File>();
  const [kind, setKind] = useState<RecordCategoryName>('note');
  const [kindChosen, setKindChosen] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [progress, setProgress] = useState<UploadProgress>();
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string }>();
  const fileInput = useRef<HTMLInputElement>(null);
  const titleInput = useRef<HTMLInputElement>(null);
  const noteInput = useRef<HTMLTextAreaElement>(null);
  const cancel = useRef<AbortController>(undefined);

  const validate = (): Errors => {
    const next: Errors = {};
    if (!title.trim()) next.title = 'Give the record a title.';
    if (file && file.size > MAX_UPLOAD_BYTES)
      next.content = `This file is ${formatBytes(file.size)}: the limit is ${formatBytes(MAX_UPLOAD_BYTES)}.`;
    else if (file && file.size === 0) next.content = 'This file is empty.';
    else if (!file && !text.trim()) next.content = 'Write a note or choose a file.';
    return next;
  };

  const chooseFile = async (chosen: File | undefined) => {
    setFile(chosen);
    setErrors((current) => ({ ...current, content: undefined }));
    if (chosen && !kindChosen) setKind((await describeFile(chosen)).category);
  };

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const found = validate();
    setErrors(found);
    if (found.title) return titleInput.current?.focus();
    if (found.content) return (file ? fileInput.current : noteInput.current)?.focus();
    const controller = new AbortController();
    cancel.current = controller;
    setOutcome(undefined);
    try {
      const described = file ? await describeFile(file) : { mediaType: 'text/plain' };
      const data = file ? new Uint8Array(await file.arrayBuffer()) : new TextEncoder().encode(text);
      await uploadRecord(session, {
        data,
        title: title.trim(),
        category: RECORD_CATEGORY[kind],
        mediaType: described.mediaType,
        ...('resourceType' in described && described.resourceType ? { resourceType: described.resourceType } : {}),
        onProgress: setProgress,
        signal: controller.signal,
      });
      setOutcome({
        ok: true,
        text: `“${title.trim()}” was encrypted, stored and added to ${categoryLabel(RECORD_CATEGORY[kind])}.`,
      });
      setTitle('');
      setText('');
      setFile(undefined);
      setKindChosen(false);
      setKind('note');
      if (fileInput.current) fileInput.current.value = '';
      onAdded();
    } catch (cause) {
      setOutcome(
        controller.signal.aborted
          ? { ok: false, text: 'Upload cancelled: nothing was added to your records.' }
          : { ok: false, text: `The record could not be added: ${(cause as Error).message}` },
      );
    } finally {
      cancel.current = undefined;
      setProgress(undefined);
    }
  };

  const busy = progress !== undefined;
  return (
    <section className="card" aria-labelledby="add-record-title">
      <h3 id="add-record-title">Add a record</h3>
      <form onSubmit={submit} noValidate>
        <div className="field-row">
          <div className="field">
            <label htmlFor={ids.title}>Title</label>
            <input
              id={ids.title}
              ref={titleInput}
              value={title}
              onChange={(e) => setTitle(e.target.value)}
              aria-invalid={errors.title ? true : undefined}
              aria-describedby={errors.title ? `${ids.title}-error` : undefined}
              disabled={busy}
              data-testid="record-title"
            />
            {errors.title && (
              <p id={`${ids.title}-error`} className="field-error" data-testid="title-error">
                {errors.title}
              </p>
            )}
          </div>
          <div className="field">
            <label htmlFor={ids.category}>Category</label>
            <select
              id={ids.category}
              value={kind}
              onChange={(e) => {
                setKind(e.target.value as RecordCategoryName);
                setKindChosen(true);
              }}
              disabled={busy}
              data-testid="record-category"
            >
              {(Object.keys(RECORD_CATEGORY) as RecordCategoryName[]).map((name) => (
                <option key={name} value={name}>
                  {categoryLabel(RECORD_CATEGORY[name])}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="field">
          <label htmlFor={ids.note}>Note</label>
          <textarea
            id={ids.note}
            ref={noteInput}
            rows={3}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setErrors((current) => ({ ...current, content: undefined }));
            }}
            aria-describedby={`${ids.hint}${errors.content ? ` ${ids.file}-error` : ''}`}
            disabled={busy || file !== undefined}
            data-testid="record-text-input"
          />
        </div>
        <div className="field">
          <label htmlFor={ids.file}>Or a file</label>
          <input
            id={ids.file}
            ref={fileInput}
            type="file"
            onChange={(e) => chooseFile(e.target.files?.[0])}
            aria-invalid={errors.content ? true : undefined}
            aria-describedby={`${ids.hint}${errors.content ? ` ${ids.file}-error` : ''}`}
            disabled={busy}
            data-testid="record-file"
          />
          <p id={ids.hint} className="hint">
            A PDF, an image, a FHIR resource (JSON) or any file up to {formatBytes(MAX_UPLOAD_BYTES)}. It is encrypted
            in this browser before it leaves it.
          </p>
          {file && (
            <p className="hint" data-testid="chosen-file">
              Chosen: {file.name} ({formatBytes(file.size)}){' '}
              <button
                type="button"
                className="link"
                onClick={() => {
                  if (fileInput.current) fileInput.current.value = '';
                  chooseFile(undefined);
                }}
              >
                Remove file
              </button>
            </p>
          )}
          {errors.content && (
            <p id={`${ids.file}-error`} className="field-error" data-testid="content-error">
              {errors.content}
            </p>
          )}
        </div>
        <div className="actions">
          <button type="submit" disabled={busy} data-testid="add-record">
            Encrypt and add
          </button>
          {busy && progress.phase !== 'anchoring' && (
            <button
              type="button"
              className="secondary"
              onClick={() => cancel.current?.abort()}
              data-testid="cancel-upload"
            >
              Cancel upload
            </button>
          )}
        </div>
      </form>
      <UploadStatus progress={progress} />
      <div role="status" aria-live="polite">
        {outcome && (
          <p className={outcome.ok ? 'success' : 'error'} data-testid="add-status">
            {outcome.text}
          </p>
        )}
      </div>
    </section>
  );
}

function UploadStatus({ progress }: { progress: UploadProgress | undefined }) {
  const id = useId();
  if (!progress) return null;
  const label =
    progress.phase === 'encrypting'
      ? 'Encrypting in this browser…'
      : progress.phase === 'storing'
        ? `Uploading encrypted blocks: ${formatBytes(progress.stored)} of ${formatBytes(progress.total)} (${Math.floor(progress.fraction * 100)} %)`
        : 'Stored. Anchoring on chain… (it can no longer be cancelled)';
  return (
    <div className="progress" data-testid="upload-progress" data-phase={progress.phase}>
      <label htmlFor={id}>{label}</label>
      <progress
        id={id}
        max={1}
        value={progress.phase === 'storing' ? progress.fraction : progress.phase === 'anchoring' ? 1 : undefined}
        data-fraction={progress.phase === 'storing' ? progress.fraction.toFixed(3) : undefined}
        data-testid="upload-bar"
      />
    </div>
  );
}
