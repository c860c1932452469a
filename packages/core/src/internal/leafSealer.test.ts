import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { lcgBytes, seededRandom } from '../../test/goldenVectors.js';
import type { Block } from '../block.js';
import { createEncryptStreamWith } from '../encryptStream.js';
import { decryptRecord, encryptRecord } from '../envelope.js';
import { generateIdentity } from '../identity.js';
import { equalBytes, iterateStream } from './bytes.js';
import { chunkNonce } from './keySchedule.js';
import { leafSealer, setParallelSealing } from './leafSealer.js';
import { CHUNKS_PER_LEAF } from './payloadDag.js';

const LEAF = CHUNKS_PER_LEAF * 65536;

/** Encrypts `data` fed in pieces of `piece` bytes; returns every block. */
async function blocksOf(data: Uint8Array, recipient: Uint8Array, seed: string, piece: number): Promise<Block[]> {
  const encryption = createEncryptStreamWith(
    {
      metadata: { mediaType: 'application/octet-stream', created: '2026-01-01T00:00:00.000Z' },
      recipients: [recipient],
    },
    seededRandom(seed),
  );
  let offset = 0;
  const source = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= data.length) controller.close();
      else {
        controller.enqueue(data.slice(offset, offset + piece));
        offset += piece;
      }
    },
  });
  const blocks: Block[] = [];
  for await (const block of iterateStream(source.pipeThrough(encryption))) blocks.push(block);
  await encryption.result;
  return blocks;
}

afterAll(() => {
  setParallelSealing(true);
});

describe('sealing payload leaves on worker threads', () => {
  const alice = generateIdentity();

  it('is available in Node on a machine with several cores', () => {
    expect(leafSealer()?.size ?? 0).toBeGreaterThanOrEqual(navigator.hardwareConcurrency > 1 ? 2 : 0);
  });

  // Sizes around leaf and chunk boundaries: the final-chunk flag lands in the right leaf in every case.
  // The first two leaves are sealed on the caller's thread, the rest on workers.
  for (const size of [LEAF + 1, 2 * LEAF, 2 * LEAF + 65536, 3 * LEAF + 12_345, 4 * LEAF, 5 * LEAF - 1]) {
    it(`gives the same envelope, block for block, as sealing on one thread (${size} bytes)`, async () => {
      const data = lcgBytes(size, size);
      setParallelSealing(false);
      const local = await blocksOf(data, alice.publicKey, 'leaf-sealer', 300_000);
      setParallelSealing(true);
      const parallel = await blocksOf(data, alice.publicKey, 'leaf-sealer', 300_000);
      expect(parallel.map((b) => b.cid.toString())).toEqual(local.map((b) => b.cid.toString()));
      parallel.forEach((b, i) => {
        expect(equalBytes(b.bytes, local[i]!.bytes)).toBe(true);
      });
    });
  }

  it('round-trips a multi-leaf record however the input is cut', async () => {
    const data = lcgBytes(4 * LEAF + 4242, 3);
    const record = await encryptRecord({ data, metadata: { mediaType: 'text/plain' }, recipients: [alice.publicKey] });
    const out = await decryptRecord({ header: record.header, payload: record.payload, identity: alice });
    expect(equalBytes(out.data, data)).toBe(true);
    const tiny = await blocksOf(data, alice.publicKey, 'cuts', 4093);
    const large = await blocksOf(data, alice.publicKey, 'cuts', 5 * LEAF);
    expect(tiny.map((b) => b.cid.toString())).toEqual(large.map((b) => b.cid.toString()));
  });

  it('lets a process that encrypts a multi-leaf record finish its work and exit', async () => {
    // A child process with nothing else to do must print its result (the work completes) and then exit on its own:
    // idle workers must not hold it open (this test times out if they do).
    const dir = mkdtempSync(join(tmpdir(), 'mhr-leaf-'));
    const module = (name: string) => JSON.stringify(new URL(`../${name}`, import.meta.url).href);
    const script = join(dir, 'encrypt.mts');
    writeFileSync(
      script,
      `import { encryptRecord } from ${module('envelope.ts')};
import { generateIdentity } from ${module('identity.ts')};
const data = new Uint8Array(${4 * LEAF + 1});
const record = await encryptRecord({ data, metadata: { mediaType: 'text/plain' }, recipients: [generateIdentity().publicKey] });
console.log('done', record.blocks.length);
`,
    );
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
    try {
      const output = await new Promise<string>((resolve, reject) => {
        execFile(process.execPath, ['--import', tsx, script], { timeout: 60_000 }, (error, stdout, stderr) =>
          error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
        );
      });
      expect(output.trim()).toBe('done 7'); // 5 leaves, their parent, the header
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('rejects (never hangs) when a worker cannot seal', async () => {
    const sealer = leafSealer();
    if (!sealer) return expect(sealer).toBeUndefined();
    const plaintext = new ArrayBuffer(65536);
    await expect(sealer.seal(new Uint8Array(7), chunkNonce(0, true), plaintext, 65536, 65536)).rejects.toThrow(
      /leaf sealing failed/,
    );
    // A layout that does not fit its buffer (no room for the last tag) is refused, not written past the end.
    await expect(sealer.seal(new Uint8Array(32), chunkNonce(0, true), new ArrayBuffer(16), 16, 65536)).rejects.toThrow(
      /does not fit/,
    );
    // The pool keeps working afterwards.
    const ok = await sealer.seal(new Uint8Array(32), chunkNonce(0, true), new ArrayBuffer(32), 16, 65536);
    expect(ok.bytes.length).toBe(32);
  });

  for (const inPlace of [true, false]) {
    it(`seals ${inPlace ? 'in place' : 'into new memory'}: chunks laid out with room for their tags come back end to end, as AES-256-GCM of each`, async () => {
      const sealer = leafSealer();
      if (!sealer) return expect(sealer).toBeUndefined();
      const chunkSize = 64;
      const stride = chunkSize + 16;
      const key = lcgBytes(32, 9);
      const plain = [lcgBytes(chunkSize, 1), lcgBytes(chunkSize, 2), lcgBytes(10, 3)];
      const nonces = [chunkNonce(0, false), chunkNonce(1, false), chunkNonce(2, true)];
      const buffer = new ArrayBuffer(3 * stride + 7); // room at the end stays unused
      plain.forEach((p, i) => {
        new Uint8Array(buffer).set(p, i * stride);
      });
      const nonceBytes = Uint8Array.from(nonces.flatMap((n) => [...n]));
      const sealed = await sealer.seal(key, nonceBytes, buffer, 10, chunkSize, inPlace);
      expect(buffer.byteLength).toBe(0); // transferred
      const aesKey = await crypto.subtle.importKey('raw', key as Uint8Array<ArrayBuffer>, 'AES-GCM', false, [
        'encrypt',
      ]);
      const expected = new Uint8Array(2 * stride + 26);
      for (let i = 0; i < 3; i++) {
        const c = await crypto.subtle.encrypt(
          { name: 'AES-GCM', iv: nonces[i]! as Uint8Array<ArrayBuffer> },
          aesKey,
          plain[i]! as Uint8Array<ArrayBuffer>,
        );
        expected.set(new Uint8Array(c), i * stride);
      }
      expect(equalBytes(sealed.bytes, expected)).toBe(true);
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', expected));
      expect(equalBytes(sealed.digest, digest)).toBe(true);
      if (inPlace) {
        expect(sealed.bytes.buffer.byteLength).toBe(3 * stride + 7);
        expect(sealed.plaintext).toBeUndefined();
      } else {
        // New memory of the leaf's exact size; the buffer comes back wiped for the next leaf.
        expect(sealed.bytes.buffer.byteLength).toBe(expected.length);
        const back = new Uint8Array(sealed.plaintext!);
        expect(back.length).toBe(3 * stride + 7);
        expect(back.every((byte) => byte === 0)).toBe(true);
      }
    });
  }
});
