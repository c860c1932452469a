/**
 * Envelope benchmark: `pnpm --filter @mhrchain/core bench` (sizes in MiB: `MHR_BENCH_SIZES=1,64,1024`, the default).
 *
 * For each size, in one run:
 * - encrypt + CID of the envelope (streamed, 64 KiB chunks, every block hashed; in Node AES-GCM runs through
 *   `node:crypto` and leaves are sealed on worker threads), its blocks written to /dev/null as `age -o /dev/null`
 *   writes its output (`storeEnvelope` into a sink that writes each block out and gives its memory back, as the
 *   embedded node's storage does); also measured: the bare stream handing every block to a consumer that may keep
 *   it (new memory per block), the same on one thread, and the WebCrypto path browsers take; vs raw WebCrypto
 *   AES-256-GCM over
 *   the same bytes (target ≥ 0.8×): one `encrypt` call over the bytes (per 64 MiB for 1 GiB), and, for reference,
 *   64 KiB calls with 8 in flight (both cores on AES alone, no hashing: a ceiling rather than a baseline);
 * - vs the `age` CLI encrypting the same file to one X25519 recipient (target ≥ 1.0×, i.e. at least as fast);
 * - encrypted add to the embedded Helia node (`storeEnvelope`, no pin) vs plain `unixfs.addByteStream` of the same
 *   bytes into another embedded node (target ≤ 1.25× the time);
 * - peak RSS growth while streaming (target < 128 MiB for 1 GiB).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { unixfs } from '@helia/unixfs';
import { createEncryptStream } from './encryptStream.js';
import { storeEnvelope } from './envelopeStorage.js';
import { createHeliaStorage, type HeliaStorage } from './heliaStorage.js';
import { generateIdentity } from './identity.js';
import { setAeadBackend } from './internal/aead.js';
import { setParallelSealing } from './internal/leafSealer.js';
import type { Storage } from './storage.js';

const MiB = 1024 * 1024;
const sizes = (process.env.MHR_BENCH_SIZES ?? '1,64,1024').split(',').map((s) => Number(s) * MiB);
const PIECE = MiB;
const pool = new Uint8Array(64 * MiB);
for (let i = 0; i < pool.length; i += 65536) crypto.getRandomValues(pool.subarray(i, i + 65536));

/**
 * The same bytes every time: `size` bytes cut from the random pool, in 1 MiB pieces (no copies). Every 64 KiB of
 * the input starts with its own offset, stamped as the piece is handed out, so no two blocks of a large input are
 * alike even where the 64 MiB pool repeats (a node skips a block it already holds: repeated plain blocks would be
 * hashed but never written).
 */
function* pieces(size: number): Generator<Uint8Array> {
  for (let offset = 0; offset < size; offset += PIECE) {
    const start = offset % pool.length;
    const piece = pool.subarray(start, start + Math.min(PIECE, size - offset));
    const view = new DataView(piece.buffer, piece.byteOffset, piece.byteLength);
    for (let at = 0; at + 8 <= piece.length; at += 65536) view.setFloat64(at, offset + at);
    yield piece;
  }
}
function sourceStream(size: number, onPull?: () => void): ReadableStream<Uint8Array> {
  const it = pieces(size);
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      onPull?.();
      const next = it.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
  });
}

const gc = (globalThis as { gc?: () => void }).gc;
function rssTracker() {
  gc?.();
  const base = process.memoryUsage.rss();
  let peak = base;
  let calls = 0;
  return {
    sample() {
      if (++calls % 4 === 0) peak = Math.max(peak, process.memoryUsage.rss());
    },
    growth: () => (Math.max(peak, process.memoryUsage.rss()) - base) / MiB,
  };
}

interface Timing {
  /** Wall-clock milliseconds of the fastest run. */
  wall: number;
  /** CPU milliseconds of this process (all threads) or of the child process, in that run. */
  cpu: number;
  /** Median wall-clock milliseconds over the runs. */
  median: number;
}

/**
 * Runs `fn` once untimed (unless `warmUp` is false), then `runs` times: the fastest wall time (and its CPU time),
 * the least disturbed run, and the median. Garbage is collected once before the series, not before every run: a
 * forced full collection shrinks the heap, and on this machine refilling fresh pages costs a 1 MiB record more than
 * its cipher does, which a running service never pays.
 */
async function time(fn: () => Promise<unknown>, runs = 1, warmUp = true): Promise<Timing> {
  const all: Timing[] = [];
  gc?.();
  if (warmUp) await fn();
  for (let i = 0; i < runs; i++) {
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    await fn();
    const wall = performance.now() - start;
    const cpu = process.cpuUsage(cpu0);
    all.push({ wall, cpu: (cpu.user + cpu.system) / 1000, median: wall });
  }
  return fastestWithMedian(all);
}

/** The fastest of several runs (with its CPU time), and the median wall time of them all. */
function fastestWithMedian(all: readonly Timing[]): Timing {
  const sorted = [...all].sort((a, b) => a.wall - b.wall);
  return { ...sorted[0]!, median: sorted[sorted.length >> 1]!.wall };
}

/** Runs a command under bash's `time` and returns its wall and CPU (user + sys) milliseconds, best of `runs`. */
function timeCommand(command: string, runs = 1): Timing {
  let best: Timing = { wall: Number.POSITIVE_INFINITY, cpu: Number.POSITIVE_INFINITY, median: Number.NaN };
  for (let i = 0; i < runs; i++) {
    const out = spawnSync('bash', ['-c', `TIMEFORMAT='%R %U %S'; time (${command})`], { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`command failed: ${command}\n${out.stderr}`);
    const [wall, user, sys] = out.stderr.trim().split('\n').at(-1)!.split(' ').map(Number) as [number, number, number];
    if (wall * 1000 < best.wall) best = { wall: wall * 1000, cpu: (user + sys) * 1000, median: Number.NaN };
  }
  return best;
}

const identity = generateIdentity();
const metadata = { mediaType: 'application/octet-stream' };

async function envelopeEncrypt(size: number, rss?: ReturnType<typeof rssTracker>) {
  const encryption = createEncryptStream({ metadata, recipients: [identity.publicKey] });
  let blocks = 0;
  await sourceStream(size, rss?.sample)
    .pipeThrough(encryption)
    .pipeTo(new WritableStream({ write: () => void blocks++ }));
  await encryption.result;
  return blocks;
}

/**
 * A sink like `age -o /dev/null`: each block is written to /dev/null (a real write of its bytes), and since nothing
 * refers to them afterwards the storage says it copies on put, so the stream reuses the memory.
 */
function devNullStorage(): Storage & { close(): Promise<void> } {
  const fd = openSync('/dev/null', 'w');
  const refuse = async () => {
    throw new Error('a /dev/null sink holds nothing');
  };
  return {
    readOnly: false,
    copiesOnPut: true,
    async put(_cid, bytes) {
      writeSync(fd, bytes);
    },
    get: refuse,
    has: async () => false,
    pin: refuse,
    unpin: refuse,
    isPinned: async () => false,
    async close() {
      closeSync(fd);
    },
  };
}
const devNull = devNullStorage();

/** Encrypts `size` bytes into `storage` with `storeEnvelope` (no pin). */
function storeRecord(storage: Storage, size: number, rss?: ReturnType<typeof rssTracker>) {
  return storeEnvelope(storage, {
    stream: sourceStream(size, rss?.sample),
    metadata,
    recipients: [identity.publicKey],
    pin: false,
  });
}
const envelopeToDevNull = (size: number, rss?: ReturnType<typeof rssTracker>) => storeRecord(devNull, size, rss);

async function webCryptoKey() {
  return crypto.subtle.importKey('raw', crypto.getRandomValues(new Uint8Array(32)), 'AES-GCM', false, ['encrypt']);
}
/** Raw WebCrypto over the same bytes: one `encrypt` call per 64 MiB (the whole input when smaller). */
async function webCryptoWhole(size: number) {
  const key = await webCryptoKey();
  let n = 0;
  for (let offset = 0; offset < size; offset += pool.length) {
    const iv = new Uint8Array(12);
    new DataView(iv.buffer).setUint32(8, n++);
    const bytes = pool.subarray(0, Math.min(pool.length, size - offset));
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, bytes as Uint8Array<ArrayBuffer>);
  }
}
async function webCryptoChunks(size: number, depth: number) {
  const key = await webCryptoKey();
  let n = 0;
  const inflight: Promise<ArrayBuffer>[] = [];
  for (const piece of pieces(size))
    for (let o = 0; o < piece.length; o += 65536) {
      const iv = new Uint8Array(12);
      new DataView(iv.buffer).setUint32(8, n++);
      inflight.push(
        crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, piece.subarray(o, o + 65536) as Uint8Array<ArrayBuffer>),
      );
      if (inflight.length >= depth) await inflight.shift();
    }
  await Promise.all(inflight);
}

function ageAvailable(): boolean {
  return spawnSync('age', ['--version']).status === 0;
}

async function writeInput(file: string, size: number) {
  const handle = await open(file, 'w');
  for (const piece of pieces(size)) await handle.write(piece);
  await handle.close();
}

/**
 * Times adding `size` bytes to a fresh embedded node, encrypted and plain, best of `runs`. Every run starts from an
 * empty node: Helia skips blocks it already has, so re-adding the same plain bytes would measure hashing alone.
 */
async function heliaAdds(size: number, dir: string, runs: number, rss?: ReturnType<typeof rssTracker>) {
  let run = 0;
  const withFreshNode = async (name: string, add: (node: HeliaStorage) => Promise<unknown>): Promise<Timing> => {
    const node = await createHeliaStorage({ directory: join(dir, `${name}-${run++}`) });
    try {
      // No untimed run: the node would then already hold the blocks.
      return await time(() => add(node), 1, false);
    } finally {
      await node.close();
    }
  };
  const encryptedRuns: Timing[] = [];
  const plainRuns: Timing[] = [];
  const encrypted = () => withFreshNode('enc', (node) => storeRecord(node, size, rss));
  const plain = () => withFreshNode('plain', (node) => unixfs(node.helia).addByteStream(pieces(size)));
  for (let i = 0; i < runs; i++) {
    // In turn, and each first every other time, so that neither always follows the other.
    if (i % 2 === 0) {
      encryptedRuns.push(await encrypted());
      plainRuns.push(await plain());
    } else {
      plainRuns.push(await plain());
      encryptedRuns.push(await encrypted());
    }
  }
  return { encrypted: fastestWithMedian(encryptedRuns), plain: fastestWithMedian(plainRuns) };
}

const fmt = (n: number, digits = 0) => n.toFixed(digits);
const rate = (size: number, ms: number) => size / MiB / (ms / 1000);
const mark = (ok: boolean) => (ok ? 'ok' : 'MISS');

const work = mkdtempSync(join(tmpdir(), 'mhr-bench-'));
const rows: string[][] = [];
const notes: string[] = [];
try {
  await envelopeToDevNull(32 * MiB); // warm-up
  await envelopeEncrypt(32 * MiB);
  await webCryptoChunks(32 * MiB, 8);
  await webCryptoWhole(32 * MiB);
  for (let i = 0; i < 2; i++) await heliaAdds(32 * MiB, join(work, 'warm-up'), 1);
  rmSync(join(work, 'warm-up'), { recursive: true, force: true });
  const ageKeyFile = join(work, 'age.key');
  const hasAge = ageAvailable();
  let ageRecipient = '';
  if (hasAge) {
    execFileSync('age-keygen', ['-o', ageKeyFile], { stdio: 'ignore' });
    ageRecipient = execFileSync('age-keygen', ['-y', ageKeyFile]).toString().trim();
  } else notes.push('age CLI not found: age comparison skipped (Debian package `age`).');

  for (const size of sizes) {
    const label = size >= 1024 * MiB ? `${size / 1024 / MiB} GiB` : `${size / MiB} MiB`;
    const runs = size <= 64 * MiB ? 7 : 1;
    const rss = rssTracker();
    // Encryption alone is quick at 1 MiB: more runs there, for a steadier median.
    // 1 GiB is encrypted in under a second: five runs each, for it and for age.
    const encryptRuns = size <= MiB ? 15 : Math.max(runs, 5);
    const envelope = await time(() => envelopeToDevNull(size, rss), encryptRuns);
    const stream = await time(() => envelopeEncrypt(size, rss), encryptRuns);
    const streamRss = rss.growth();
    // The same on one thread (no workers), with node:crypto and with WebCrypto (the path browsers take).
    setParallelSealing(false);
    const envelopeOneThread = await time(() => envelopeEncrypt(size), encryptRuns);
    setAeadBackend('webcrypto');
    const envelopeWebCrypto = await time(() => envelopeEncrypt(size), encryptRuns);
    setAeadBackend('node');
    setParallelSealing(true);
    const whole = await time(() => webCryptoWhole(size), encryptRuns);
    const pipelined = await time(() => webCryptoChunks(size, 8), encryptRuns);

    let age: Timing = { wall: Number.NaN, cpu: Number.NaN, median: Number.NaN };
    if (hasAge) {
      const input = join(work, 'input.bin');
      await writeInput(input, size);
      // The first run warms the page cache; then as many runs as the envelope's encryption got.
      age = timeCommand(`age -r ${ageRecipient} -o /dev/null ${input}`, Math.min(encryptRuns, 7) + 1);
      rmSync(input);
    }

    const heliaDir = join(work, `helia-${size}`);
    const storeRss = rssTracker();
    const adds = await heliaAdds(size, heliaDir, runs, storeRss);
    const storeRssGrowth = storeRss.growth();
    rmSync(heliaDir, { recursive: true, force: true });

    const ratio = (baseline: number, ours: number) => baseline / ours;
    const vsRaw = ratio(whole.wall, envelope.wall);
    const vsAge = ratio(age.wall, envelope.wall);
    const addRatio = adds.encrypted.wall / adds.plain.wall;
    rows.push([
      label,
      `${fmt(rate(size, envelope.wall))} / ${fmt(rate(size, stream.wall))} / ${fmt(rate(size, envelopeOneThread.wall))} / ${fmt(rate(size, envelopeWebCrypto.wall))} (cpu ${fmt(rate(size, envelope.cpu))})`,
      `${fmt(rate(size, whole.wall))} / ${fmt(rate(size, pipelined.wall))} (cpu ${fmt(rate(size, whole.cpu))})`,
      `${fmt(vsRaw, 2)}× ${mark(vsRaw >= 0.8)} (median ${fmt(ratio(whole.median, envelope.median), 2)}×, cpu ${fmt(ratio(whole.cpu, envelope.cpu), 2)}×)`,
      hasAge ? `${fmt(rate(size, age.wall))} (cpu ${fmt(rate(size, age.cpu))})` : '-',
      hasAge
        ? `${fmt(vsAge, 2)}× ${mark(vsAge >= 1)} (stream ${fmt(ratio(age.wall, stream.wall), 2)}×, cpu ${fmt(ratio(age.cpu, envelope.cpu), 2)}×)`
        : '-',
      `${fmt(adds.encrypted.wall)} / ${fmt(adds.plain.wall)}`,
      `${fmt(addRatio, 2)}× ${mark(addRatio <= 1.25)} (median ${fmt(adds.encrypted.median / adds.plain.median, 2)}×, cpu ${fmt(adds.encrypted.cpu / adds.plain.cpu, 2)}×)`,
      `${fmt(streamRss)} / ${fmt(storeRssGrowth)}`,
    ]);
    if (size >= 1024 * MiB) {
      const peak = Math.max(streamRss, storeRssGrowth);
      notes.push(`1 GiB peak RSS growth: ${fmt(peak)} MiB (target < 128 MiB): ${mark(peak < 128)}`);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
  await devNull.close();
}

const header = [
  'size',
  'envelope MiB/s (to /dev/null / stream / one thread / WebCrypto)',
  'raw WebCrypto MiB/s (one call / 64 KiB ×8)',
  'vs raw (≥0.8; fastest runs)',
  'age MiB/s',
  'vs age (≥1.0)',
  'add ms (encrypted / unixfs)',
  'add ratio (≤1.25)',
  'RSS growth MiB (stream / add)',
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
const output = [
  'Wall-clock figures, each series after one untimed run: best of 7 runs for 1 MiB (15 for its encryption) and 64 MiB,',
  'of 5 for 1 GiB (1 for its adds); age: as many runs as the encryption (at most 7) after a cache-warming run; adds to',
  'the node: a fresh node each run, no untimed run, encrypted and plain in turn (each first every other time);',
  '"median" compares median runs (a fresh output buffer can cost more than the cipher here); "cpu" = throughput per',
  'CPU-second of the process (all threads) or of the age child: it is what matters on a shared machine. In Node,',
  'the leaves of a record after its first two (about 2 MiB) are sealed on worker threads (both cores).',
  'Envelope "to /dev/null": blocks written to /dev/null as `age -o /dev/null` writes its output, their memory reused',
  '(the ratios use it); "stream": every block handed to a consumer that may keep it, so each takes new memory.',
  '',
  line(header),
  `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
  ...rows.map(line),
  '',
  ...notes,
  `load average at the end: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} on ${navigator.hardwareConcurrency} cores; Node ${process.version}${gc ? '' : ' (no --expose-gc)'}`,
].join('\n');
console.log(output);
if (process.env.MHR_BENCH_OUT) writeFileSync(process.env.MHR_BENCH_OUT, `${output}\n`);
