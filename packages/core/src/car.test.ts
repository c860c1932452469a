import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { exportCar, importCar } from './car.js';
import { decryptRecord } from './envelope.js';
import { loadEnvelope, storeEnvelope } from './envelopeStorage.js';
import { InvalidBlockError } from './errors.js';
import { generateIdentity } from './identity.js';
import { collectBytes, equalBytes } from './internal/bytes.js';
import { walkDag } from './internal/walkDag.js';
import { createMemoryStorage } from './storage.js';

const run = promisify(execFile);
const ipfsCar = join(import.meta.dirname, '..', 'node_modules', '.bin', 'ipfs-car');
const directories: string[] = [];
afterAll(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

const patient = generateIdentity();
const records = [
  new Uint8Array(0),
  new TextEncoder().encode('{"resourceType":"Patient"}'),
  new Uint8Array(400_000).fill(9),
];

async function fixture() {
  const storage = createMemoryStorage();
  const stored = [];
  for (const data of records)
    stored.push(
      await storeEnvelope(storage, {
        data,
        metadata: { mediaType: 'application/octet-stream' },
        recipients: [patient.publicKey],
      }),
    );
  return { storage, stored };
}

describe('CAR export / import', () => {
  it('moves a set of envelopes with all their blocks to another storage', async () => {
    const { storage, stored } = await fixture();
    const car = await collectBytes(
      exportCar(
        storage,
        stored.map((s) => s.cid),
      ),
    );
    const elsewhere = createMemoryStorage();
    const imported = await importCar(elsewhere, new Blob([car as Uint8Array<ArrayBuffer>]).stream());
    expect(imported.roots.map(String)).toEqual(stored.map((s) => s.cid.toString()));
    for (const [i, s] of stored.entries()) {
      expect(await elsewhere.isPinned(s.cid)).toBe(true);
      const record = await loadEnvelope(elsewhere, s.cid, patient);
      expect(equalBytes(await record.bytes(), records[i]!)).toBe(true);
    }
  });

  it('rejects a CAR with a block that does not match its CID, or garbage', async () => {
    const { storage, stored } = await fixture();
    const car = await collectBytes(exportCar(storage, [stored[1]!.cid]));
    const tampered = car.slice();
    tampered[tampered.length - 1]! ^= 1;
    await expect(importCar(createMemoryStorage(), tampered)).rejects.toThrow(InvalidBlockError);
    await expect(importCar(createMemoryStorage(), new Uint8Array([1, 2, 3]))).rejects.toThrow(InvalidBlockError);
  });

  it('is readable by the ipfs-car CLI: roots, every block, and the payload unpacks to our ciphertext', async () => {
    const { storage, stored } = await fixture();
    const directory = await mkdtemp(join(tmpdir(), 'mhr-car-'));
    directories.push(directory);
    const file = join(directory, 'records.car');
    await writeFile(
      file,
      await collectBytes(
        exportCar(
          storage,
          stored.map((s) => s.cid),
        ),
      ),
    );

    const roots = (await run(ipfsCar, ['roots', file])).stdout.trim().split('\n');
    expect(roots).toEqual(stored.map((s) => s.cid.toString()));

    const listed = new Set((await run(ipfsCar, ['blocks', file])).stdout.trim().split('\n'));
    for (const s of stored)
      for await (const block of walkDag(storage, s.cid)) expect(listed.has(block.cid.toString())).toBe(true);

    // The payload is a plain UnixFS file: a third-party tool extracts the ciphertext, which we then decrypt.
    const big = stored[2]!;
    const out = join(directory, 'payload.bin');
    await run(ipfsCar, ['unpack', file, '--root', big.payloadCid.toString(), '--output', out]);
    const payload = new Uint8Array(await readFile(out));
    const { data } = await decryptRecord({ header: big.header, payload, identity: patient });
    expect(equalBytes(data, records[2]!)).toBe(true);
  }, 60_000);
});
