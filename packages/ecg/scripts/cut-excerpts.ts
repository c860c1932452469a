/**
 * Cuts the PhysioNet excerpts that tests, examples and the demo read (`test/vectors/physionet/`) from a full corpus
 * laid out as `mitdb/`, `svdb/`, `ptbdb/` (WFDB `.hea`, `.dat`, `.atr`), so the cut can be redone and checked:
 *
 *   pnpm --filter @mhrchain/ecg cut-excerpts -- <corpus dir>      (or MHR_ECG_CORPUS=<corpus dir>)
 *
 * Each excerpt is the first `seconds` of its record, as valid WFDB: the header's sample count and every signal's
 * checksum (16-bit sum of its samples) rewritten, initial values unchanged; each signal file truncated at a frame
 * boundary; the annotation file truncated after the last annotation before the cut (with the SUB, CHN, NUM and AUX
 * words that follow and modify it) and closed with the end-of-file word. Every excerpt is read back with the
 * package's own parsers and compared with the full record before anything is written. Writes the files, a
 * `SHA256SUMS`, and the table of the folder's README (between its `excerpts` markers).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isBeatSymbol, parseWfdbAnnotations, type WfdbAnnotation } from '../src/wfdbAnnotations.js';
import { parseWfdbHeader, type WfdbHeader } from '../src/wfdbHeader.js';
import { readWfdbRecord } from '../src/wfdbSignals.js';

/** One excerpt: the first `seconds` of a record of the corpus. */
interface Excerpt {
  /** Record path in the corpus, e.g. `mitdb/101`. */
  path: string;
  seconds: number;
  /** Why this record and length. */
  why: string;
}

/**
 * What is cut. Lengths keep every test meaningful: the detector's Se and +P (≥ 99.5 %) are scored on 101, 119 and
 * 208, and 101 needs 15 minutes for that (its only 4 false detections of the whole record lie in minutes 3 to 6).
 */
const EXCERPTS: readonly Excerpt[] = [
  { path: 'mitdb/101', seconds: 900, why: 'detector scoring, live monitor, web-ehr (60 s), demo (10 s), iot-wearable' },
  { path: 'mitdb/106', seconds: 300, why: 'corrupted-frame decoding (frequent ventricular ectopy)' },
  { path: 'mitdb/119', seconds: 600, why: 'detector scoring (ventricular bigeminy), chunking and streaming tests' },
  { path: 'mitdb/203', seconds: 300, why: 'codec round trips on a noisy, irregular record' },
  { path: 'mitdb/208', seconds: 600, why: 'detector scoring and latency (couplets, fusion beats), frame pairs' },
  { path: 'svdb/800', seconds: 300, why: 'a second sampling rate (128 Hz)' },
  { path: 'ptbdb/s0010_re', seconds: 10, why: '12 leads at 1000 Hz in format 16' },
];

const here = fileURLToPath(new URL('.', import.meta.url));
const OUT = join(here, '../test/vectors/physionet');
const args = process.argv.slice(2).filter((a) => a !== '--');
// pnpm runs scripts in the package folder: a relative path is taken from where the command was typed (pnpmw and
// pnpm say where).
const given = args[0] ?? process.env.MHR_ECG_CORPUS;
const corpus =
  given === undefined ? undefined : resolve(process.env.PNPMW_CWD ?? process.env.INIT_CWD ?? process.cwd(), given);
if (!corpus) {
  console.error('usage: pnpm --filter @mhrchain/ecg cut-excerpts -- <corpus dir>   (or set MHR_ECG_CORPUS)');
  process.exit(2);
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The corpus's own SHA256SUMS, when it has one: the cut starts from known bytes. */
const corpusSums = new Map<string, string>();
if (existsSync(join(corpus, 'SHA256SUMS'))) {
  for (const line of (await readFile(join(corpus, 'SHA256SUMS'), 'utf8')).split('\n')) {
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line.trim());
    if (m) corpusSums.set(m[2]!, m[1]!);
  }
}

async function readCorpus(path: string): Promise<Buffer> {
  const bytes = await readFile(join(corpus!, path));
  const expected = corpusSums.get(path);
  if (expected !== undefined && sha256(bytes) !== expected) throw new Error(`${path}: SHA-256 differs from SHA256SUMS`);
  return bytes;
}

/** Bytes per frame (one sample of every signal) of a signal file; format 212 needs an even sample count. */
function frameBytes(format: number, signals: number): number {
  if (format === 16) return 2 * signals;
  if (format === 212 && signals % 2 === 0) return (3 * signals) / 2;
  throw new Error(`format ${format} with ${signals} signals is not handled`);
}

/** The header text with a new sample count and new checksums (`null`: leave the line as it is). */
function rewriteHeader(text: string, samples: number, checksums: (number | null)[]): string {
  let signal = -1;
  return text
    .split('\n')
    .map((line) => {
      if (line.trim() === '' || line.trimStart().startsWith('#')) return line;
      const fields = line.trim().split(/\s+/);
      if (signal === -1) {
        signal = 0;
        fields[3] = String(samples);
        return fields.join(' ');
      }
      const checksum = checksums[signal++];
      if (checksum === null || checksum === undefined) return line;
      if (fields.length < 7) throw new Error(`signal line without a checksum: ${line}`);
      fields[6] = String(checksum);
      return fields.join(' ');
    })
    .join('\n');
}

/**
 * Byte length of the annotation stream up to and including the last annotation before `end` (its trailing SUB,
 * CHN, NUM and AUX words included; a SKIP belongs to the annotation after it), walking the words as
 * `parseWfdbAnnotations` does.
 */
function annotationCut(bytes: Uint8Array, end: number): number {
  let p = 0;
  let time = 0;
  let cut = 0;
  let keeping = true; // whether the words being read modify a kept annotation
  while (p + 1 < bytes.length) {
    const w = bytes[p]! | (bytes[p + 1]! << 8);
    const code = w >> 10;
    const value = w & 0x3ff;
    if (w === 0) break;
    if (code === 59) {
      time += ((bytes[p + 2]! | (bytes[p + 3]! << 8)) << 16) | bytes[p + 4]! | (bytes[p + 5]! << 8) | 0;
      p += 6;
    } else if (code === 63) {
      p += 2 + value + (value & 1);
      if (keeping) cut = p;
    } else if (code >= 60) {
      p += 2;
      if (keeping) cut = p;
    } else {
      time += value;
      if (time >= end) return cut;
      p += 2;
      cut = p;
      keeping = true;
      continue;
    }
    if (code === 59) keeping = false;
  }
  return cut;
}

interface Row {
  path: string;
  seconds: number;
  samples: number;
  rate: number;
  signals: number;
  beats: number | undefined;
  why: string;
}

await mkdir(OUT, { recursive: true });
const written: string[] = [];
const rows: Row[] = [];
for (const excerpt of EXCERPTS) {
  const folder = excerpt.path.slice(0, excerpt.path.lastIndexOf('/'));
  const name = excerpt.path.slice(folder.length + 1);
  // LF line ends, whether the corpus copy has PhysioNet's CRLF or LF (as `./pnpmw fetch-ecg` writes them).
  const headerText = (await readCorpus(`${excerpt.path}.hea`)).toString('utf8').replace(/\r\n/g, '\n');
  const header: WfdbHeader = parseWfdbHeader(headerText);
  const n = Math.round(excerpt.seconds * header.sampleRate);
  if (header.sampleCount === undefined || n > header.sampleCount) throw new Error(`${excerpt.path} is too short`);

  // Signal files present in the corpus, cut at a frame boundary; checksums of their signals recomputed.
  const files = [...new Set(header.signals.map((s) => s.fileName))];
  const present = files.filter((f) => existsSync(join(corpus, folder, f)));
  const cutFiles = new Map<string, Uint8Array>();
  for (const file of present) {
    const specs = header.signals.filter((s) => s.fileName === file);
    const first = specs[0]!;
    const bytes = await readCorpus(`${folder}/${file}`);
    cutFiles.set(file, bytes.subarray(0, first.byteOffset + n * frameBytes(first.format, specs.length)));
  }
  const selected = header.signals.flatMap((s, i) => (present.includes(s.fileName) ? [i] : []));
  const full = await readWfdbRecord({
    header,
    readFile: (file) => readCorpus(`${folder}/${file}`),
    signals: selected,
  });
  const checksums: (number | null)[] = header.signals.map(() => null);
  selected.forEach((signal, channel) => {
    let sum = 0;
    for (let t = 0; t < n; t++) sum = (sum + full.samples[t * selected.length + channel]!) | 0;
    checksums[signal] = ((sum & 0xffff) << 16) >> 16; // written signed, as WFDB does
  });
  const cutHeaderText = rewriteHeader(headerText, n, checksums);

  // Read back with the package's parsers (checksums and initial values verified) and compare with the full record.
  const cutHeader = parseWfdbHeader(cutHeaderText);
  const back = await readWfdbRecord({ header: cutHeader, readFile: (file) => cutFiles.get(file)!, signals: selected });
  if (back.length !== n) throw new Error(`${excerpt.path}: ${back.length} samples read back, ${n} expected`);
  const prefix = full.samples.subarray(0, n * selected.length);
  if (back.samples.some((v, i) => v !== prefix[i])) throw new Error(`${excerpt.path}: samples differ`);

  const outputs: [string, Uint8Array][] = [[`${name}.hea`, Buffer.from(cutHeaderText, 'utf8')]];
  for (const [file, bytes] of cutFiles) outputs.push([file, bytes]);

  let beats: number | undefined;
  if (existsSync(join(corpus, `${excerpt.path}.atr`))) {
    const atr = await readCorpus(`${excerpt.path}.atr`);
    const cut = new Uint8Array(annotationCut(atr, n) + 2); // + the end-of-file word (0, 0)
    cut.set(atr.subarray(0, cut.length - 2));
    const kept = parseWfdbAnnotations(cut);
    const expected = parseWfdbAnnotations(atr).filter((a: WfdbAnnotation) => a.sample < n);
    if (JSON.stringify(kept) !== JSON.stringify(expected)) throw new Error(`${excerpt.path}: annotations differ`);
    beats = kept.filter((a) => isBeatSymbol(a.symbol)).length;
    outputs.push([`${name}.atr`, cut]);
  }

  await mkdir(join(OUT, folder), { recursive: true });
  for (const [file, bytes] of outputs) {
    await writeFile(join(OUT, folder, file), bytes);
    written.push(`${folder}/${file}`);
  }
  rows.push({
    path: excerpt.path,
    seconds: excerpt.seconds,
    samples: n,
    rate: header.sampleRate,
    signals: header.signalCount,
    beats,
    why: excerpt.why,
  });
  console.log(`${excerpt.path}: ${n} samples${beats === undefined ? '' : `, ${beats} beats`}`);
}

const sums: string[] = [];
for (const file of written.sort()) sums.push(`${sha256(await readFile(join(OUT, file)))}  ${file}`);
await writeFile(join(OUT, 'SHA256SUMS'), `${sums.join('\n')}\n`);

// The README's table, between its markers.
const readmePath = join(OUT, 'README.md');
const BEGIN = '<!-- excerpts:begin (written by scripts/cut-excerpts.ts) -->';
const END = '<!-- excerpts:end -->';
const table = [
  '| record | start | length | samples per signal | rate | signals | beats | used for |',
  '|---|---|---|---|---|---|---|---|',
  ...rows.map(
    (r) =>
      `| \`${r.path}\` | 0 s | ${r.seconds} s | ${r.samples} | ${r.rate} Hz | ${r.signals} | ${r.beats ?? '—'} | ${r.why} |`,
  ),
].join('\n');
const readme = existsSync(readmePath) ? await readFile(readmePath, 'utf8') : `${BEGIN}\n${END}\n`;
const from = readme.indexOf(BEGIN);
const to = readme.indexOf(END);
if (from < 0 || to < from) throw new Error(`${relative(process.cwd(), readmePath)} lacks the excerpts markers`);
await writeFile(readmePath, `${readme.slice(0, from + BEGIN.length)}\n${table}\n${readme.slice(to)}`);
console.log(`wrote ${written.length} files, SHA256SUMS and the README table under ${relative(process.cwd(), OUT)}`);
