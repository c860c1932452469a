// Fits version 3's constants (src/internal/rans.ts: the stage-1 starting weights by order and the symbol tables of
// the 16 contexts) on the 22 DS1 MIT-BIH records, starting from the current constants, and prints them with the
// coding cost they give (the ideal cost of the tables on the records, in bits/sample of the coded values):
//
//   MHR_ECG_CORPUS=<dir> pnpm --filter @mhrchain/ecg exec tsx scripts/fit-frame-tables.ts
//
// Weights: the mean, per fixed order and per channel set (channel 0, other channels), of every 1 s frame's final
// weights, in 1/1024. Tables: every context's symbol counts over the records, scaled to 2^15 with every symbol at
// least 1 (the largest takes the rounding). The committed constants came from passes of this procedure (the first
// from zero weights, with version 2's summation order); one more pass moves the cost by about 0.0003 bits/sample.

import { chooseOrders, createBodyState, residualsV3 } from '../src/internal/frameBody.js';
import {
  CONTEXTS,
  contextOf,
  ESCAPE,
  MAGNITUDE_INIT,
  PROB_BITS,
  SYMBOL_FREQUENCIES,
  SYMBOLS,
} from '../src/internal/rans.js';
import { loadRecord, MITDB_NON_PACED } from '../test/data.js';

const corpus = process.env.MHR_ECG_CORPUS;
if (!corpus) throw new Error('set MHR_ECG_CORPUS to a corpus laid out as mitdb/, svdb/, ptbdb/');
const channels = 2;
const n = 360;
const bitDepth = 12;
const taps = 13;
const state = createBodyState();
const weightSums = Array.from({ length: 4 }, () => new Float64Array(2 * taps));
const weightCounts = Array.from({ length: 4 }, () => [0, 0]);
const counts = Array.from({ length: CONTEXTS }, () => new Float64Array(SYMBOLS));
let values = 0;
let rawBits = 0;
for (const name of MITDB_NON_PACED) {
  const { samples } = await loadRecord(`mitdb/${name}`, undefined, corpus);
  for (let start = 0; start + n * channels <= samples.length; start += n * channels) {
    const x = samples.subarray(start, start + n * channels);
    const orders = chooseOrders(x, channels, n);
    const v = residualsV3(state, x, channels, n, bitDepth, orders);
    for (let c = 0; c < channels; c++) {
      const set = c === 0 ? 0 : 1;
      const sums = weightSums[orders[c]!]!;
      for (let j = 0; j < taps; j++) sums[set * taps + j] = sums[set * taps + j]! + state.weights[c * taps + j]!;
      const perSet = weightCounts[orders[c]!]!;
      perSet[set] = perSet[set]! + 1;
    }
    const magnitude = [MAGNITUDE_INIT, MAGNITUDE_INIT];
    for (let i = channels; i < v.length; i++) {
      const c = i % channels;
      const a = magnitude[c]!;
      const context = contextOf((3 * a + magnitude[1 - c]!) >>> 2);
      const shift = context >>> 4;
      const u = v[i]! >= 0 ? 2 * v[i]! : -2 * v[i]! - 1;
      const symbol = Math.min(u >>> shift, ESCAPE);
      const row = counts[context & 15]!;
      row[symbol] = row[symbol]! + 1;
      rawBits += symbol === ESCAPE ? bitDepth + 5 : shift;
      values++;
      magnitude[c] = a + Math.min(Math.abs(v[i]!), 0x8000000) - (a >>> 2);
    }
  }
}

const total = 1 << PROB_BITS;
const cost = (tables: readonly (readonly number[])[]) => {
  let bits = rawBits;
  counts.forEach((row, t) => {
    row.forEach((k, s) => {
      bits -= k * Math.log2(tables[t]![s]! / total);
    });
  });
  return bits / values;
};
const fitted = counts.map((row) => {
  const sum = row.reduce((a, b) => a + b, 0);
  if (sum === 0) return Array.from({ length: SYMBOLS }, () => total / SYMBOLS);
  const f = Array.from(row, (k) => Math.max(1, Math.round((k / sum) * total)));
  const largest = f.indexOf(Math.max(...f));
  f[largest]! += total - f.reduce((a, b) => a + b, 0);
  return f;
});
const weights = weightSums.map((sums, order) =>
  Array.from(sums, (w, j) => {
    const count = weightCounts[order]![j < taps ? 0 : 1]!;
    return count ? Math.round((w / count) * 1024) : undefined;
  }),
);
console.log(`frames by order (channel 0, other): ${JSON.stringify(weightCounts)}`);
console.log(
  `coded values: ${cost(SYMBOL_FREQUENCIES).toFixed(4)} bits/sample with the current tables, ${cost(fitted).toFixed(4)} refitted`,
);
console.log('refitted starting weights (1/1024; empty where no frame had that order):');
for (const w of weights) console.log(`  [${w.map((x) => x ?? '').join(', ')}],`);
console.log('refitted symbol frequencies:');
for (const row of fitted) console.log(`  [${row.join(', ')}],`);
