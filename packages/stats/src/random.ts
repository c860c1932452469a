import { InvalidStatsParametersError } from './errors.js';

/**
 * A source of uniformly distributed 32-bit unsigned integers. The randomiser draws all its randomness from one.
 * Real reports use {@link cryptoRandom}; tests and benchmarks use {@link seededRandom} so runs are reproducible.
 */
export interface RandomSource {
  /** A uniformly distributed integer in [0, 2³²). */
  nextUint32(): number;
}

const BATCH = 256;

/**
 * The platform CSPRNG (`crypto.getRandomValues`), read in batches. Use it for every real report: a predictable
 * generator would let anyone undo the randomisation.
 *
 * @example
 * ```ts
 * import { cryptoRandom } from '@mhrchain/stats';
 *
 * const random = cryptoRandom();
 * random.nextUint32(); // e.g. 3051423717
 * ```
 */
export function cryptoRandom(): RandomSource {
  const buffer = new Uint32Array(BATCH);
  let index = BATCH;
  return {
    nextUint32() {
      if (index === BATCH) {
        globalThis.crypto.getRandomValues(buffer);
        index = 0;
      }
      return buffer[index++] as number;
    },
  };
}

/**
 * A fast, seeded, NOT cryptographic generator (xoshiro128** seeded through splitmix32), for reproducible tests,
 * simulations and benchmarks only. Never use it for real reports.
 *
 * @example
 * ```ts
 * import { seededRandom } from '@mhrchain/stats';
 *
 * const a = seededRandom(42);
 * const b = seededRandom(42);
 * a.nextUint32() === b.nextUint32(); // true
 * ```
 */
export function seededRandom(seed: number): RandomSource {
  if (!Number.isSafeInteger(seed)) throw new InvalidStatsParametersError('The seed must be a safe integer.');
  let state = (seed ^ Math.floor(seed / 0x1_0000_0000)) >>> 0;
  const splitmix = () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let s0 = splitmix();
  let s1 = splitmix();
  let s2 = splitmix();
  let s3 = splitmix();
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;
  return {
    nextUint32() {
      const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
      return result;
    },
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * A uniform float in [0, 1) with 53 random bits, drawn from `random`.
 *
 * @example
 * ```ts
 * import { seededRandom, uniform } from '@mhrchain/stats';
 *
 * uniform(seededRandom(1)); // a number in [0, 1)
 * ```
 */
export function uniform(random: RandomSource): number {
  const high = random.nextUint32() >>> 5;
  const low = random.nextUint32() >>> 6;
  return (high * 67108864 + low) / 9007199254740992;
}
