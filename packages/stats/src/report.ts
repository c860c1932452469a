import { InvalidReportError } from './errors.js';
import type { StatsSchema } from './schema.js';

/** Report format version. */
export const REPORT_VERSION = 1;
/** Length of a version-1 report in bytes: version (1), schema hash prefix (8), category (2). */
export const REPORT_LENGTH = 11;
const HASH_PREFIX = 8;

/**
 * Encodes a randomised report: byte 0 the version (1), bytes 1–8 the first 8 bytes of the schema hash, bytes
 * 9–10 the reported category as a big-endian uint16 (0 = none, i + 1 = category i). 11 bytes in all.
 *
 * @example
 * ```ts
 * import { defineSchema, encodeReport } from '@mhrchain/stats';
 *
 * const schema = defineSchema({ categories: ['I10', 'E11'], epsilon: 1, maxConditions: 2 });
 * encodeReport(schema, 'E11'); // Uint8Array(11) [1, …hash prefix…, 0, 2]
 * ```
 */
export function encodeReport(schema: StatsSchema, category: string | null): Uint8Array {
  let symbol = 0;
  if (category !== null) {
    const index = schema.index.get(category);
    if (index === undefined) throw new InvalidReportError('The category is not in the schema.', { details: category });
    symbol = index + 1;
  }
  const out = new Uint8Array(REPORT_LENGTH);
  out[0] = REPORT_VERSION;
  out.set(schema.hashBytes.subarray(0, HASH_PREFIX), 1);
  out[9] = symbol >>> 8;
  out[10] = symbol & 0xff;
  return out;
}

/**
 * Decodes a report into the category index it names (-1 for none), checking length, version, schema binding and
 * range. Throws {@link InvalidReportError} otherwise.
 *
 * @example
 * ```ts
 * import { decodeReportIndex, defineSchema, encodeReport } from '@mhrchain/stats';
 *
 * const schema = defineSchema({ categories: ['I10', 'E11'], epsilon: 1, maxConditions: 2 });
 * decodeReportIndex(schema, encodeReport(schema, 'E11')); // 1
 * ```
 */
export function decodeReportIndex(schema: StatsSchema, report: Uint8Array): number {
  if (!(report instanceof Uint8Array) || report.length !== REPORT_LENGTH)
    throw new InvalidReportError('A report must be 11 bytes.', { details: `got ${report?.length} bytes` });
  if (report[0] !== REPORT_VERSION)
    throw new InvalidReportError('Unknown report version.', { details: String(report[0]) });
  for (let i = 0; i < HASH_PREFIX; i++)
    if (report[1 + i] !== schema.hashBytes[i]) throw new InvalidReportError('The report was made for another schema.');
  const symbol = ((report[9] as number) << 8) | (report[10] as number);
  if (symbol > schema.categories.length)
    throw new InvalidReportError('Category index out of range.', { details: String(symbol) });
  return symbol - 1;
}

/**
 * Decodes a report into the category it names, or `null` for none.
 *
 * @example
 * ```ts
 * import { decodeReport, defineSchema, encodeReport } from '@mhrchain/stats';
 *
 * const schema = defineSchema({ categories: ['I10', 'E11'], epsilon: 1, maxConditions: 2 });
 * decodeReport(schema, encodeReport(schema, null)); // null
 * ```
 */
export function decodeReport(schema: StatsSchema, report: Uint8Array): string | null {
  const index = decodeReportIndex(schema, report);
  return index < 0 ? null : (schema.categories[index] as string);
}
