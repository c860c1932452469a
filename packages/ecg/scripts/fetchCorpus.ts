// Downloads the ECG evaluation corpus (the MIT-BIH, SVDB and PTB records the benchmarks read) from PhysioNet into
// a folder, verified against the SHA-256 of every file in corpus-manifest.txt and resumable:
//
//   ./pnpmw fetch-ecg [dir] [--base-url URL] [--manifest FILE] [--concurrency N] [--retries N] [--timeout MS]
//
// dir defaults to .ecg-corpus at the repository root; the base URL to https://physionet.org/files/ (or
// MHR_PHYSIONET_URL). Per file: kept when it is already there with the right hash; otherwise downloaded to
// `<file>.part` (continued with `Range: bytes=<size>-` when a `.part` is left from an earlier run), checked, and
// renamed into place. A file whose hash does not match is deleted and named at the end (exit code 1); a network
// failure keeps its `.part` so the next run resumes it. A repository tool, not part of the published package.
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

/** PhysioNet's file server; manifest URL paths are relative to it. */
export const PHYSIONET_BASE_URL = 'https://physionet.org/files/';
/** The committed manifest of the full corpus. */
export const CORPUS_MANIFEST = fileURLToPath(new URL('corpus-manifest.txt', import.meta.url));
/** Where `./pnpmw fetch-ecg` puts the corpus when no folder is given (git-ignored). */
export const DEFAULT_CORPUS_DIR = fileURLToPath(new URL('../../../.ecg-corpus', import.meta.url));

/** One line of the manifest. */
export interface ManifestEntry {
  /** SHA-256 (hex) of the file as written: `.hea` headers with LF line ends. */
  sha256: string;
  /** Path inside the corpus folder, e.g. `mitdb/101.dat`. */
  path: string;
  /** Path under the base URL, e.g. `mitdb/1.0.0/101.dat`. */
  url: string;
}

/** Parses manifest text: `<sha256>  <path>  <url path>` per line, `#` comments and blank lines ignored. */
export function parseManifest(text: string): ManifestEntry[] {
  const entries: ManifestEntry[] = [];
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [sha256, path, url, ...rest] = line.split(/\s+/);
    if (!sha256 || !/^[0-9a-f]{64}$/.test(sha256) || !path || !url || rest.length > 0) {
      throw new Error(`manifest line ${index + 1}: expected "<sha256>  <path>  <url path>", got "${line}"`);
    }
    if (path.startsWith('/') || path.split('/').includes('..')) {
      throw new Error(`manifest line ${index + 1}: path must stay inside the corpus folder: ${path}`);
    }
    entries.push({ sha256, path, url });
  }
  return entries;
}

/** What went wrong with one file. */
export interface FetchFailure {
  path: string;
  /** `hash`: the download completed but did not verify (nothing kept); `network`: gave up (`.part` kept). */
  kind: 'hash' | 'network';
  message: string;
  expected?: string;
  got?: string;
}

export interface FetchCorpusParameters {
  /** Target folder. */
  dir: string;
  /** Default: `MHR_PHYSIONET_URL` or {@link PHYSIONET_BASE_URL}. */
  baseUrl?: string;
  /** Entries, or the path of a manifest file. Default: the committed corpus-manifest.txt. */
  manifest?: ManifestEntry[] | string;
  /** Files downloaded at once. Default 4. */
  concurrency?: number;
  /** Further attempts after a transient failure (network error, timeout, 408/429/5xx). Default 4. */
  retries?: number;
  /** First backoff delay in ms, doubled per attempt. Default 500. */
  retryDelayMs?: number;
  /** Milliseconds without a response or a new chunk before an attempt is abandoned. Default 30 000. */
  timeoutMs?: number;
  /** One progress line per file (and per retry). Default: stderr. */
  log?: (line: string) => void;
}

export interface FetchCorpusReturnType {
  /** Files downloaded in this run. */
  downloaded: string[];
  /** Files that were already there with the right hash. */
  skipped: string[];
  failed: FetchFailure[];
}

/** Worth another attempt: a network error, a timeout, 408/429/5xx, a range the server could not serve. */
class TransientError extends Error {}

/** A definite answer from the server (404, 403, ...): not retried. */
class PermanentError extends Error {}

class HashMismatch extends Error {
  constructor(
    readonly expected: string,
    readonly got: string,
  ) {
    super(`SHA-256 mismatch: expected ${expected}, got ${got}`);
  }
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const exists = (path: string) =>
  stat(path).then(
    (s) => s.size,
    () => undefined,
  );

/** `.hea` headers are written (and hashed) with LF line ends; other files as served. */
function normalise(path: string, bytes: Uint8Array): Uint8Array {
  if (!path.endsWith('.hea')) return bytes;
  return new TextEncoder().encode(new TextDecoder('latin1').decode(bytes).replaceAll('\r\n', '\n'));
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * Downloads every file of the manifest into `dir` that is not already there with the right hash, and writes a
 * README.md with the data's licence and attribution and a SHA256SUMS of the manifest beside them. Never throws for
 * a single file: failures are returned (and the caller decides the exit code).
 */
export async function fetchCorpus(params: FetchCorpusParameters): Promise<FetchCorpusReturnType> {
  const dir = resolve(params.dir);
  const baseUrl = new URL(params.baseUrl ?? process.env.MHR_PHYSIONET_URL ?? PHYSIONET_BASE_URL);
  if (!baseUrl.pathname.endsWith('/')) baseUrl.pathname += '/';
  const manifest =
    typeof params.manifest === 'object'
      ? params.manifest
      : parseManifest(await readFile(params.manifest ?? CORPUS_MANIFEST, 'utf8'));
  const concurrency = Math.max(1, params.concurrency ?? 4);
  const retries = Math.max(0, params.retries ?? 4);
  const retryDelayMs = params.retryDelayMs ?? 500;
  const timeoutMs = params.timeoutMs ?? 30_000;
  const log = params.log ?? ((line: string) => process.stderr.write(`${line}\n`));

  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'README.md'), CORPUS_README);

  const result: FetchCorpusReturnType = { downloaded: [], skipped: [], failed: [] };
  const width = String(manifest.length).length;
  let done = 0;
  const progress = (entry: ManifestEntry, what: string) => {
    done += 1;
    log(`[${String(done).padStart(width)}/${manifest.length}] ${entry.path}  ${what}`);
  };

  const fetchOne = async (entry: ManifestEntry) => {
    const target = join(dir, entry.path);
    const part = `${target}.part`;
    await mkdir(dirname(target), { recursive: true });

    if ((await exists(target)) !== undefined) {
      const got = sha256(await readFile(target));
      if (got === entry.sha256) {
        result.skipped.push(entry.path);
        progress(entry, 'already there, verified');
        return;
      }
      log(`${entry.path}: present but its SHA-256 is ${got}, not ${entry.sha256}: downloading it again`);
    }

    const url = new URL(entry.url, baseUrl);
    let restarted = false;
    let attempt = 0;
    for (;;) {
      try {
        // A `.part` that is already whole (a run stopped before the rename): nothing to download.
        const partSize = await exists(part);
        const whole = partSize ? normalise(entry.path, await readFile(part)) : undefined;
        const { resumedFrom, bytes } =
          whole && sha256(whole) === entry.sha256
            ? { resumedFrom: partSize ?? 0, bytes: whole }
            : await download(url, part, entry.path, timeoutMs);
        const got = sha256(bytes);
        if (got !== entry.sha256) {
          await rm(part, { force: true });
          if (resumedFrom > 0 && !restarted) {
            // The part from before may not belong to this file (a changed upstream, a bad range): start over once.
            restarted = true;
            log(`${entry.path}: resumed download does not verify, downloading it from the start`);
            continue;
          }
          throw new HashMismatch(entry.sha256, got);
        }
        if (entry.path.endsWith('.hea')) await writeFile(part, bytes);
        await rename(part, target);
        result.downloaded.push(entry.path);
        progress(
          entry,
          `${formatSize(bytes.length)} downloaded${resumedFrom > 0 ? ` (resumed at ${formatSize(resumedFrom)})` : ''}`,
        );
        return;
      } catch (error) {
        if (error instanceof HashMismatch) {
          result.failed.push({
            path: entry.path,
            kind: 'hash',
            message: `${error.message} (deleted)`,
            expected: error.expected,
            got: error.got,
          });
          progress(entry, `FAILED: ${error.message}`);
          return;
        }
        const message = error instanceof Error ? describe(error) : String(error);
        // Everything but a definite answer from the server (404, 403, ...) is worth another try.
        if (!(error instanceof PermanentError) && attempt < retries) {
          const delay = retryDelayMs * 2 ** attempt;
          attempt += 1;
          log(`${entry.path}: ${message}; retry ${attempt}/${retries} in ${delay} ms`);
          await sleep(delay);
          continue;
        }
        const kept = (await exists(part)) ? ` (${part} kept: run again to resume)` : '';
        result.failed.push({ path: entry.path, kind: 'network', message: `${message}${kept}` });
        progress(entry, `FAILED: ${message}`);
        return;
      }
    }
  };

  const queue = [...manifest];
  await Promise.all(
    Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let entry = queue.shift(); entry; entry = queue.shift()) await fetchOne(entry);
    }),
  );
  // The folder checks itself (`sha256sum -c SHA256SUMS`, and the ECG test data loader reads it).
  const sums = manifest.map((entry) => `${entry.sha256}  ${entry.path}\n`).join('');
  await writeFile(join(dir, 'SHA256SUMS.part'), sums);
  await rename(join(dir, 'SHA256SUMS.part'), join(dir, 'SHA256SUMS'));
  return result;
}

function describe(error: Error): string {
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

/**
 * One HTTP attempt into `part`: continues it with a Range request when it exists (206: append; 200: start from
 * zero; 416: delete it and start from zero). Returns the whole file (normalised for `.hea`) once the body ended.
 */
async function download(
  url: URL,
  part: string,
  path: string,
  timeoutMs: number,
): Promise<{ resumedFrom: number; bytes: Uint8Array }> {
  const size = (await exists(part)) ?? 0;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, {
      headers: size > 0 ? { range: `bytes=${size}-` } : {},
      signal: controller.signal,
      redirect: 'follow',
    });
    if (response.status === 416) {
      await response.body?.cancel();
      await rm(part, { force: true });
      throw new TransientError(`${url.href}: range not satisfiable for ${size} bytes kept, starting over`);
    }
    if (response.status === 408 || response.status === 429 || response.status >= 500) {
      await response.body?.cancel();
      throw new TransientError(`${url.href}: HTTP ${response.status}`);
    }
    let resumedFrom = 0;
    if (response.status === 206 && size > 0) {
      const range = response.headers.get('content-range') ?? '';
      if (!range.startsWith(`bytes ${size}-`)) {
        await response.body?.cancel();
        await rm(part, { force: true });
        throw new TransientError(`${url.href}: answered range "${range}" for bytes=${size}-, starting over`);
      }
      resumedFrom = size;
    } else if (response.status !== 200) {
      await response.body?.cancel();
      throw new PermanentError(`${url.href}: HTTP ${response.status} ${response.statusText}`);
    }
    const file = await open(part, resumedFrom > 0 ? 'a' : 'w');
    try {
      // Each chunk is on disk before the next is read, so a broken connection keeps all it delivered.
      const reader = response.body?.getReader();
      for (let chunk = await reader?.read(); chunk && !chunk.done; chunk = await reader?.read()) {
        timer.refresh();
        await file.write(chunk.value);
      }
    } finally {
      await file.close();
    }
    return { resumedFrom, bytes: normalise(path, await readFile(part)) };
  } catch (error) {
    if (controller.signal.aborted) throw new TransientError(`${url.href}: no data for ${timeoutMs} ms`);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

const CORPUS_README = `# ECG evaluation corpus (downloaded by \`./pnpmw fetch-ecg\`)

Public PhysioNet recordings in WFDB format (\`NNN.hea\` header, \`NNN.dat\` signal, \`NNN.atr\` reference beat
annotations), checked against the SHA-256 of every file in the MHR Chain SDK's
\`packages/ecg/scripts/corpus-manifest.txt\` (listed again in \`SHA256SUMS\` here: \`sha256sum -c SHA256SUMS\`).
Header lines are LF-terminated here (PhysioNet ships CRLF); the signal and annotation bytes are PhysioNet's own.

- \`mitdb/\`: MIT-BIH Arrhythmia Database 1.0.0, https://physionet.org/content/mitdb/1.0.0/
- \`svdb/\`: MIT-BIH Supraventricular Arrhythmia Database 1.0.0, https://physionet.org/content/svdb/1.0.0/
- \`ptbdb/\`: PTB Diagnostic ECG Database 1.0.0 (record patient001/s0010_re), https://physionet.org/content/ptbdb/1.0.0/

## Licence and attribution
Open Data Commons Attribution License v1.0 (ODC-By 1.0, https://opendatacommons.org/licenses/by/1-0/), from
PhysioNet. Cite: Moody GB, Mark RG. The impact of the MIT-BIH Arrhythmia Database. IEEE Eng Med Biol 20(3):45-50
(2001); Goldberger AL et al. PhysioBank, PhysioToolkit, and PhysioNet. Circulation 101(23):e215-e220 (2000).
`;

/** The command line: `fetch-ecg [dir] [--base-url URL] [--manifest FILE] [--concurrency N] [--retries N] [--timeout MS]`. */
export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'base-url': { type: 'string' },
      manifest: { type: 'string' },
      concurrency: { type: 'string' },
      retries: { type: 'string' },
      timeout: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.length > 1) {
    process.stderr.write(
      'usage: ./pnpmw fetch-ecg [dir] [--base-url URL] [--manifest FILE] [--concurrency N] [--retries N] [--timeout MS]\n',
    );
    return values.help ? 0 : 2;
  }
  // ./pnpmw runs scripts from the repository root; PNPMW_CWD (or pnpm's INIT_CWD) is where the command was typed.
  const cwd = process.env.PNPMW_CWD ?? process.env.INIT_CWD ?? process.cwd();
  const dir = positionals[0] ? resolve(cwd, positionals[0]) : DEFAULT_CORPUS_DIR;
  const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));
  const params: FetchCorpusParameters = { dir };
  if (values['base-url']) params.baseUrl = values['base-url'];
  if (values.manifest) params.manifest = resolve(cwd, values.manifest);
  if (values.concurrency) params.concurrency = number(values.concurrency);
  if (values.retries) params.retries = number(values.retries);
  if (values.timeout) params.timeoutMs = number(values.timeout);

  const started = performance.now();
  const { downloaded, skipped, failed } = await fetchCorpus(params);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stderr.write(
    `fetch-ecg: ${dir}: ${downloaded.length} downloaded, ${skipped.length} already there, ${failed.length} failed (${seconds} s)\n`,
  );
  if (failed.length === 0) return 0;
  process.stderr.write(`fetch-ecg: these files are not in place:\n`);
  for (const failure of failed) process.stderr.write(`  ${failure.path}: ${failure.message}\n`);
  return 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
