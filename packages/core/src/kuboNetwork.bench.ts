/**
 * Kubo network benchmark: `pnpm --filter @mhrchain/core bench:kubo` (after the upload benchmark). Needs the Kubo
 * binary (`node scripts/ensure-kubo.mjs`). Local daemons (`startKubo`), peered over loopback only.
 *
 * 1. Cross-node read of a 64 MiB record (`MHR_BENCH_KUBO_READ_MIB`): the patient stores it on node A; the doctor
 *    reads it through node B's trustless gateway with the SDK (`createGatewayStorage`, every block hash-checked,
 *    then decrypted: `loadEnvelope`), B fetching the blocks from A over bitswap; vs `ipfs cat` on B (CLI) of a plain
 *    file of the same size added on A. A fresh record and file each run (B holds neither). Median of 5.
 *    Throughput ratio = SDK MiB/s ÷ `ipfs cat` MiB/s (target ≥ 0.8×).
 * 2. 1,000 records of 10 KiB (`MHR_BENCH_KUBO_RECORDS`) replicated to k = 2 of 3 nodes (`createReplicatedStorage`,
 *    16 records in flight): records/s and latency per record until `storeEnvelope` resolves (pinned on ≥ 2 nodes, as
 *    `status` confirms); vs the same number of plain 10 KiB files `add`ed and pinned through the RPC API on two nodes
 *    each (the least work for two pinned copies, no encryption), same concurrency.
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { create } from 'kubo-rpc-client';
import { loadEnvelope, storeEnvelope } from './envelopeStorage.js';
import { createGatewayStorage } from './gatewayStorage.js';
import { generateIdentity } from './identity.js';
import { type KuboInstance, kuboBinaryPath, startKubo } from './kubo.js';
import { createKuboStorage } from './kuboStorage.js';
import { createReplicatedStorage } from './replicatedStorage.js';

const MiB = 1024 * 1024;
const readSize = Number(process.env.MHR_BENCH_KUBO_READ_MIB ?? 64) * MiB;
const recordCount = Number(process.env.MHR_BENCH_KUBO_RECORDS ?? 1000);
const recordSize = 10 * 1024;
const inFlight = 16;

const fresh = (size: number) => {
  const bytes = new Uint8Array(size);
  for (let at = 0; at < size; at += 65536) randomFillSync(bytes, at, Math.min(65536, size - at));
  return bytes;
};
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)]!;
const ms = (value: number) => `${value.toFixed(value < 100 ? 1 : 0)} ms`;
const rate = (size: number, time: number) => `${(size / MiB / (time / 1000)).toFixed(0)} MiB/s`;
const load = () => `load ${loadavg()[0]!.toFixed(2)}`;
const cli = (node: KuboInstance) => ({ ...process.env, IPFS_PATH: node.repo, IPFS_TELEMETRY: 'off' });

/** Runs `task(i)` for i in [0, count) with at most `limit` at once; resolves with each task's latency (ms). */
async function timedPool(count: number, limit: number, task: (i: number) => Promise<void>): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const started = performance.now();
      await task(i);
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return latencies;
}

const nodes = await Promise.all([startKubo(), startKubo(), startKubo()]);
const [a, b, c] = nodes as [KuboInstance, KuboInstance, KuboInstance];
const dir = mkdtempSync(join(tmpdir(), 'mhr-kubo-net-bench-'));
try {
  await a.connect(b);
  await a.connect(c);
  await b.connect(c);
  const [atA, atB, atC] = await Promise.all(
    nodes.map((node) => createKuboStorage({ url: node.apiUrl, timeout: 120_000 })),
  );
  const patient = generateIdentity();
  const doctor = generateIdentity();
  console.log(`Kubo network benchmark: three local daemons, peered over loopback; ${load()}`);

  // 1. Cross-node read.
  const gateway = await createGatewayStorage({ gateways: [b.gatewayUrl], allowInsecure: true, timeout: 60_000 });
  const sdk: number[] = [];
  const cat: number[] = [];
  for (let run = 0; run <= 5; run++) {
    const { cid } = await storeEnvelope(atA!, {
      data: fresh(readSize),
      metadata: { mediaType: 'application/dicom' },
      recipients: [patient.publicKey, doctor.publicKey],
    });
    let started = performance.now();
    const record = await loadEnvelope(gateway, cid, doctor);
    let read = 0;
    const reader = record.stream.getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) read += next.value.length;
    if (read !== readSize) throw new Error(`read ${read} bytes, expected ${readSize}`);
    if (run > 0) sdk.push(performance.now() - started);

    const file = join(dir, 'plain.bin');
    writeFileSync(file, fresh(readSize));
    const plain = execFileSync(kuboBinaryPath(), ['add', '--cid-version=1', '--raw-leaves', '--pin', '-Q', file], {
      env: cli(a),
    })
      .toString()
      .trim();
    started = performance.now();
    await new Promise<void>((resolve, reject) => {
      // Piped into this process and discarded, as the gateway's answer is.
      const child = execFile(
        kuboBinaryPath(),
        ['cat', plain],
        { env: cli(b), encoding: 'buffer', maxBuffer: 2 * readSize },
        (error) => (error ? reject(error) : resolve()),
      );
      child.stdout?.on('data', () => {});
    });
    if (run > 0) cat.push(performance.now() - started);
  }
  await gateway.close();
  const [s, k] = [median(sdk), median(cat)];
  console.log(
    `Cross-node read of ${readSize / MiB} MiB (median of ${sdk.length}, blocks on A, read through B): ` +
      `SDK via B's gateway, verified and decrypted ${ms(s)} (${rate(readSize, s)}) · ipfs cat on B ${ms(k)} ` +
      `(${rate(readSize, k)}) → throughput ratio ${(k / s).toFixed(2)}× · ${load()}`,
  );

  // 2. Small records replicated to k = 2 of 3.
  const replicated = createReplicatedStorage({ nodes: [atA!, atB!, atC!], k: 2 });
  const records = Array.from({ length: recordCount }, () => fresh(recordSize));
  let started = performance.now();
  const durable = await timedPool(recordCount, inFlight, async (i) => {
    const { cid } = await storeEnvelope(replicated, {
      data: records[i]!,
      metadata: { mediaType: 'application/fhir+json' },
      recipients: [patient.publicKey],
    });
    if (i % 100 === 0 && (await replicated.status(cid)).pinned < 2) throw new Error(`${cid} is not on 2 nodes`);
  });
  const sdkTotal = performance.now() - started;

  const clients = [a, b].map((node) => create({ url: node.apiUrl }));
  const plain = Array.from({ length: recordCount }, () => fresh(recordSize));
  started = performance.now();
  const baseline = await timedPool(recordCount, inFlight, async (i) => {
    await Promise.all(clients.map((client) => client.add(plain[i]!, { cidVersion: 1, rawLeaves: true, pin: true })));
  });
  const baseTotal = performance.now() - started;
  const perSecond = (total: number) => recordCount / (total / 1000);
  console.log(
    `${recordCount} records of ${recordSize / 1024} KiB, k = 2 of 3, ${inFlight} in flight: SDK ${perSecond(sdkTotal).toFixed(0)} records/s, ` +
      `latency to durable p50 ${ms(percentile(durable, 50))} p99 ${ms(percentile(durable, 99))} · ` +
      `plain add + pin on 2 nodes ${perSecond(baseTotal).toFixed(0)} records/s, p50 ${ms(percentile(baseline, 50))} ` +
      `p99 ${ms(percentile(baseline, 99))} → throughput ratio ${(baseTotal / sdkTotal).toFixed(2)}× · ${load()}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
  await Promise.all(nodes.map((node) => node.destroy()));
}
