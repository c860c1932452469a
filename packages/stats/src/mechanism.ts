import { InvalidConditionError } from './errors.js';
import { cryptoRandom, type RandomSource, uniform } from './random.js';
import type { StatsSchema } from './schema.js';

/**
 * The constants of the set randomised response of a schema with d categories, ε and ℓ = maxConditions.
 *
 * A report names one category or none. With the patient's (at most ℓ) conditions S and Z = ℓ·e^ε + d:
 * P(category i) = e^ε/Z if i ∈ S, 1/Z if i ∉ S, and P(none) = ((ℓ − |S|)·e^ε + |S|)/Z.
 */
export interface MechanismParameters {
  /** d, the number of categories. */
  readonly categories: number;
  /** ℓ. */
  readonly maxConditions: number;
  /** e^ε. */
  readonly weight: number;
  /** Z = ℓ·e^ε + d. */
  readonly normalizer: number;
  /** p = P(a report names category i | the patient has i) = e^ε/Z. */
  readonly p: number;
  /** q = P(a report names category i | the patient has not i) = 1/Z. */
  readonly q: number;
}

/**
 * The constants p, q, Z of a schema's randomiser.
 *
 * @example
 * ```ts
 * import { defineSchema, mechanismParameters } from '@mhrchain/stats';
 *
 * const { p, q } = mechanismParameters(defineSchema({ categories: ['A', 'B'], epsilon: 1, maxConditions: 1 }));
 * p / q; // e¹ ≈ 2.718
 * ```
 */
export function mechanismParameters(schema: StatsSchema): MechanismParameters {
  const d = schema.categories.length;
  const weight = Math.exp(schema.epsilon);
  const normalizer = schema.maxConditions * weight + d;
  return {
    categories: d,
    maxConditions: schema.maxConditions,
    weight,
    normalizer,
    p: weight / normalizer,
    q: 1 / normalizer,
  };
}

/** Category indices of `conditions` (deduplicated), or a typed error for an unknown one. */
export function conditionIndices(schema: StatsSchema, conditions: Iterable<string>): number[] {
  const seen = new Set<number>();
  for (const condition of conditions) {
    const index = schema.index.get(condition);
    if (index === undefined) throw new InvalidConditionError({ condition });
    seen.add(index);
  }
  return [...seen];
}

/**
 * The exact output distribution of the randomiser for a patient with `conditions`: element 0 is P(none),
 * element i + 1 is P(category i). Used to check the ε guarantee; a patient with more than ℓ conditions keeps
 * each with probability ℓ/|S|.
 *
 * @example
 * ```ts
 * import { defineSchema, reportDistribution } from '@mhrchain/stats';
 *
 * const schema = defineSchema({ categories: ['A', 'B', 'C'], epsilon: 1, maxConditions: 2 });
 * reportDistribution(schema, ['A']); // Float64Array [P(none), P(A), P(B), P(C)]
 * ```
 */
export function reportDistribution(schema: StatsSchema, conditions: Iterable<string>): Float64Array {
  const { categories: d, maxConditions: l, weight, normalizer } = mechanismParameters(schema);
  const indices = conditionIndices(schema, conditions);
  const s = indices.length;
  const out = new Float64Array(d + 1).fill(1 / normalizer);
  const keep = s > l ? l / s : 1;
  for (const i of indices) out[i + 1] = (keep * weight + (1 - keep)) / normalizer;
  out[0] = s > l ? l / normalizer : ((l - s) * weight + s) / normalizer;
  return out;
}

/**
 * Randomises a set of category indices (distinct, each in [0, d)). Returns the reported category index, or -1
 * for none. `scratch` must hold at least `count` entries and is overwritten. Allocation-free hot path of
 * {@link randomizeConditions} and of simulations.
 *
 * @internal
 */
export function randomizeIndices(
  parameters: MechanismParameters,
  indices: Int32Array | number[],
  count: number,
  random: RandomSource,
): number {
  const { categories: d, maxConditions: l, weight, normalizer } = parameters;
  let s = count;
  if (s > l) {
    // Keep a uniformly random ℓ-subset: partial Fisher–Yates over the first ℓ places.
    for (let j = 0; j < l; j++) {
      const k = j + Math.floor(uniform(random) * (s - j));
      const t = indices[j] as number;
      indices[j] = indices[k] as number;
      indices[k] = t;
    }
    s = l;
  }
  let x = uniform(random) * normalizer;
  const held = s * weight;
  if (x < held) return indices[Math.min(s - 1, Math.floor(x / weight))] as number;
  x -= held;
  if (x < d - s) {
    // The ⌊x⌋-th category the patient does not hold (after truncation).
    let rank = Math.floor(x);
    for (let c = 0; c < d; c++) {
      let isHeld = false;
      for (let j = 0; j < s; j++) {
        if (indices[j] === c) {
          isHeld = true;
          break;
        }
      }
      if (isHeld) continue;
      if (rank === 0) return c;
      rank--;
    }
  }
  return -1;
}

/** Options of {@link randomizeConditions}. */
export interface RandomizeOptions {
  /** The randomness; defaults to {@link cryptoRandom}. Pass a seeded one only in tests and simulations. */
  random?: RandomSource;
}

/**
 * Runs the ε-LDP randomiser on a patient's conditions and returns the category the report names, or `null` for
 * none. Whatever the conditions (none, one, many), every possible output is at most e^ε times more likely for one
 * patient than for any other, so the output reveals the conditions only within ε.
 *
 * @example
 * ```ts
 * import { defineSchema, randomizeConditions } from '@mhrchain/stats';
 *
 * const schema = defineSchema({ categories: ['I10', 'E11', 'J45'], epsilon: 1, maxConditions: 2 });
 * randomizeConditions(schema, ['I10', 'E11']); // 'I10', 'E11', 'J45' or null, at random
 * ```
 */
export function randomizeConditions(
  schema: StatsSchema,
  conditions: Iterable<string>,
  options: RandomizeOptions = {},
): string | null {
  const indices = conditionIndices(schema, conditions);
  const index = randomizeIndices(
    mechanismParameters(schema),
    indices,
    indices.length,
    options.random ?? cryptoRandom(),
  );
  return index < 0 ? null : (schema.categories[index] as string);
}
