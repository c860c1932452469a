import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { docsBaseUrl } from './baseError.js';
import { FRAME_SIZE } from './decryptStream.js';
import { createEncryptStream } from './encryptStream.js';
import { decryptRecord, encryptRecord, openEnvelope } from './envelope.js';
import { readEnvelopeHeader } from './envelopeHeader.js';
import { DecryptionError, InvalidKeyError, InvalidParametersError } from './errors.js';
import { generateIdentity } from './identity.js';
import { collectBytes, concatBytes, equalBytes, iterateStream } from './internal/bytes.js';

const metadata = { mediaType: 'application/octet-stream', created: '2026-01-02T03:04:05.000Z' } as const;

function pattern(size: number, seed = 1): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe('encryptRecord / decryptRecord', () => {
  it('round-trips data and metadata, and the header links the payload by CID', async () => {
    const alice = generateIdentity();
    const bob = generateIdentity();
    const data = pattern(3 * 65536 + 17);
    const record = await encryptRecord({
      data,
      metadata: { ...metadata, mediaType: 'application/fhir+json', resourceType: 'Observation', title: 'BP' },
      recipients: [alice.publicKey, bob.publicKey],
    });
    expect(record.payload.length).toBe(data.length + 4 * 16);
    expect(record.blocks.at(-1)!.cid.equals(record.cid)).toBe(true);
    expect(readEnvelopeHeader(record.header)).toMatchObject({ version: 1, recipientCount: 2, chunkSize: 65536 });
    expect(readEnvelopeHeader(record.header).payload.equals(record.payloadCid)).toBe(true);
    for (const identity of [alice, bob]) {
      const out = await decryptRecord({ header: record.header, payload: record.payload, identity });
      expect(equalBytes(out.data, data)).toBe(true);
      expect(out.metadata).toEqual({
        mediaType: 'application/fhir+json',
        resourceType: 'Observation',
        title: 'BP',
        size: data.length,
        created: metadata.created,
      });
    }
  });

  it('keeps metadata out of the clear and uses a fresh data key per record', async () => {
    const alice = generateIdentity();
    const data = new TextEncoder().encode('same plaintext');
    const title = 'Very Secret Diagnosis Title';
    const a = await encryptRecord({ data, metadata: { ...metadata, title }, recipients: [alice.publicKey] });
    const b = await encryptRecord({ data, metadata: { ...metadata, title }, recipients: [alice.publicKey] });
    expect(new TextDecoder('latin1').decode(a.header)).not.toContain(title);
    expect(new TextDecoder('latin1').decode(a.header)).not.toContain('octet-stream');
    expect(a.payload).not.toEqual(b.payload);
    expect(a.cid.equals(b.cid)).toBe(false);
  });

  it('streams with progress and gives the same plaintext back through any split', async () => {
    const alice = generateIdentity();
    const data = pattern(200_000, 7);
    const progress: number[] = [];
    const encryption = createEncryptStream({
      metadata,
      recipients: [alice.publicKey],
      onProgress: (p) => progress.push(p.bytes),
    });
    const source = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < data.length; i += 9999) controller.enqueue(data.subarray(i, i + 9999));
        controller.close();
      },
    });
    const blocks = [];
    for await (const block of iterateStream(source.pipeThrough(encryption))) blocks.push(block);
    const result = await encryption.result;
    expect(progress.at(-1)).toBe(data.length);
    expect(result.metadata.size).toBe(data.length);
    const payload = concatBytes(blocks.filter((b) => b.cid.code === 0x55).map((b) => b.bytes));
    const opened = await openEnvelope({ header: result.header, identity: alice });
    const parts = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < payload.length; i += 7777) controller.enqueue(payload.subarray(i, i + 7777));
        controller.close();
      },
    });
    expect(equalBytes(await collectBytes(parts.pipeThrough(opened.createDecryptStream())), data)).toBe(true);
  });

  it('rejects bad parameters with typed errors', async () => {
    const alice = generateIdentity();
    const data = new Uint8Array(1);
    await expect(encryptRecord({ data, metadata, recipients: [] })).rejects.toThrow(InvalidParametersError);
    await expect(encryptRecord({ data, metadata, recipients: [new Uint8Array(32)] })).rejects.toThrow(InvalidKeyError);
    await expect(encryptRecord({ data, metadata: { mediaType: '' }, recipients: [alice.publicKey] })).rejects.toThrow(
      InvalidParametersError,
    );
    await expect(encryptRecord({ data: 'text' as never, metadata, recipients: [alice.publicKey] })).rejects.toThrow(
      InvalidParametersError,
    );
  });
});

describe('properties (fast-check)', () => {
  it('round-trips any size 0..~1 MiB to any of 1..20 recipients', async () => {
    const pool = Array.from({ length: 20 }, () => generateIdentity());
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.integer({ min: 0, max: 300 }),
          fc.constantFrom(65535, 65536, 65537, 131072),
          fc.integer({ min: 0, max: 1_100_000 }),
        ),
        fc.integer({ min: 1, max: 20 }),
        fc.nat(19),
        fc.integer(),
        async (size, count, pick, seed) => {
          const recipients = pool.slice(0, count);
          const data = pattern(size, seed);
          const record = await encryptRecord({ data, metadata, recipients: recipients.map((r) => r.publicKey) });
          expect(record.payload.length).toBe(size + 16 * Math.max(1, Math.ceil(size / 65536)));
          const identity = recipients[pick % count]!;
          const out = await decryptRecord({ header: record.header, payload: record.payload, identity });
          expect(equalBytes(out.data, data)).toBe(true);
          expect(out.metadata.size).toBe(size);
        },
      ),
      { numRuns: 30, seed: 20261125 },
    );
  }, 120_000);
});

describe('adversarial: every failure is the one opaque DecryptionError', () => {
  const alice = generateIdentity();
  const bob = generateIdentity();
  const data = pattern(4 * 65536 + 1000, 3);
  const recordPromise = encryptRecord({ data, metadata, recipients: [alice.publicKey, bob.publicKey] });
  const frames = async () => {
    const { payload } = await recordPromise;
    const out: Uint8Array[] = [];
    for (let i = 0; i < payload.length; i += FRAME_SIZE) out.push(payload.subarray(i, i + FRAME_SIZE));
    return out;
  };
  const expectOpaque = async (header: Uint8Array, payload: Uint8Array, identity = alice) => {
    const error = await decryptRecord({ header, payload, identity }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DecryptionError);
    expect((error as DecryptionError).message).toBe(`Decryption failed.\nDocs: ${docsBaseUrl}spec/envelope.md`);
  };

  it('flipping any single byte of the header', async () => {
    const { header, payload } = await recordPromise;
    for (let i = 0; i < header.length; i++) {
      const tampered = header.slice();
      tampered[i]! ^= 0x01;
      await expectOpaque(tampered, payload);
    }
  }, 60_000);

  it('flipping single bytes of the payload (every byte of a small record; chunk edges, tags, random positions)', async () => {
    const small = await encryptRecord({ data: pattern(100), metadata, recipients: [alice.publicKey] });
    for (let i = 0; i < small.payload.length; i++) {
      const tampered = small.payload.slice();
      tampered[i]! ^= 0x80;
      await expectOpaque(small.header, tampered);
    }
    const { header, payload } = await recordPromise;
    const positions = new Set<number>();
    for (let c = 0; c * FRAME_SIZE < payload.length; c++)
      for (const d of [0, 1, 65535, 65536, 65551]) positions.add(Math.min(c * FRAME_SIZE + d, payload.length - 1));
    positions.add(payload.length - 1);
    await fc.assert(
      fc.asyncProperty(fc.nat(payload.length - 1), fc.integer({ min: 1, max: 255 }), async (i, mask) => {
        const tampered = payload.slice();
        tampered[i]! ^= mask;
        await expectOpaque(header, tampered);
      }),
      { numRuns: 30, seed: 7, examples: [...positions].map((p) => [p, 1] as [number, number]) },
    );
  }, 60_000);

  it('truncating at every chunk boundary, or inside a chunk', async () => {
    const { header, payload } = await recordPromise;
    for (let k = 0; k * FRAME_SIZE < payload.length; k++)
      await expectOpaque(header, payload.subarray(0, k * FRAME_SIZE));
    await expectOpaque(header, payload.subarray(0, payload.length - 1));
    await expectOpaque(header, payload.subarray(0, FRAME_SIZE + 100));
  });

  it('swapping, duplicating, dropping or appending chunks', async () => {
    const { header } = await recordPromise;
    const f = await frames();
    const [c0, c1, c2, c3, c4] = f as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];
    const cases = {
      swap: [c1, c0, c2, c3, c4],
      swapLast: [c0, c1, c2, c4, c3],
      duplicate: [c0, c1, c1, c2, c3, c4],
      duplicateLast: [c0, c1, c2, c3, c4, c4],
      drop: [c0, c2, c3, c4],
      appendFirst: [c0, c1, c2, c3, c4, c0],
      appendBytes: [c0, c1, c2, c3, c4, new Uint8Array(16)],
    };
    for (const frameList of Object.values(cases)) await expectOpaque(header, concatBytes(frameList));
    // Chunks of another record under another key do not fit either.
    const other = await encryptRecord({ data, metadata, recipients: [alice.publicKey] });
    await expectOpaque(header, concatBytes([c0, other.payload.subarray(FRAME_SIZE, 2 * FRAME_SIZE), c2, c3, c4]));
    await expectOpaque(header, other.payload);
  });

  it('a wrong recipient, or a payload under another header', async () => {
    const { header, payload } = await recordPromise;
    await expectOpaque(header, payload, generateIdentity());
    const other = await encryptRecord({ data, metadata, recipients: [alice.publicKey] });
    await expectOpaque(other.header, payload);
    await expectOpaque(new Uint8Array([0xa0]), payload);
    await expectOpaque(new Uint8Array(0), payload);
  });
});
