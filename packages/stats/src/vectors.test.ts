import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import vectors from '../test/vectors/stats-v1.json' with { type: 'json' };
import { InvalidReportError } from './errors.js';
import { reportDistribution } from './mechanism.js';
import { decodeReport, decodeReportIndex, encodeReport, REPORT_LENGTH } from './report.js';
import { defineSchema } from './schema.js';

describe('golden vectors (test/vectors/stats-v1.json)', () => {
  for (const vector of vectors.cases) {
    it(`schema of ${vector.schema.categories.length} categories, ε = ${vector.schema.epsilon}`, () => {
      const schema = defineSchema(vector.schema);
      expect(schema.hash).toBe(vector.hash);
      for (const { category, hex } of vector.reports) {
        expect(bytesToHex(encodeReport(schema, category))).toBe(hex);
        expect(decodeReport(schema, hexToBytes(hex))).toBe(category);
      }
      const d = vector.schema.categories.length;
      for (const { conditions, none, first, last } of vector.distributions) {
        const distribution = reportDistribution(schema, conditions);
        expect(distribution[0]).toBeCloseTo(none, 14);
        expect(distribution[1]).toBeCloseTo(first, 14);
        expect(distribution[d]).toBeCloseTo(last, 14);
      }
    });
  }
});

const schemaArbitrary = fc
  .record({
    d: fc.integer({ min: 1, max: 40 }),
    epsilon: fc.double({ min: 0.05, max: 10, noNaN: true }),
    l: fc.integer({ min: 1, max: 40 }),
  })
  .map(({ d, epsilon, l }) =>
    defineSchema({
      categories: Array.from({ length: d }, (_, i) => `K${i}`),
      epsilon,
      maxConditions: Math.min(l, d),
    }),
  );

describe('properties', () => {
  it('any two condition sets: every output within a factor e^ε (any d, ℓ, ε)', () => {
    fc.assert(
      fc.property(
        schemaArbitrary,
        fc.array(fc.nat(), { maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (schema, a, b) => {
          const d = schema.categories.length;
          const P = reportDistribution(
            schema,
            a.map((i) => `K${i % d}`),
          );
          const Q = reportDistribution(
            schema,
            b.map((i) => `K${i % d}`),
          );
          const bound = Math.exp(schema.epsilon) * (1 + 1e-9);
          let sum = 0;
          for (let y = 0; y < P.length; y++) {
            sum += P[y] as number;
            if ((P[y] as number) > bound * (Q[y] as number)) return false;
          }
          return Math.abs(sum - 1) < 1e-9;
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it('reports round-trip, and any 11 bytes either decode to a report that re-encodes identically or are refused', () => {
    fc.assert(
      fc.property(schemaArbitrary, fc.nat(), fc.uint8Array({ minLength: 0, maxLength: 13 }), (schema, pick, bytes) => {
        const d = schema.categories.length;
        const category = pick % (d + 1) === d ? null : (schema.categories[pick % (d + 1)] as string);
        if (decodeReport(schema, encodeReport(schema, category)) !== category) return false;
        let index: number;
        try {
          index = decodeReportIndex(schema, bytes);
        } catch (error) {
          return error instanceof InvalidReportError;
        }
        const again = encodeReport(schema, index < 0 ? null : (schema.categories[index] as string));
        return bytes.length === REPORT_LENGTH && bytesToHex(again) === bytesToHex(bytes);
      }),
      { seed: 43, numRuns: 500 },
    );
  });
});
