// The doctor on another node: the patient writes to IPFS node A, the doctor reads in a separate process through
// node B's gateway (B fetches from its peers over bitswap); after replication to C and the loss of A, the doctor
// still reads through B, which now fetches from C.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateIdentity, type Identity, storeEnvelope } from '../src/index.js';
import { walkDag } from '../src/internal/walkDag.js';
import { type KuboInstance, startKubo } from '../src/kubo.js';
import { createKuboStorage, type KuboStorage } from '../src/kuboStorage.js';
import { createReplicatedStorage } from '../src/replicatedStorage.js';
import { randomData } from './corruptingProxy.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Runs the doctor's reader in its own Node process; resolves with what it printed. */
function readInAnotherProcess(
  gatewayUrl: string,
  cid: string,
  doctor: Identity,
): Promise<{ mediaType: string; size: number; sha256: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', '--conditions=@mhrchain/source', 'test/fixtures/doctorReader.ts', gatewayUrl, cid],
      { cwd: packageDir, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`reader failed: ${stderr || error.message}`));
        else resolve(JSON.parse(stdout.trim().split('\n').at(-1)!));
      },
    );
    child.stdin!.end(Buffer.from(doctor.secretKey).toString('hex'));
  });
}

describe('a doctor reading on another IPFS node', () => {
  let a: KuboInstance;
  let b: KuboInstance;
  let c: KuboInstance;
  let atA: KuboStorage;
  let atB: KuboStorage;
  let atC: KuboStorage;

  beforeAll(async () => {
    [a, b, c] = await Promise.all([startKubo(), startKubo(), startKubo()]);
    [atA, atB, atC] = (await Promise.all([a, b, c].map((node) => createKuboStorage({ url: node.apiUrl })))) as [
      KuboStorage,
      KuboStorage,
      KuboStorage,
    ];
  });
  afterAll(async () => {
    await Promise.all([a, b, c].map((node) => node?.destroy()));
  });

  it('reads through B what the patient stored on A, then (A lost after replication to C) through B from C', async () => {
    const patient = generateIdentity();
    const doctor = generateIdentity();
    const data = randomData(3_000_000);
    const sha256 = createHash('sha256').update(data).digest('hex');
    const stored = await storeEnvelope(atA, {
      stream: new Blob([data]).stream(),
      metadata: { mediaType: 'application/dicom' },
      recipients: [patient.publicKey, doctor.publicKey],
    });
    const offlineB = await createKuboStorage({ url: b.apiUrl, offline: true });
    expect(await offlineB.has(stored.cid)).toBe(false);

    // B knows only A; the doctor knows only B's gateway.
    await b.connect(a);
    const first = await readInAnotherProcess(b.gatewayUrl, stored.cid.toString(), doctor);
    expect(first).toEqual({ mediaType: 'application/dicom', size: data.length, sha256 });
    expect(await offlineB.has(stored.cid)).toBe(true); // B fetched it from A

    // Replicate to C (k = 2 on A and C), then lose A; B forgets its unpinned copy.
    await createReplicatedStorage({ nodes: [atA, atC], k: 2 }).pin(stored.cid);
    expect(await atC.isPinned(stored.cid)).toBe(true);
    await a.stop();
    await atB.gc();
    for await (const block of walkDag(atC, stored.cid)) expect(await offlineB.has(block.cid)).toBe(false);
    await c.connect(b);

    const second = await readInAnotherProcess(b.gatewayUrl, stored.cid.toString(), doctor);
    expect(second).toEqual(first);
    expect(await offlineB.has(stored.cid)).toBe(true); // fetched again, from C this time (A is down)
  }, 120_000);
});
