import { CID } from 'multiformats/cid';
import { describe, expect, it } from 'vitest';
import { loadEnvelope, rotateEnvelope, storeEnvelope } from './envelopeStorage.js';
import { BlockNotFoundError, DecryptionError, InvalidParametersError } from './errors.js';
import { generateIdentity } from './identity.js';
import { collectBytes, equalBytes } from './internal/bytes.js';
import { rewrapEnvelope } from './rewrapEnvelope.js';
import { createMemoryStorage, type Storage } from './storage.js';

function pattern(size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 7 + (i >> 9)) & 0xff;
  return out;
}

function streamOf(data: Uint8Array, piece = 10_000): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= data.length) controller.close();
      else {
        controller.enqueue(data.slice(offset, offset + piece));
        offset += piece;
      }
    },
  });
}

describe('storeEnvelope / loadEnvelope', () => {
  const patient = generateIdentity();
  const doctor = generateIdentity();

  it('streams a record in and out with progress, and pins it', async () => {
    const storage = createMemoryStorage();
    const data = pattern(700_000);
    const stored: number[] = [];
    const result = await storeEnvelope(storage, {
      stream: streamOf(data),
      metadata: { mediaType: 'application/dicom', title: 'CT' },
      recipients: [patient.publicKey, doctor.publicKey],
      onProgress: (p) => stored.push(p.bytes),
    });
    expect(stored.at(-1)).toBe(data.length);
    expect(await storage.isPinned(result.cid)).toBe(true);
    const loaded: number[] = [];
    const record = await loadEnvelope(storage, result.cid, doctor, { onProgress: (p) => loaded.push(p.bytes) });
    expect(record.metadata).toMatchObject({ mediaType: 'application/dicom', title: 'CT', size: data.length });
    expect(record.payloadCid.equals(result.payloadCid)).toBe(true);
    expect(equalBytes(await record.bytes(), data)).toBe(true);
    expect(loaded.at(-1)).toBe(data.length);
  });

  it('seals later leaves in the memory of stored ones only when the storage copies on put', async () => {
    const data = pattern(12 * 15 * 65536 + 777); // 13 leaves: two on this thread, the rest on workers
    const given: Uint8Array[] = [];
    const memory = createMemoryStorage();
    const copying: Storage = {
      ...memory,
      copiesOnPut: true,
      async put(cid, bytes) {
        given.push(bytes);
        await memory.put(cid, bytes.slice());
      },
    };
    const kept = createMemoryStorage();
    const keptPut = kept.put;
    const keptGiven: Uint8Array[] = [];
    const keeping: Storage = {
      ...kept,
      async put(cid, bytes) {
        keptGiven.push(bytes);
        await keptPut(cid, bytes);
      },
    };
    for (const [storage, arrays] of [
      [copying, given],
      [keeping, keptGiven],
    ] as const) {
      const { cid } = await storeEnvelope(storage, {
        stream: streamOf(data, 1 << 20),
        metadata: { mediaType: 'application/octet-stream' },
        recipients: [patient.publicKey],
      });
      const record = await loadEnvelope(storage, cid, patient);
      expect(equalBytes(await record.bytes(), data)).toBe(true);
      expect(arrays.length).toBe(15); // 13 leaves, their parent, the header
    }
    // Reused memory is handed to a worker again, which leaves the array the storage was given empty.
    if (navigator.hardwareConcurrency > 1) expect(given.filter((b) => b.length === 0).length).toBeGreaterThan(0);
    // A storage that keeps what it is given keeps every block intact.
    expect(keptGiven.every((b) => b.length > 0)).toBe(true);
  });

  it('keeps records apart when stores into copying storages run at once or fail half-way', async () => {
    const memory = createMemoryStorage();
    let failAfter = Number.POSITIVE_INFINITY;
    const copying: Storage = {
      ...memory,
      copiesOnPut: true,
      async put(cid, bytes) {
        if (failAfter-- <= 0) throw new Error('disk full');
        await memory.put(cid, bytes.slice());
      },
    };
    const leaf = 15 * 65536;
    // A store that fails after a few blocks rejects with the storage's own error (not what the stopped stream says
    // next), whether or not the storage copies, and leaves nothing half-shared.
    for (const copiesOnPut of [true, false]) {
      failAfter = 4;
      await expect(
        storeEnvelope(
          { ...copying, copiesOnPut },
          {
            stream: streamOf(pattern(8 * leaf), 1 << 20),
            metadata: { mediaType: 'application/octet-stream' },
            recipients: [patient.publicKey],
          },
        ),
      ).rejects.toThrow('disk full');
    }
    failAfter = Number.POSITIVE_INFINITY;
    // Two stores at once: each record opens to its own bytes.
    const datas = [pattern(6 * leaf + 5), pattern(7 * leaf + 3).map((b) => b ^ 0x5a)];
    const stored = await Promise.all(
      datas.map((data) =>
        storeEnvelope(copying, {
          stream: streamOf(data, 300_000),
          metadata: { mediaType: 'application/octet-stream' },
          recipients: [patient.publicKey],
        }),
      ),
    );
    for (const [i, { cid }] of stored.entries()) {
      const record = await loadEnvelope(copying, cid, patient);
      expect(equalBytes(await record.bytes(), datas[i]!)).toBe(true);
    }
  });

  it('stores an already encrypted record and a small one from bytes', async () => {
    const storage = createMemoryStorage();
    const { cid } = await storeEnvelope(storage, {
      data: new TextEncoder().encode('note'),
      metadata: { mediaType: 'text/plain' },
      recipients: [patient.publicKey],
      pin: false,
    });
    expect(await storage.isPinned(cid)).toBe(false);
    const record = await loadEnvelope(storage, cid, patient);
    expect(new TextDecoder().decode(await record.bytes())).toBe('note');
    await expect(
      storeEnvelope(storage, { metadata: { mediaType: 'text/plain' }, recipients: [patient.publicKey] }),
    ).rejects.toThrow(InvalidParametersError);
  });

  it('a stranger, a missing block, a swapped block in storage: typed errors, never plaintext', async () => {
    const storage = createMemoryStorage();
    const data = pattern(2_500_000); // three payload leaves
    const { cid, payloadCid } = await storeEnvelope(storage, {
      data,
      metadata: { mediaType: 'application/octet-stream' },
      recipients: [patient.publicKey],
    });
    await expect(loadEnvelope(storage, cid, doctor)).rejects.toThrow(DecryptionError);
    await expect(loadEnvelope(storage, CID.parse(payloadCid.toString()), patient)).rejects.toThrow(DecryptionError);

    // A storage that lost a payload block: the stream errors with BlockNotFoundError.
    const lossy: Storage = {
      ...storage,
      async get(c, o) {
        if (c.code === 0x55 && c.toString().endsWith('a')) throw new BlockNotFoundError({ cid: c.toString() });
        return storage.get(c, o);
      },
    };
    // A storage that serves leaf 1 in place of leaf 2 (a buggy or hostile backend that skips hash checks).
    const leaves: CID[] = [];
    const { linksOf } = await import('./internal/walkDag.js');
    for (const link of linksOf(payloadCid, await storage.get(payloadCid))) leaves.push(link);
    const swapping: Storage = {
      ...storage,
      async get(c, o) {
        return storage.get(c.equals(leaves[2]!) ? leaves[1]! : c, o);
      },
    };
    const outcomes = await Promise.all(
      [lossy, swapping].map(async (s) => {
        const record = await loadEnvelope(s, cid, patient);
        return collectBytes(record.stream).then(
          () => 'plaintext',
          (e: unknown) => (e as Error).name,
        );
      }),
    );
    expect(['BlockNotFoundError', 'plaintext']).toContain(outcomes[0]);
    expect(outcomes[1]).toBe('DecryptionError');
  });

  it('re-wrap in storage keeps the payload; rotate makes a new payload only the new recipients open', async () => {
    const storage = createMemoryStorage();
    const data = pattern(150_000);
    const original = await storeEnvelope(storage, {
      data,
      metadata: { mediaType: 'application/fhir+json', resourceType: 'Bundle' },
      recipients: [patient.publicKey, doctor.publicKey],
    });
    const header = await storage.get(original.cid);
    const revoked = await rewrapEnvelope({ header, identity: patient, recipients: [patient.publicKey] });
    await storage.put(revoked.cid, revoked.header);
    await expect(loadEnvelope(storage, revoked.cid, doctor)).rejects.toThrow(DecryptionError);
    expect(equalBytes(await (await loadEnvelope(storage, revoked.cid, patient)).bytes(), data)).toBe(true);

    const rotated = await rotateEnvelope(storage, {
      cid: original.cid,
      identity: doctor,
      recipients: [patient.publicKey],
      metadata: { title: 'rotated' },
    });
    expect(rotated.payloadCid.equals(original.payloadCid)).toBe(false);
    const record = await loadEnvelope(storage, rotated.cid, patient);
    expect(record.metadata).toMatchObject({ resourceType: 'Bundle', title: 'rotated', size: data.length });
    expect(record.metadata.created).toBe(original.metadata.created);
    expect(equalBytes(await record.bytes(), data)).toBe(true);
    await expect(loadEnvelope(storage, rotated.cid, doctor)).rejects.toThrow(DecryptionError);
  });
});
