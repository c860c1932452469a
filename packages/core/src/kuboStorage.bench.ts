/**
 * Kubo benchmark: `pnpm --filter @mhrchain/core bench:kubo` (part of `pnpm bench`; sizes in MiB:
 * `MHR_BENCH_KUBO_SIZES=1,64`, the default). Needs the Kubo binary (`node scripts/ensure-kubo.mjs`).
 *
 * For each size, in one run, against one local Kubo daemon (`startKubo`):
 * - the SDK: `storeEnvelope` into `createKuboStorage` (encrypt, CID, `block/put` of every block over the RPC API,
 *   recursive pin);
 * - vs `ipfs add` of the same plaintext to the same node, through the CLI (`ipfs add --cid-version=1 --raw-leaves
 *   --pin`, a file on disk, as a user would) and through the same RPC client (`add`, bytes in memory).
 * Every run uses fresh plaintext (a node skips blocks it already holds). Median of several runs; ratio = SDK / baseline.
 */
import { execFileSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create } from 'kubo-rpc-client';
import { storeEnvelope } from './envelopeStorage.js';
import { generateIdentity } from './identity.js';
import { kuboBinaryPath, startKubo } from './kubo.js';
import { createKuboStorage } from './kuboStorage.js';

const MiB = 1024 * 1024;
const sizes = (process.env.MHR_BENCH_KUBO_SIZES ?? '1,64').split(',').map((s) => Number(s) * MiB);
const runsFor = (size: number) => (size <= 4 * MiB ? 9 : 3);

const fresh = (size: number) => {
  const bytes = new Uint8Array(size);
  for (let at = 0; at < size; at += 65536) randomFillSync(bytes, at, Math.min(65536, size - at));
  return bytes;
};
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number) => `${value.toFixed(value < 100 ? 1 : 0)} ms`;
const rate = (size: number, time: number) => `${(size / MiB / (time / 1000)).toFixed(0)} MiB/s`;

const kubo = await startKubo();
const dir = mkdtempSync(join(tmpdir(), 'mhr-kubo-bench-'));
try {
  const storage = await createKuboStorage({ url: kubo.apiUrl, timeout: 120_000 });
  const client = create({ url: kubo.apiUrl });
  const patient = generateIdentity();
  const cliEnv = { ...process.env, IPFS_PATH: kubo.repo, IPFS_TELEMETRY: 'off' };
  console.log(
    `Kubo ${execFileSync(kuboBinaryPath(), ['version', '--number'], { env: cliEnv }).toString().trim()}, local daemon`,
  );

  for (const size of sizes) {
    const sdk: number[] = [];
    const cli: number[] = [];
    const rpc: number[] = [];
    // One warm-up round of each, then the measured ones, interleaved so drift hits all three alike.
    for (let run = 0; run <= runsFor(size); run++) {
      let data = fresh(size);
      let started = performance.now();
      await storeEnvelope(storage, {
        data,
        metadata: { mediaType: 'application/octet-stream' },
        recipients: [patient.publicKey],
      });
      if (run > 0) sdk.push(performance.now() - started);

      data = fresh(size);
      const file = join(dir, 'plain.bin');
      writeFileSync(file, data);
      started = performance.now();
      execFileSync(kuboBinaryPath(), ['add', '--cid-version=1', '--raw-leaves', '--pin', '-Q', file], { env: cliEnv });
      if (run > 0) cli.push(performance.now() - started);

      data = fresh(size);
      started = performance.now();
      await client.add(data, { cidVersion: 1, rawLeaves: true, pin: true });
      if (run > 0) rpc.push(performance.now() - started);
    }
    const [s, c, r] = [median(sdk), median(cli), median(rpc)];
    console.log(
      `${size / MiB} MiB (median of ${sdk.length}): SDK encrypted upload ${ms(s)} (${rate(size, s)}) · ` +
        `ipfs add CLI ${ms(c)} (${rate(size, c)}) → ratio ${(s / c).toFixed(2)}× · ` +
        `RPC add ${ms(r)} (${rate(size, r)}) → ratio ${(s / r).toFixed(2)}×`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  await kubo.destroy();
}
