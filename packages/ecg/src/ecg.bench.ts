/**
 * Benchmark of @mhrchain/ecg on real PhysioNet recordings. Corpus-wide figures (compression and detection over the
 * 22 non-paced MIT-BIH records, "DS1"; the paced records; every record's beat count) need a full corpus:
 *
 *   ./pnpmw fetch-ecg                         (downloads it to .ecg-corpus/, which the bench finds by itself)
 *   MHR_ECG_CORPUS=<dir> ./pnpmw --filter @mhrchain/ecg bench         or   ... bench -- --corpus <dir> [--quick]
 *
 * Without one, it says so loudly, skips those rows, and measures what it can on the committed excerpts
 * (test/vectors/physionet). Every figure is measured in this run, next to its baseline: `flac --best` (payload
 * only: no padding block, no seek table) and gzip -9 on the same samples, record by record.
 * Speeds are single-threaded, from CPU time (user + system) so that other load on a shared machine does not count,
 * in samples per second of all channels together.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CORPUS_BEATS,
  EXCERPTS,
  EXCERPTS_DIR,
  loadAnnotations,
  loadRecord,
  MITDB_NON_PACED,
  MITDB_PACED,
} from '../test/data.js';
import { designEcgFilter } from './biquad.js';
import { decodeEcg, encodeEcg } from './codec.js';
import { createStreamingFilter } from './filter.js';
import { decodeFrameAt } from './frame.js';
import { setWasmFrameBody } from './internal/frameBodyWasm.js';
import { createQrsDetector, detectQrs } from './qrsDetector.js';
import { type BeatScore, grossScore, scoreBeats } from './scoreBeats.js';
import { flutterEpisodes, isBeatSymbol } from './wfdbAnnotations.js';

const quick = process.argv.includes('--quick');
// The full corpus: --corpus <dir>, else $MHR_ECG_CORPUS, else .ecg-corpus/ at the repository root when present.
const corpusFlag = process.argv.indexOf('--corpus');
const defaultCorpus = fileURLToPath(new URL('../../../.ecg-corpus/', import.meta.url));
const corpus =
  corpusFlag >= 0 && process.argv[corpusFlag + 1]
    ? resolve(process.env.PNPMW_CWD ?? process.env.INIT_CWD ?? process.cwd(), process.argv[corpusFlag + 1]!)
    : process.env.MHR_ECG_CORPUS || (existsSync(join(defaultCorpus, 'mitdb')) ? defaultCorpus : undefined);
const source = corpus ?? EXCERPTS_DIR;
const excerptRecords = Object.keys(EXCERPTS).flatMap((p) => (p.startsWith('mitdb/') ? [p.slice(6)] : []));
const records = corpus ? (quick ? MITDB_NON_PACED.slice(0, 4) : MITDB_NON_PACED) : excerptRecords;
const recordSet = corpus
  ? `${records.length} non-paced MIT-BIH records${quick ? ' (--quick: the first 4 of DS1)' : ' (DS1)'}`
  : `the committed excerpts of MIT-BIH ${records.join(', ')} (5 to 15 min each; not the DS1 figures)`;
const work = mkdtempSync(join(tmpdir(), 'ecg-bench-'));
const fmt = (x: number, d = 3) => x.toFixed(d);
const mega = (x: number) => `${(x / 1e6).toFixed(1)} M`;
const table = (head: string[], rows: (string | number)[][]) => {
  console.log(`| ${head.join(' | ')} |`);
  console.log(`|${head.map(() => '---').join('|')}|`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  console.log();
};

/** flac's options for our raw files: 2 channels of 16-bit little-endian signed samples, declared at `rate` Hz. */
const flacRawArgs = (rate: number) => [
  '-f',
  '-s',
  '--force-raw-format',
  '--endian=little',
  '--sign=signed',
  '--channels=2',
  '--bps=16',
  `--sample-rate=${rate}`,
];
/**
 * `flac --best` writing only what a FLAC stream needs: by default flac also writes a padding block (64 KiB at
 * 360 Hz, 8 KiB at 48 kHz) and a seek table, which are not compressed audio and would flatter any codec compared
 * with it. What is left is the stream header (STREAMINFO and a short vendor comment, under 100 bytes) and the frames.
 */
const flacEncodeArgs = (rate: number, raw: string, out: string) => [
  '--best',
  '--no-padding',
  '--no-seektable',
  ...flacRawArgs(rate),
  '-o',
  out,
  raw,
];
const flacDecodeArgs = (file: string, out: string) => [
  '-d',
  '-f',
  '-s',
  '--force-raw-format',
  '--endian=little',
  '--sign=signed',
  '-o',
  out,
  file,
];

/** Writes 2-channel samples as the raw 16-bit file flac reads; returns its path. */
function writeRaw(samples: Int32Array, name: string): string {
  const raw = join(work, name);
  writeFileSync(raw, new Uint8Array(Int16Array.from(samples).buffer));
  return raw;
}

/** Bits per sample of `flac --best` (payload only, see {@link flacEncodeArgs}) at the record's true rate. */
function flacBits(samples: Int32Array, rate: number): number {
  const out = join(work, 'x.flac');
  execFileSync('flac', flacEncodeArgs(rate, writeRaw(samples, 'x.raw'), out));
  return (statSync(out).size * 8) / samples.length;
}

function gzipBits(samples: Int32Array): number {
  const size = execFileSync('gzip', ['-9', '-c', writeRaw(samples, 'g.raw')], { maxBuffer: 1 << 28 }).length;
  return (size * 8) / samples.length;
}

/** CPU time of this process in ms (the machine is shared: CPU time, not wall time, measures one core's work). */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Best of `runs` CPU timings (ms) of `f`. */
function time(f: () => void, runs = 3): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const t0 = cpuMs();
    f();
    best = Math.min(best, cpuMs() - t0);
  }
  return best;
}

/**
 * CPU time (ms, user + system, measured by bash from the child's rusage) of one run of a native command: the mean
 * of `repeat` back-to-back runs in one measurement (the clock counts whole milliseconds), best of `runs`; with the
 * user time alone of that best measurement.
 */
function timeCommand(args: string[], runs = 3, repeat = 1): { cpu: number; user: number } {
  let best = { cpu: Number.POSITIVE_INFINITY, user: Number.POSITIVE_INFINITY };
  for (let i = 0; i < runs; i++) {
    const out = execFileSync('bash', [
      '-c',
      `TIMEFORMAT="%3U %3S"; { time for ((i = 0; i < ${repeat}; i++)); do "$@" >/dev/null 2>&1; done; } 2>&1`,
      'bash',
      ...args,
    ])
      .toString()
      .trim()
      .split(/\s+/);
    const cpu = ((Number(out[0]) + Number(out[1])) * 1000) / repeat;
    if (cpu < best.cpu) best = { cpu, user: (Number(out[0]) * 1000) / repeat };
  }
  return best;
}

/**
 * CPU time (ms) of starting and ending the flac process with nothing to code (`flac --version`): subtracted from
 * every flac timing, so that the baseline is flac's coding work alone (the stricter comparison for us).
 */
let flacStart = { cpu: 0, user: 0 };

console.log(`# @mhrchain/ecg benchmark (${new Date().toISOString()}, node ${process.version})\n`);
if (corpus) console.log(`Full corpus: ${corpus}\n`);
else {
  const rule = '!'.repeat(100);
  console.log(
    [
      rule,
      '!! NO FULL ECG CORPUS: the corpus-wide rows are SKIPPED (compression and detection over all 22 DS1 records,',
      '!! the paced records, the beat count of every record). Only the committed excerpts are measured below.',
      '!! To get the corpus-wide figures, download the corpus and run the bench again:',
      '!!     ./pnpmw fetch-ecg                     (to .ecg-corpus/ at the repository root, found automatically)',
      '!!     ./pnpmw fetch-ecg <dir>  then  MHR_ECG_CORPUS=<dir> ./pnpmw --filter @mhrchain/ecg bench',
      '!! or point MHR_ECG_CORPUS (or `-- --corpus <dir>`) at a copy laid out as mitdb/, svdb/, ptbdb/.',
      rule,
      '',
    ].join('\n'),
  );
}

// ------------------------------------------------------------------------------------------------ corpus check
if (corpus) {
  // Every whole record's beat count, as the corpus README lists it (a check of the corpus and of the parser).
  const wrong: string[] = [];
  for (const name of [...MITDB_NON_PACED, ...MITDB_PACED, '800']) {
    const path = name === '800' ? 'svdb/800' : `mitdb/${name}`;
    const beats = (await loadAnnotations(path, corpus)).filter((a) => isBeatSymbol(a.symbol)).length;
    if (beats !== CORPUS_BEATS[name]) wrong.push(`${path}: ${beats} beats, ${CORPUS_BEATS[name]} expected`);
  }
  if (wrong.length) throw new Error(`corpus beat counts differ:\n${wrong.join('\n')}`);
  console.log(
    `Beat counts of all ${MITDB_NON_PACED.length + MITDB_PACED.length + 1} records match the corpus README.\n`,
  );
}

// ---------------------------------------------------------------------------------------------------------- codec
// Compression and speed per record, each record's figures measured next to flac's on the same samples.
const params = { sampleRate: 360, channels: 2, bitDepth: 12 } as const;
const loaded = new Map<string, Awaited<ReturnType<typeof loadRecord>>>();
for (const name of records) loaded.set(name, await loadRecord(`mitdb/${name}`, undefined, source));
// Warm-up: untimed rounds first, so that the JIT has compiled the hot paths before any timing.
{
  const first = loaded.get(records[0]!)!.samples;
  for (let i = 0; i < 4; i++) decodeEcg(encodeEcg(first, params));
}
flacStart = timeCommand(['flac', '--version'], 5, 10);
const codecRuns = quick ? 2 : 5;
const codecRows: (string | number)[][] = [];
const sums = { ours: 0, oursTs: 0, oursV2: 0, flac: 0, gzip: 0 };
const cpu = { samples: 0, enc: 0, dec: 0, flacEnc: 0, flacDec: 0, flacEncUser: 0, flacDecUser: 0 };
let worstEncRatio = Number.POSITIVE_INFINITY;
let worstDecRatio = Number.POSITIVE_INFINITY;
for (const name of records) {
  const x = loaded.get(name)!.samples;
  const bytes = encodeEcg(x, params);
  const withTs = encodeEcg(x, { ...params, timestamp: Date.UTC(2026, 0, 1) });
  const v2 = encodeEcg(x, { ...params, version: 2 });
  const decoded = decodeEcg(bytes).samples;
  if (decoded.length !== x.length || decoded.some((v, i) => v !== x[i]))
    throw new Error(`round trip failed on ${name}`);
  const raw = writeRaw(x, 'r.raw');
  const flacFile = join(work, 'r.flac');
  execFileSync('flac', flacEncodeArgs(360, raw, flacFile));
  const ours = (bytes.length * 8) / x.length;
  const flac = (statSync(flacFile).size * 8) / x.length;
  // Interleaved rounds (ours, then flac, per round) so that a slow spell of the shared machine hits both.
  let enc = Number.POSITIVE_INFINITY;
  let dec = Number.POSITIVE_INFINITY;
  let flacEnc = { cpu: Number.POSITIVE_INFINITY, user: Number.POSITIVE_INFINITY };
  let flacDec = { cpu: Number.POSITIVE_INFINITY, user: Number.POSITIVE_INFINITY };
  const better = (a: typeof flacEnc, b: typeof flacEnc) => (b.cpu < a.cpu ? b : a);
  for (let r = 0; r < codecRuns; r++) {
    enc = Math.min(
      enc,
      time(() => encodeEcg(x, params), 1),
    );
    dec = Math.min(
      dec,
      time(() => decodeEcg(bytes), 1),
    );
    flacEnc = better(flacEnc, timeCommand(['flac', ...flacEncodeArgs(360, raw, join(work, 't.flac'))], 1));
    flacDec = better(flacDec, timeCommand(['flac', ...flacDecodeArgs(flacFile, join(work, 't.raw'))], 1, 5));
  }
  cpu.flacEncUser += Math.max(flacEnc.user - flacStart.user, 0.1);
  cpu.flacDecUser += Math.max(flacDec.user - flacStart.user, 0.1);
  const flacEncMs = Math.max(flacEnc.cpu - flacStart.cpu, 0.1);
  const flacDecMs = Math.max(flacDec.cpu - flacStart.cpu, 0.1);
  const gzip = gzipBits(x);
  sums.ours += ours;
  sums.oursTs += (withTs.length * 8) / x.length;
  sums.oursV2 += (v2.length * 8) / x.length;
  sums.flac += flac;
  sums.gzip += gzip;
  cpu.samples += x.length;
  cpu.enc += enc;
  cpu.dec += dec;
  cpu.flacEnc += flacEncMs;
  cpu.flacDec += flacDecMs;
  worstEncRatio = Math.min(worstEncRatio, flacEncMs / enc);
  worstDecRatio = Math.min(worstDecRatio, flacDecMs / dec);
  codecRows.push([
    name,
    fmt(ours),
    fmt(flac),
    `${fmt(100 * (1 - ours / flac), 1)} %`,
    mega((x.length / enc) * 1000),
    mega((x.length / flacEncMs) * 1000),
    `${fmt(flacEncMs / enc, 2)} ×`,
    mega((x.length / dec) * 1000),
    mega((x.length / flacDecMs) * 1000),
    `${fmt(flacDecMs / dec, 2)} ×`,
  ]);
}
const total = records.length;
codecRows.push([
  `**all ${total}**`,
  `**${fmt(sums.ours / total)}**`,
  `**${fmt(sums.flac / total)}**`,
  `**${fmt(100 * (1 - sums.ours / sums.flac), 1)} %**`,
  mega((cpu.samples / cpu.enc) * 1000),
  mega((cpu.samples / cpu.flacEnc) * 1000),
  `**${fmt(cpu.flacEnc / cpu.enc, 2)} ×**`,
  mega((cpu.samples / cpu.dec) * 1000),
  mega((cpu.samples / cpu.flacDec) * 1000),
  `**${fmt(cpu.flacDec / cpu.dec, 2)} ×**`,
]);
console.log(`## Lossless codec against FLAC, per record: 1 s frames, ${recordSet}\n`);
console.log(
  'Bits per sample (both leads) of the ECG codec, every frame header and checksum included, against `flac --best',
);
console.log(
  '--no-padding --no-seektable` at the true 360 Hz (the FLAC stream without the 64 KiB padding block and seek table',
);
console.log(
  'flac writes by default). Speeds in samples per second (both leads together) from CPU time on one core, best of',
);
console.log(
  `${codecRuns} interleaved rounds per record: ours from process.cpuUsage() (frame version 3, one-shot encodeEcg/decodeEcg, WebAssembly`,
);
console.log(
  `frame body), flac's from the child process's CPU time minus the ${fmt(flacStart.cpu, 2)} ms flac takes to start and exit`,
);
console.log('(`flac --version`), i.e. its coding work alone. A ratio above 1 × means faster than flac.\n');
table(
  [
    'record',
    'ECG codec bits/sample',
    'flac bits/sample',
    'smaller than flac',
    'encode',
    'flac encode',
    'encode vs flac',
    'decode',
    'flac decode',
    'decode vs flac',
  ],
  codecRows,
);
const verdict = (ok: boolean) => (ok ? 'MET' : 'MISS');
table(
  [
    corpus && !quick ? 'target (all DS1 records, one run)' : 'target (set on DS1; measured here on fewer records)',
    'measured',
    '',
  ],
  [
    [
      'mean bits/sample ≤ 3.85 and ≥ 4 % smaller than flac',
      `${fmt(sums.ours / total)}, ${fmt(100 * (1 - sums.ours / sums.flac), 1)} % smaller`,
      verdict(sums.ours / total <= 3.85 && sums.ours / sums.flac <= 0.96),
    ],
    [
      'encode ≥ 1 × flac --best on every record',
      `worst record ${fmt(worstEncRatio, 2)} ×, all together ${fmt(cpu.flacEnc / cpu.enc, 2)} ×`,
      verdict(worstEncRatio >= 1),
    ],
    [
      'decode ≥ 0.5 × flac on every record',
      `worst record ${fmt(worstDecRatio, 2)} ×, all together ${fmt(cpu.flacDec / cpu.dec, 2)} ×`,
      verdict(worstDecRatio >= 0.5),
    ],
  ],
);
console.log(
  "Stricter still, against flac's user time alone (its file reading and writing in the kernel and its start-up " +
    `left out): encode ${fmt(cpu.flacEncUser / cpu.enc, 2)} ×, decode ${fmt(cpu.flacDecUser / cpu.dec, 2)} × flac, all records together.\n`,
);
console.log(
  `Also: with a millisecond timestamp in every frame ${fmt(sums.oursTs / total)} bits/sample; frame version 2 (the previous format, still read and written on request) ${fmt(sums.oursV2 / total)}; gzip -9 of the 16-bit samples ${fmt(sums.gzip / total)}.\n`,
);

// Other rates and lead counts (not part of the target, shown for coverage).
const others: (string | number)[][] = [];
for (const [path, signals, bitDepth] of [
  ['svdb/800', undefined, 12],
  ['ptbdb/s0010_re', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 16],
  ...(corpus ? MITDB_PACED.map((p) => [`mitdb/${p}`, undefined, 12]) : []),
] as [string, number[] | undefined, number][]) {
  if (quick) break;
  const record = await loadRecord(path, signals, source);
  const rate = record.header.sampleRate;
  const bytes = encodeEcg(record.samples, { sampleRate: rate, channels: record.channels, bitDepth });
  const v2 = encodeEcg(record.samples, { sampleRate: rate, channels: record.channels, bitDepth, version: 2 });
  others.push([
    corpus ? path : `${path} (excerpt)`,
    `${record.channels} × ${rate} Hz`,
    fmt((bytes.length * 8) / record.samples.length),
    fmt((v2.length * 8) / record.samples.length),
    record.channels === 2 ? fmt(flacBits(record.samples, rate)) : 'n/a',
  ]);
}
if (others.length) {
  table(['record', 'leads × rate', 'ECG codec bits/sample', 'frame version 2', 'flac --best (payload only)'], others);
}

// Other ways of coding, on the first three records.
const speedSet = records.slice(0, 3).map((n) => loaded.get(n)!.samples);
const speedSamples = speedSet.reduce((a, x) => a + x.length, 0);
const encoded = speedSet.map((x) => encodeEcg(x, params));
const encodeAll = () => {
  for (const x of speedSet) encodeEcg(x, params);
};
const decodeAll = () => {
  for (const b of encoded) decodeEcg(b);
};
// Frame by frame, as a live receiver does: no output array of the whole recording to allocate.
const decodeFrames = () => {
  for (const b of encoded) for (let pos = 0; pos < b.length; ) pos += decodeFrameAt(b, pos, b.length).byteLength;
};
for (let i = 0; i < 2; i++) {
  encodeAll();
  decodeAll();
  decodeFrames();
}
let encMs = Number.POSITIVE_INFINITY;
let decMs = Number.POSITIVE_INFINITY;
let decFramesMs = Number.POSITIVE_INFINITY;
for (let i = 0; i < 5; i++) {
  encMs = Math.min(encMs, time(encodeAll, 1));
  decMs = Math.min(decMs, time(decodeAll, 1));
  decFramesMs = Math.min(decFramesMs, time(decodeFrames, 1));
}
setWasmFrameBody(false);
const encJsMs = time(encodeAll, 3);
const decJsMs = time(decodeAll, 3);
setWasmFrameBody(true);
// What the one-shot decoder's output costs on this machine before any decoding: a fresh array of the
// recording's size, touched once (the operating system's page faults).
const allocMs = time(() => {
  for (const x of speedSet) new Int32Array(x.length).fill(1);
}, 5);
console.log(
  `## Ways of coding (one core, CPU time, best of 5 interleaved rounds), records ${records.slice(0, 3).join(', ')}\n`,
);
const speedRow = (what: string, ms: number) => [
  what,
  mega((speedSamples / ms) * 1000),
  `${fmt(speedSamples / ms / 0.72, 0)} ×`,
];
table(
  ['', 'samples/s', 'real-time factor for 2 × 360 Hz'],
  [
    speedRow('encode, one-shot `encodeEcg` (WebAssembly frame body)', encMs),
    speedRow('decode, one-shot `decodeEcg` (WebAssembly)', decMs),
    speedRow('decode, frame by frame (WebAssembly)', decFramesMs),
    speedRow('encode, JavaScript frame body (fallback)', encJsMs),
    speedRow('decode, JavaScript frame body (fallback)', decJsMs),
  ],
);
console.log(
  `WebAssembly vs JavaScript frame body: encode ${fmt(encJsMs / encMs, 2)} ×, decode ${fmt(decJsMs / decMs, 2)} × faster. ` +
    `Allocating and touching a fresh output array of the recordings' size alone takes ${fmt(allocMs, 1)} ms here ` +
    `(${fmt((allocMs * 1e6) / speedSamples, 1)} ns per sample, ${fmt((100 * allocMs) / decMs, 0)} % of the one-shot decode).\n`,
);

// ------------------------------------------------------------------------------------------------ filters
const filterInput = speedSet[0]!;
const monitoring = designEcgFilter({ preset: 'monitoring', sampleRate: 360, mains: 50 });
const diagnostic = designEcgFilter({ preset: 'diagnostic', sampleRate: 360, mains: 60 });
const filterRows: (string | number)[][] = [];
for (const [name, sections] of [
  ['monitoring 0.5–40 Hz + 50 Hz notch', monitoring],
  ['diagnostic 0.05–150 Hz + 60 Hz notch', diagnostic],
] as const) {
  const ms = time(() => {
    const f = createStreamingFilter(sections, { channels: 2 });
    for (let i = 0; i < filterInput.length; i += 720) f.process(filterInput.subarray(i, i + 720));
  });
  filterRows.push([name, sections.length, mega((filterInput.length / ms) * 1000)]);
}
console.log('## Filters (streaming, 1 s chunks, 2 leads)\n');
table(['preset', 'biquads', 'samples/s'], filterRows);

// ------------------------------------------------------------------------------------------------ detector
console.log(`## QRS detection (EC57-style: ±150 ms, ventricular flutter episodes excluded), ${recordSet}\n`);
const detRows: (string | number)[][] = [];
const scores: BeatScore[] = [];
const scoresLead0: BeatScore[] = [];
let worstLatency = 0;
let detSamples = 0;
let detMs = 0;
for (const name of records) {
  const record = loaded.get(name)!;
  const annotations = await loadAnnotations(`mitdb/${name}`, source);
  const reference = annotations.filter((a) => isBeatSymbol(a.symbol)).map((a) => a.sample);
  const exclude = flutterEpisodes(annotations);
  const t0 = cpuMs();
  const beats = detectQrs(record.samples, { sampleRate: 360, channels: 2, leads: [0, 1] });
  detMs += cpuMs() - t0;
  detSamples += record.samples.length;
  for (const b of beats)
    if (!b.searchBack && b.sample > 720) worstLatency = Math.max(worstLatency, b.emittedAt - b.sample);
  const s = scoreBeats({ reference, detected: beats.map((b) => b.sample), sampleRate: 360, exclude });
  scores.push(s);
  const s0 = scoreBeats({
    reference,
    detected: detectQrs(record.samples, { sampleRate: 360, channels: 2, leads: [0] }).map((b) => b.sample),
    sampleRate: 360,
    exclude,
  });
  scoresLead0.push(s0);
  detRows.push([
    name,
    reference.length,
    s.truePositives,
    s.falseNegatives,
    s.falsePositives,
    fmt(100 * s.sensitivity, 2),
    fmt(100 * s.positivePredictivity, 2),
    fmt(100 * s0.sensitivity, 2),
    fmt(100 * s0.positivePredictivity, 2),
  ]);
}
const g = grossScore(scores);
const g0 = grossScore(scoresLead0);
detRows.push([
  '**gross**',
  g.truePositives + g.falseNegatives,
  g.truePositives,
  g.falseNegatives,
  g.falsePositives,
  `**${fmt(100 * g.sensitivity, 2)}**`,
  `**${fmt(100 * g.positivePredictivity, 2)}**`,
  fmt(100 * g0.sensitivity, 2),
  fmt(100 * g0.positivePredictivity, 2),
]);
table(
  ['record', 'beats', 'TP', 'FN', 'FP', 'Se % (2 leads)', '+P % (2 leads)', 'Se % (lead 0)', '+P % (lead 0)'],
  detRows,
);
const latencyBound = createQrsDetector({ sampleRate: 360 }).latency;
console.log(
  `Reference: Pan & Tompkins (1985) 99.76 % / 99.56 %. Detector speed: ${mega((detSamples / detMs) * 1000)} samples/s (2 leads).`,
);
console.log(
  `Latency: stated bound ${fmt(latencyBound, 3)} s; worst measured for primary detections after learning: ${fmt(worstLatency / 360, 3)} s.\n`,
);

// ------------------------------------------------------------------------------------------- streams per core
const x = speedSet[0]!;
const pipelineMs = time(() => {
  const f = createStreamingFilter(monitoring, { channels: 2 });
  const d = createQrsDetector({ sampleRate: 360, channels: 2, leads: [0, 1] });
  for (let i = 0; i < x.length; i += 720) {
    const chunk = x.subarray(i, i + 720);
    encodeEcg(chunk, { sampleRate: 360, channels: 2, bitDepth: 12, firstSampleIndex: i / 2 });
    f.process(chunk);
    d.push(chunk);
  }
}, 2);
const perSecond = (x.length / pipelineMs) * 1000;
console.log('## Real-time capacity (one core)\n');
table(
  ['pipeline per 2-lead 360 Hz stream', 'samples/s', 'streams sustained (720 samples/s each)'],
  [
    ['encode 1 s frames + monitoring filter + QRS detection', mega(perSecond), fmt(perSecond / 720, 0)],
    ['decode only (viewer side)', mega((speedSamples / decMs) * 1000), fmt(((speedSamples / decMs) * 1000) / 720, 0)],
  ],
);
if (!corpus) {
  console.log('!! Corpus-wide rows were SKIPPED (no full corpus): the figures above are of the committed excerpts.');
  console.log('!! Get them with `./pnpmw fetch-ecg [dir]`, or set MHR_ECG_CORPUS to a copy of the corpus.\n');
}
rmSync(work, { recursive: true, force: true });
