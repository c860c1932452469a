import { type MechanismParameters, randomizeIndices } from '../mechanism.js';
import type { RandomSource } from '../random.js';

/** A simulated population: membership flags (patient-major, d per patient) and true counts per category. */
export interface Population {
  readonly size: number;
  readonly categories: number;
  readonly flags: Uint8Array;
  readonly trueCounts: Uint32Array;
}

/** Draws `size` patients, each holding category i independently with probability prevalences[i]. */
export function simulatePopulation(prevalences: ArrayLike<number>, size: number, random: RandomSource): Population {
  const d = prevalences.length;
  const flags = new Uint8Array(size * d);
  const trueCounts = new Uint32Array(d);
  const thresholds = new Float64Array(d);
  for (let i = 0; i < d; i++) thresholds[i] = (prevalences[i] as number) * 4294967296;
  for (let u = 0, o = 0; u < size; u++) {
    for (let i = 0; i < d; i++, o++) {
      if (random.nextUint32() < (thresholds[i] as number)) {
        flags[o] = 1;
        trueCounts[i] = (trueCounts[i] as number) + 1;
      }
    }
  }
  return { size, categories: d, flags, trueCounts };
}

/** Every patient of `population` randomises once; returns how many reports named each category. */
export function simulateReportCounts(
  parameters: MechanismParameters,
  population: Population,
  random: RandomSource,
  counts: Uint32Array = new Uint32Array(population.categories),
): Uint32Array {
  const d = population.categories;
  counts.fill(0);
  const scratch = new Int32Array(d);
  const { flags } = population;
  for (let u = 0, o = 0; u < population.size; u++, o += d) {
    let s = 0;
    for (let i = 0; i < d; i++) if (flags[o + i] === 1) scratch[s++] = i;
    const y = randomizeIndices(parameters, scratch, s, random);
    if (y >= 0) counts[y] = (counts[y] as number) + 1;
  }
  return counts;
}

/** Expected share of patients holding category i after truncation to ℓ (the estimator's target). */
export function truncatedShare(population: Population, maxConditions: number): Float64Array {
  const d = population.categories;
  const share = new Float64Array(d);
  for (let u = 0, o = 0; u < population.size; u++, o += d) {
    let s = 0;
    for (let i = 0; i < d; i++) s += population.flags[o + i] as number;
    if (s === 0) continue;
    const keep = s > maxConditions ? maxConditions / s : 1;
    for (let i = 0; i < d; i++) if (population.flags[o + i] === 1) share[i] = (share[i] as number) + keep;
  }
  for (let i = 0; i < d; i++) share[i] = (share[i] as number) / population.size;
  return share;
}
