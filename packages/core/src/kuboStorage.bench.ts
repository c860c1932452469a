/**
 * Kubo upload benchmark: `pnpm --filter @mhrchain/core bench:kubo` (part of `pnpm bench`; sizes in MiB:
 * `MHR_BENCH_KUBO_SIZES=1,64,1024`, the default). Needs the Kubo binary (`node scripts/ensure-kubo.mjs`).
 *
 * For each size, in one run, against one local Kubo daemon (`startKubo`), from the same plaintext file on disk:
 * - the SDK: `storeEnvelope` of the file as a stream into `createKuboStorage` (encrypt, CID, write every block over
 *   the RPC API, recursive pin), with the process's RSS sampled every 5 ms (`process.memoryUsage().rss`);
 * - vs `ipfs add --cid-version=1 --raw-leaves --pin` of that file through the CLI (as a user would), and, up to
 *   64 MiB, `add` through the RPC client of the bytes in memory;
 * - up to 64 MiB, the SDK again with the record in memory (`data`): a file stream costs the SDK about twice the client
 *   CPU of bytes already in memory (chunks gathered into leaves, and collected).
 * Every run uses a fresh file (a node skips blocks it already holds). Median of several runs (one at 1 GiB).
 * Throughput ratio = SDK MiB/s ÷ CLI MiB/s (the target is ≥ 0.8×); RSS growth = peak during the upload − RSS before.
 * Where the time goes: the CPU time of this process (encryption, hashing, requests) and of the daemon for each path
 * (Linux: read from `/proc`). On a machine with few cores the ratio follows the total CPU of each path.
 */
import { execFileSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { closeSync, createReadStream, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { create } from 'kubo-rpc-client';
import { storeEnvelope } from './envelopeStorage.js';
import { generateIdentity } from './identity.js';
import { kuboBinaryPath, startKubo } from './kubo.js';
import { createKuboStorage } from './kuboStorage.js';

const MiB = 1024 * 1024;
// Largest first: its RSS growth is measured before any other run has grown the heap (freed memory stays resident).
const sizes = (process.env.MHR_BENCH_KUBO_SIZES ?? '1,64,1024')
  .split(',')
  .map((s) => Number(s) * MiB)
  .sort((a, b) => b - a);
const runsFor = (size: number) => (size <= 4 * MiB ? 9 : size <= 64 * MiB ? 5 : 1);

/** Writes `size` fresh random bytes to `file`, 1 MiB at a time (never the whole file in memory). */
function writeFresh(file: string, size: number): void {
  const chunk = new Uint8Array(MiB);
  const fd = openSync(file, 'w');
  try {
    for (let at = 0; at < size; at += MiB) {
      const part = chunk.subarray(0, Math.min(MiB, size - at));
      for (let i = 0; i < part.length; i += 65536) randomFillSync(part, i, Math.min(65536, part.length - i));
      writeSync(fd, part);
    }
  } finally {
    closeSync(fd);
  }
}

/** Peak RSS growth over the RSS at the start, sampled every 5 ms until `stop()`; `peak` is the peak RSS. */
function sampleRss(): { stop(): number; readonly peak: number } {
  globalThis.gc?.();
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      return peak - start;
    },
    get peak() {
      return peak;
    },
  };
}

/** CPU milliseconds the process `pid` has used (Linux `/proc`; 0 elsewhere). `children`: of its waited-for children. */
function cpuOf(pid: number | 'self', children = false): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const [user, system] = children ? [fields[13], fields[14]] : [fields[11], fields[12]];
    return (Number(user) + Number(system)) * 10; // clock ticks of 10 ms
  } catch {
    return 0;
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number) => `${value.toFixed(value < 100 ? 1 : 0)} ms`;
const rate = (size: number, time: number) => `${(size / MiB / (time / 1000)).toFixed(0)} MiB/s`;
const load = () => `load ${loadavg()[0]!.toFixed(2)}`;
const label = (size: number) => (size >= 1024 * MiB ? `${size / 1024 / MiB} GiB` : `${size / MiB} MiB`);

const kubo = await startKubo();
const dir = mkdtempSync(join(tmpdir(), 'mhr-kubo-bench-'));
try {
  const storage = await createKuboStorage({ url: kubo.apiUrl, timeout: 300_000 });
  const client = create({ url: kubo.apiUrl });
  const patient = generateIdentity();
  const cliEnv = { ...process.env, IPFS_PATH: kubo.repo, IPFS_TELEMETRY: 'off' };
  console.log(
    `Kubo ${execFileSync(kuboBinaryPath(), ['version', '--number'], { env: cliEnv }).toString().trim()}, local daemon; ` +
      `${load()} (other work on this machine)`,
  );

  for (const size of sizes) {
    const sdk: number[] = [];
    const cli: number[] = [];
    const rpc: number[] = [];
    const sdkMemory: number[] = [];
    const rss: number[] = [];
    let peakRss = 0;
    /** [client CPU ms, daemon CPU ms] per measured run. */
    const sdkCpu: [number, number][] = [];
    const cliCpu: [number, number][] = [];
    const file = join(dir, 'plain.bin');
    // One warm-up round of each below 1 GiB, then the measured ones, interleaved so drift hits them alike.
    const warmUp = size < 1024 * MiB ? 1 : 0;
    for (let run = 1 - warmUp; run <= runsFor(size); run++) {
      writeFresh(file, size);
      const sampler = sampleRss();
      const daemonBefore = cpuOf(kubo.pid!);
      const selfBefore = process.cpuUsage();
      let started = performance.now();
      await storeEnvelope(storage, {
        stream: Readable.toWeb(createReadStream(file, { highWaterMark: MiB })) as ReadableStream<Uint8Array>,
        metadata: { mediaType: 'application/octet-stream' },
        recipients: [patient.publicKey],
      });
      const sdkTime = performance.now() - started;
      const grew = sampler.stop();
      peakRss = Math.max(peakRss, sampler.peak);
      const self = process.cpuUsage(selfBefore);
      if (run > 0) {
        sdk.push(sdkTime);
        rss.push(grew);
        sdkCpu.push([(self.user + self.system) / 1000, cpuOf(kubo.pid!) - daemonBefore]);
      }

      writeFresh(file, size);
      const [cliBefore, daemonBeforeCli] = [cpuOf('self', true), cpuOf(kubo.pid!)];
      started = performance.now();
      execFileSync(kuboBinaryPath(), ['add', '--cid-version=1', '--raw-leaves', '--pin', '-Q', file], { env: cliEnv });
      if (run > 0) {
        cli.push(performance.now() - started);
        cliCpu.push([cpuOf('self', true) - cliBefore, cpuOf(kubo.pid!) - daemonBeforeCli]);
      }

      if (size <= 64 * MiB) {
        writeFresh(file, size);
        let data = readFileSync(file);
        started = performance.now();
        await client.add(data, { cidVersion: 1, rawLeaves: true, pin: true });
        if (run > 0) rpc.push(performance.now() - started);

        // The SDK again, the record already in memory (`data`, as an app that holds it would pass it).
        writeFresh(file, size);
        data = readFileSync(file);
        started = performance.now();
        await storeEnvelope(storage, {
          data,
          metadata: { mediaType: 'application/octet-stream' },
          recipients: [patient.publicKey],
        });
        if (run > 0) sdkMemory.push(performance.now() - started);
      }
    }
    const [s, c] = [median(sdk), median(cli)];
    const rpcPart =
      rpc.length > 0
        ? ` · RPC add ${ms(median(rpc))} (${rate(size, median(rpc))}) → ${(median(rpc) / s).toFixed(2)}×`
        : '';
    const memory = `RSS +${(Math.max(...rss) / MiB).toFixed(0)} MiB (peak ${(peakRss / MiB).toFixed(0)} MiB)`;
    console.log(
      `${label(size)} (median of ${sdk.length}): SDK encrypted upload ${ms(s)} (${rate(size, s)}), ${memory} · ipfs add CLI ${ms(c)} (${rate(size, c)}) → throughput ratio ${(c / s).toFixed(2)}×${rpcPart}` +
        ` · ${load()}`,
    );
    if (sdkMemory.length > 0) {
      const m = median(sdkMemory);
      console.log(
        `  SDK from memory (data, not a file stream): ${ms(m)} (${rate(size, m)}) → throughput ratio to ipfs add ${(c / m).toFixed(2)}×`,
      );
    }
    const cpu = (runs: [number, number][], who: string) =>
      `${who} ${median(runs.map((r) => r[0])).toFixed(0)} ms + daemon ${median(runs.map((r) => r[1])).toFixed(0)} ms`;
    console.log(`  CPU (median): SDK: ${cpu(sdkCpu, 'this process')} · ipfs add: ${cpu(cliCpu, 'CLI')}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  await kubo.destroy();
}
