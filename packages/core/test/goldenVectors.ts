import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { encryptRecordWith } from '../src/envelope.js';
import { importIdentity } from '../src/identity.js';
import type { RandomBytes } from '../src/internal/random.js';
import type { RecordMetadataInput } from '../src/metadata.js';
import { rewrapEnvelopeWith } from '../src/rewrapEnvelope.js';

/**
 * Deterministic "randomness" for golden vectors: the byte stream SHA-256(seed || u32be(0)) || SHA-256(seed ||
 * u32be(1)) || ...; each call takes the next `length` bytes. Encryption draws, in order: the data key (32), the
 * header salt (16), then one ephemeral secret key (32) per recipient in the order given.
 */
export function seededRandom(seed: string): RandomBytes {
  const seedBytes = new TextEncoder().encode(seed);
  let counter = 0;
  let pool = new Uint8Array(0);
  return (length) => {
    while (pool.length < length) {
      const block = new Uint8Array(seedBytes.length + 4);
      block.set(seedBytes);
      new DataView(block.buffer).setUint32(seedBytes.length, counter++);
      const next = new Uint8Array(pool.length + 32);
      next.set(pool);
      next.set(sha256(block), pool.length);
      pool = next;
    }
    const out = pool.slice(0, length);
    pool = pool.slice(length);
    return out;
  };
}

/** Plaintext of `size` bytes: x = (x * 1103515245 + 12345) mod 2^32 from x = seed, each byte the top 8 bits. */
export function lcgBytes(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed >>> 0;
  for (let i = 0; i < size; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

export interface GoldenCase {
  name: string;
  seed: string;
  /** Recipients' X25519 secret keys (hex); they are encrypted to in this order. */
  recipientSecretKeys: string[];
  metadata: RecordMetadataInput & { created: string };
  plaintext: { hex: string } | { lcg: { size: number; seed: number } };
  expected: {
    cid: string;
    header: string;
    payloadCid: string;
    /** Payload hex when small, else its SHA-256. */
    payload?: string;
    payloadSha256: string;
    blockCids: string[];
  };
  rewrap?: {
    seed: string;
    /** Index of the recipient that re-wraps. */
    by: number;
    addSecretKeys: string[];
    expected: { cid: string; header: string };
  };
}

export function plaintextOf(c: Pick<GoldenCase, 'plaintext'>): Uint8Array {
  return 'hex' in c.plaintext ? hexToBytes(c.plaintext.hex) : lcgBytes(c.plaintext.lcg.size, c.plaintext.lcg.seed);
}

/** Recomputes a case's expected values from its inputs. */
export async function computeCase(
  c: Omit<GoldenCase, 'expected' | 'rewrap'> & { rewrap?: Omit<NonNullable<GoldenCase['rewrap']>, 'expected'> },
): Promise<GoldenCase> {
  const identities = c.recipientSecretKeys.map((k) => importIdentity(hexToBytes(k)));
  const record = await encryptRecordWith(
    { data: plaintextOf(c), metadata: c.metadata, recipients: identities.map((i) => i.publicKey) },
    seededRandom(c.seed),
  );
  const out: GoldenCase = {
    ...c,
    rewrap: undefined,
    expected: {
      cid: record.cid.toString(),
      header: bytesToHex(record.header),
      payloadCid: record.payloadCid.toString(),
      ...(record.payload.length <= 512 ? { payload: bytesToHex(record.payload) } : {}),
      payloadSha256: bytesToHex(sha256(record.payload)),
      blockCids: record.blocks.map((b) => b.cid.toString()),
    },
  };
  if (c.rewrap) {
    const rewrapped = await rewrapEnvelopeWith(
      {
        header: record.header,
        identity: identities[c.rewrap.by]!,
        add: c.rewrap.addSecretKeys.map((k) => importIdentity(hexToBytes(k)).publicKey),
      },
      seededRandom(c.rewrap.seed),
    );
    out.rewrap = { ...c.rewrap, expected: { cid: rewrapped.cid.toString(), header: bytesToHex(rewrapped.header) } };
  } else delete out.rewrap;
  return out;
}
