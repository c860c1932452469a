import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvalidReportError, InvalidStatsParametersError } from './errors.js';
import { decodeReport, decodeReportIndex, encodeReport, REPORT_LENGTH } from './report.js';
import { defineSchema } from './schema.js';

const schema = defineSchema({ categories: ['I10', 'E11', 'J45'], epsilon: 1, maxConditions: 2 });

describe('schema', () => {
  it('hashes the documented canonical encoding (checked with an independent SHA-256)', () => {
    const parts: Buffer[] = [Buffer.from('mhrchain/stats/schema/v1'), Buffer.from([0, 1])];
    const numbers = Buffer.alloc(12);
    numbers.writeDoubleBE(1, 0);
    numbers.writeUInt16BE(2, 8);
    numbers.writeUInt16BE(3, 10);
    parts.push(numbers);
    for (const c of ['I10', 'E11', 'J45']) parts.push(Buffer.from([0, c.length]), Buffer.from(c));
    expect(schema.hash).toBe(`0x${createHash('sha256').update(Buffer.concat(parts)).digest('hex')}`);
  });

  it('binds ε, ℓ and the category list and order', () => {
    const hashes = new Set([
      schema.hash,
      defineSchema({ categories: ['I10', 'E11', 'J45'], epsilon: 2, maxConditions: 2 }).hash,
      defineSchema({ categories: ['I10', 'E11', 'J45'], epsilon: 1, maxConditions: 3 }).hash,
      defineSchema({ categories: ['E11', 'I10', 'J45'], epsilon: 1, maxConditions: 2 }).hash,
      defineSchema({ categories: ['I10', 'E11'], epsilon: 1, maxConditions: 2 }).hash,
    ]);
    expect(hashes.size).toBe(5);
  });

  it.each([
    [{ categories: [], epsilon: 1, maxConditions: 1 }],
    [{ categories: ['A', 'A'], epsilon: 1, maxConditions: 1 }],
    [{ categories: ['A', ''], epsilon: 1, maxConditions: 1 }],
    [{ categories: ['A'], epsilon: 0, maxConditions: 1 }],
    [{ categories: ['A'], epsilon: Number.POSITIVE_INFINITY, maxConditions: 1 }],
    [{ categories: ['A'], epsilon: 1, maxConditions: 2 }],
    [{ categories: ['A'], epsilon: 1, maxConditions: 0.5 }],
  ])('rejects %j', (parameters) => {
    expect(() => defineSchema(parameters)).toThrow(InvalidStatsParametersError);
  });
});

describe('report encoding', () => {
  it('round-trips every category and none in 11 bytes', () => {
    for (const category of [null, ...schema.categories]) {
      const bytes = encodeReport(schema, category);
      expect(bytes.length).toBe(REPORT_LENGTH);
      expect(bytes[0]).toBe(1);
      expect(decodeReport(schema, bytes)).toBe(category);
    }
    expect([...encodeReport(schema, 'J45').subarray(1, 9)]).toEqual([...schema.hashBytes.subarray(0, 8)]);
    expect(decodeReportIndex(schema, encodeReport(schema, 'J45'))).toBe(2);
  });

  const valid = encodeReport(schema, 'E11');
  const tampered = (index: number, value: (old: number) => number) => {
    const bytes = Uint8Array.from(valid);
    bytes[index] = value(bytes[index] as number);
    return bytes;
  };
  it.each([
    ['empty', new Uint8Array(0)],
    ['truncated', valid.subarray(0, 10)],
    ['extended', Uint8Array.from([...valid, 0])],
    ['unknown version', tampered(0, () => 2)],
    ['another schema', tampered(3, (old) => old ^ 1)],
    ['category out of range', tampered(10, () => 4)],
    ['high byte out of range', tampered(9, () => 1)],
  ])('refuses a report that is %s', (_, bytes) => {
    expect(() => decodeReport(schema, bytes)).toThrow(InvalidReportError);
  });

  it('refuses to encode a category outside the schema', () => {
    expect(() => encodeReport(schema, 'Z99')).toThrow(InvalidReportError);
  });
});
