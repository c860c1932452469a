/** A small seeded generator of numbers in [0, 1) for reproducible test inputs (a 32-bit linear congruential one). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
}
