import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { InvalidStatsParametersError } from './errors.js';

/** A 0x-prefixed hex string. */
export type Hex = `0x${string}`;

/** The identifier of the randomiser a schema uses (byte 0 of the schema hash input after the tag). */
export const SET_RANDOMIZED_RESPONSE = 1;

/** The largest number of categories a schema may list (category indices are 16-bit in a report, 0 means none). */
export const MAX_CATEGORIES = 0xfffe;

/** Parameters of {@link defineSchema}. */
export interface DefineSchemaParameters {
  /** The categories patients may report, e.g. ICD-10 chapters or codes. Unique, non-empty, order matters. */
  categories: readonly string[];
  /** The privacy parameter ε of one report (the whole report, whatever the number of conditions). */
  epsilon: number;
  /**
   * ℓ: the number of conditions a report can carry. A patient with more has ℓ of them chosen uniformly at random
   * (those estimates are then slightly low; pick ℓ above nearly every patient's count). Larger ℓ costs accuracy.
   */
  maxConditions: number;
}

/** A statistics schema: what is asked, at which ε, bound into every report by its hash. */
export interface StatsSchema {
  /** Schema format version (1). */
  readonly version: 1;
  /** The randomiser ({@link SET_RANDOMIZED_RESPONSE}). */
  readonly mechanism: typeof SET_RANDOMIZED_RESPONSE;
  /** The categories, in order. */
  readonly categories: readonly string[];
  /** ε of one report. */
  readonly epsilon: number;
  /** ℓ, the number of conditions a report can carry. */
  readonly maxConditions: number;
  /** SHA-256 of the canonical encoding: what a round on chain names as its `schemaHash`. */
  readonly hash: Hex;
  /** {@link StatsSchema.hash} as bytes. */
  readonly hashBytes: Uint8Array;
  /** Index of each category. */
  readonly index: ReadonlyMap<string, number>;
}

const TAG = utf8ToBytes('mhrchain/stats/schema/v1');

/**
 * Defines (validates and hashes) a statistics schema.
 *
 * The hash covers the tag `mhrchain/stats/schema/v1`, the mechanism, ε (IEEE-754 binary64, big-endian), ℓ and the
 * length-prefixed UTF-8 category list, so a report made for one list or ε can never be counted under another.
 *
 * @example
 * ```ts
 * import { defineSchema } from '@mhrchain/stats';
 *
 * const schema = defineSchema({ categories: ['I10', 'E11', 'J45'], epsilon: 1, maxConditions: 2 });
 * schema.hash; // '0x…' (32 bytes), the round's schemaHash on chain
 * ```
 */
export function defineSchema(parameters: DefineSchemaParameters): StatsSchema {
  const { categories, epsilon, maxConditions } = parameters;
  if (!Array.isArray(categories) || categories.length === 0 || categories.length > MAX_CATEGORIES)
    throw new InvalidStatsParametersError(`A schema needs between 1 and ${MAX_CATEGORIES} categories.`);
  if (typeof epsilon !== 'number' || !Number.isFinite(epsilon) || epsilon <= 0 || epsilon > 50)
    throw new InvalidStatsParametersError('ε must be a finite number in (0, 50].', { details: String(epsilon) });
  if (!Number.isInteger(maxConditions) || maxConditions < 1 || maxConditions > categories.length)
    throw new InvalidStatsParametersError('maxConditions must be an integer between 1 and the number of categories.', {
      details: String(maxConditions),
    });
  const index = new Map<string, number>();
  const encoded: Uint8Array[] = [];
  for (const [i, category] of categories.entries()) {
    if (typeof category !== 'string' || category.length === 0)
      throw new InvalidStatsParametersError('Categories must be non-empty strings.');
    if (index.has(category)) throw new InvalidStatsParametersError('Categories must be unique.', { details: category });
    const bytes = utf8ToBytes(category);
    if (bytes.length > 0xffff)
      throw new InvalidStatsParametersError('A category name is too long.', { details: category });
    index.set(category, i);
    encoded.push(bytes);
  }
  const size = TAG.length + 1 + 1 + 8 + 2 + 2 + encoded.reduce((sum, bytes) => sum + 2 + bytes.length, 0);
  const input = new Uint8Array(size);
  const view = new DataView(input.buffer);
  input.set(TAG, 0);
  let offset = TAG.length;
  input[offset++] = 0;
  input[offset++] = SET_RANDOMIZED_RESPONSE;
  view.setFloat64(offset, epsilon);
  offset += 8;
  view.setUint16(offset, maxConditions);
  offset += 2;
  view.setUint16(offset, categories.length);
  offset += 2;
  for (const bytes of encoded) {
    view.setUint16(offset, bytes.length);
    input.set(bytes, offset + 2);
    offset += 2 + bytes.length;
  }
  const hashBytes = sha256(input);
  return Object.freeze({
    version: 1,
    mechanism: SET_RANDOMIZED_RESPONSE,
    categories: Object.freeze([...categories]),
    epsilon,
    maxConditions,
    hash: `0x${bytesToHex(hashBytes)}` as Hex,
    hashBytes,
    index,
  });
}
