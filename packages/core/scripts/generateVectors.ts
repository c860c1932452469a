/**
 * Writes test/vectors/envelope-v1.json, the golden vectors of the envelope format. Run only when the format changes
 * on purpose (a new version): `pnpm exec tsx scripts/generateVectors.ts`.
 */
import { writeFileSync } from 'node:fs';
import { computeCase } from '../test/goldenVectors.js';

const key = (byte: number) => byte.toString(16).padStart(2, '0').repeat(32);
const created = '2026-11-25T10:00:00.000Z';

const cases = [
  {
    name: 'empty record, one recipient',
    seed: 'mhrchain golden 1',
    recipientSecretKeys: [key(0x01)],
    metadata: { mediaType: 'application/octet-stream', created },
    plaintext: { hex: '' },
  },
  {
    name: 'short FHIR record, two recipients, re-wrapped to add a third',
    seed: 'mhrchain golden 2',
    recipientSecretKeys: [key(0x01), key(0x02)],
    metadata: {
      mediaType: 'application/fhir+json',
      created,
      resourceType: 'Observation',
      title: 'Blood pressure',
    },
    plaintext: { hex: Buffer.from('{"resourceType":"Observation","status":"final"}').toString('hex') },
    rewrap: { seed: 'mhrchain golden 2 rewrap', by: 1, addSecretKeys: [key(0x03)] },
  },
  {
    name: 'exactly one full chunk (65536 bytes)',
    seed: 'mhrchain golden 3',
    recipientSecretKeys: [key(0x02)],
    metadata: { mediaType: 'application/octet-stream', created },
    plaintext: { lcg: { size: 65536, seed: 3 } },
  },
  {
    name: 'three full chunks and five bytes, three recipients',
    seed: 'mhrchain golden 4',
    recipientSecretKeys: [key(0x01), key(0x02), key(0x03)],
    metadata: { mediaType: 'application/dicom', created, title: 'CT slice' },
    plaintext: { lcg: { size: 3 * 65536 + 5, seed: 4 } },
  },
];

const out = [];
for (const c of cases) out.push(await computeCase(c));
const file = new URL('../test/vectors/envelope-v1.json', import.meta.url);
writeFileSync(
  file,
  `${JSON.stringify(
    {
      description:
        'Golden vectors of the MHR Chain envelope v1 (docs/spec/envelope.md). Randomness: see test/goldenVectors.ts (seededRandom); LCG plaintexts: lcgBytes.',
      cases: out,
    },
    null,
    2,
  )}\n`,
);
console.log(`wrote ${out.length} cases to ${file.pathname}`);
