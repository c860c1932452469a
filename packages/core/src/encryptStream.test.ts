import { afterEach, describe, expect, it } from 'vitest';
import { lcgBytes, seededRandom } from '../test/goldenVectors.js';
import type { Block } from './block.js';
import { createEncryptStreamWith } from './encryptStream.js';
import { type AeadBackend, setAeadBackend } from './internal/aead.js';
import { iterateStream } from './internal/bytes.js';
import { setParallelSealing } from './internal/leafSealer.js';
import { CHUNKS_PER_LEAF } from './internal/payloadDag.js';

const CHUNK = 65536;
const LEAF = CHUNKS_PER_LEAF * CHUNK;
const recipient = Uint8Array.from({ length: 32 }, (_, i) => i + 9);

/**
 * Encrypts `data` written in pieces of `piece` bytes through one buffer that the writer overwrites with garbage as
 * soon as each write resolves (as a file reader reusing its buffer does); returns every block.
 */
async function blocksOf(data: Uint8Array, piece: number, reuse: boolean): Promise<Block[]> {
  const encryption = createEncryptStreamWith(
    {
      metadata: { mediaType: 'application/octet-stream', created: '2026-01-01T00:00:00.000Z' },
      recipients: [recipient],
    },
    seededRandom('encrypt-stream'),
  );
  const blocks: Block[] = [];
  const reading = (async () => {
    for await (const block of iterateStream(encryption.readable)) blocks.push(block);
  })();
  const writer = encryption.writable.getWriter();
  const buffer = new Uint8Array(piece);
  for (let offset = 0; offset < data.length; offset += piece) {
    const part = data.subarray(offset, offset + piece);
    if (reuse) {
      buffer.set(part);
      await writer.write(buffer.subarray(0, part.length));
      buffer.fill(0xa5);
    } else await writer.write(part.slice());
  }
  await writer.close();
  await reading;
  await encryption.result;
  return blocks;
}

const cids = (blocks: Block[]) => blocks.map((b) => `${b.cid}:${b.bytes.length}`);

describe('the encrypt stream reads each piece before its write resolves', () => {
  let previousBackend: AeadBackend | undefined;
  afterEach(() => {
    if (previousBackend) setAeadBackend(previousBackend);
    previousBackend = undefined;
    setParallelSealing(true);
  });

  // Sizes at chunk and leaf edges; pieces smaller than, equal to and larger than a chunk. Beyond two leaves the
  // leaves go to worker threads, which get copies.
  const sizes = [1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, LEAF, LEAF + 1, 3 * LEAF + 5];
  for (const backend of ['node', 'webcrypto'] as const)
    for (const piece of [4093, CHUNK, CHUNK + 1, 3 * CHUNK])
      it(`${backend}, pieces of ${piece} bytes: the same blocks whether or not the writer reuses its buffer`, async () => {
        previousBackend = setAeadBackend(backend);
        for (const size of sizes) {
          const data = lcgBytes(size, size + piece);
          const fresh = await blocksOf(data, piece, false);
          const reused = await blocksOf(data, piece, true);
          expect(cids(reused), `${size} bytes`).toEqual(cids(fresh));
          // One whole write gives the same blocks too: the pieces do not change the envelope.
          expect(cids(await blocksOf(data, Math.max(1, size), false)), `${size} bytes`).toEqual(cids(fresh));
        }
      });

  it('gives the same blocks with node:crypto and with WebCrypto, on one thread and on workers', async () => {
    const data = lcgBytes(3 * LEAF + CHUNK, 11);
    const results: string[][] = [];
    for (const backend of ['node', 'webcrypto'] as const)
      for (const parallel of [false, true]) {
        previousBackend ??= setAeadBackend(backend);
        setAeadBackend(backend);
        setParallelSealing(parallel);
        results.push(cids(await blocksOf(data, CHUNK, true)));
      }
    for (const result of results.slice(1)) expect(result).toEqual(results[0]);
  });
});
