import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { decryptRecord, encryptRecordWith } from '../src/envelope.js';
import { readEnvelopeHeader } from '../src/envelopeHeader.js';
import { importIdentity } from '../src/identity.js';
import { computeCase, type GoldenCase, plaintextOf, seededRandom } from './goldenVectors.js';
import golden from './vectors/envelope-v1.json' with { type: 'json' };

const cases = golden.cases as GoldenCase[];

describe('envelope v1 golden vectors', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s: re-encrypting gives the same bytes', async (_, c) => {
    const { expected, rewrap, ...inputs } = c;
    const recomputed = await computeCase({
      ...inputs,
      ...(rewrap ? { rewrap: { seed: rewrap.seed, by: rewrap.by, addSecretKeys: rewrap.addSecretKeys } } : {}),
    });
    expect(recomputed.expected.header).toBe(expected.header);
    expect(recomputed.expected.cid).toBe(expected.cid);
    expect(recomputed.expected.payloadCid).toBe(expected.payloadCid);
    expect(recomputed.expected.payloadSha256).toBe(expected.payloadSha256);
    expect(recomputed.expected.blockCids).toEqual(expected.blockCids);
    if (expected.payload !== undefined) expect(recomputed.expected.payload).toBe(expected.payload);
    expect(recomputed.rewrap?.expected).toEqual(rewrap?.expected);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s: the committed bytes open for every recipient', async (_, c) => {
    const plaintext = plaintextOf(c);
    const header = hexToBytes(c.expected.header);
    expect(readEnvelopeHeader(header).payload.toString()).toBe(c.expected.payloadCid);
    // Large payloads are not committed in full: they are rebuilt deterministically and checked against their hash.
    const payload = c.expected.payload !== undefined ? hexToBytes(c.expected.payload) : await computePayload(c);
    expect(bytesToHex(sha256(payload))).toBe(c.expected.payloadSha256);
    for (const secret of c.recipientSecretKeys) {
      const out = await decryptRecord({ header, payload, identity: importIdentity(hexToBytes(secret)) });
      expect(Buffer.from(out.data).equals(Buffer.from(plaintext))).toBe(true);
      expect(out.metadata).toEqual({ ...c.metadata, size: plaintext.length });
    }
    if (c.rewrap) {
      const rewrapped = hexToBytes(c.rewrap.expected.header);
      for (const secret of [...c.recipientSecretKeys, ...c.rewrap.addSecretKeys]) {
        const out = await decryptRecord({ header: rewrapped, payload, identity: importIdentity(hexToBytes(secret)) });
        expect(Buffer.from(out.data).equals(Buffer.from(plaintext))).toBe(true);
      }
    }
  });
});

async function computePayload(c: GoldenCase): Promise<Uint8Array> {
  const identities = c.recipientSecretKeys.map((k) => importIdentity(hexToBytes(k)));
  const record = await encryptRecordWith(
    { data: plaintextOf(c), metadata: c.metadata, recipients: identities.map((i) => i.publicKey) },
    seededRandom(c.seed),
  );
  return record.payload;
}
