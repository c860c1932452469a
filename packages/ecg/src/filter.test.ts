import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { designButterworth, designEcgFilter, designNotch, magnitudeResponse } from './biquad.js';
import { InvalidFilterParametersError } from './errors.js';
import { createFilterStream, createStreamingFilter, filterSignal, filterZeroPhase } from './filter.js';

const dB = (x: number) => 20 * Math.log10(x);

function sine(frequency: number, sampleRate: number, n: number, channels = 1): Float64Array {
  const x = new Float64Array(n * channels);
  for (let t = 0; t < n; t++)
    for (let c = 0; c < channels; c++) x[t * channels + c] = Math.sin((2 * Math.PI * frequency * t) / sampleRate + c);
  return x;
}

/** Measured gain of a filter on a steady sine (after the transient), from the filtered signal itself. */
function measuredGain(sections: ReturnType<typeof designButterworth>, frequency: number, sampleRate: number): number {
  const n = Math.round(sampleRate * 60);
  const y = filterSignal(sine(frequency, sampleRate, n), sections);
  let energy = 0;
  for (let t = n / 2; t < n; t++) energy += y[t]! * y[t]!;
  return Math.sqrt((2 * energy) / (n / 2));
}

describe('filter design', () => {
  it('Butterworth low- and high-pass filters are −3 dB at the cutoff for every order', () => {
    for (const order of [1, 2, 3, 4, 5, 8]) {
      for (const [type, cutoff] of [
        ['lowpass', 40],
        ['highpass', 0.5],
        ['lowpass', 150],
        ['highpass', 0.05],
      ] as const) {
        const sections = designButterworth({ type, order, cutoff, sampleRate: 360 });
        expect(sections).toHaveLength(Math.ceil(order / 2));
        expect(dB(magnitudeResponse(sections, cutoff, 360))).toBeCloseTo(-3.0103, 3);
      }
    }
  });

  it('measured on filtered sines: −3 dB at the cutoff, unity in the passband, strong stopband', () => {
    const lp = designButterworth({ type: 'lowpass', order: 4, cutoff: 40, sampleRate: 360 });
    expect(dB(measuredGain(lp, 40, 360))).toBeCloseTo(-3.01, 1);
    expect(dB(measuredGain(lp, 5, 360))).toBeCloseTo(0, 2);
    expect(dB(measuredGain(lp, 120, 360))).toBeLessThan(-40);
    const hp = designButterworth({ type: 'highpass', order: 2, cutoff: 0.5, sampleRate: 360 });
    expect(dB(measuredGain(hp, 0.5, 360))).toBeCloseTo(-3.01, 1);
    expect(dB(measuredGain(hp, 10, 360))).toBeCloseTo(0, 2);
  });

  it('notch rejects ≥ 40 dB at 50 and 60 Hz and passes the QRS band', () => {
    for (const frequency of [50, 60]) {
      for (const sampleRate of [250, 360, 500, 1000]) {
        const notch = [designNotch({ frequency, sampleRate })];
        expect(dB(magnitudeResponse(notch, frequency, sampleRate))).toBeLessThan(-100);
        expect(dB(measuredGain(notch, frequency, sampleRate))).toBeLessThan(-40);
        expect(Math.abs(dB(magnitudeResponse(notch, 15, sampleRate)))).toBeLessThan(0.05);
      }
    }
  });

  it('presets: unity passband, −3 dB edges, notch at mains', () => {
    const monitoring = designEcgFilter({ preset: 'monitoring', sampleRate: 360, mains: 50 });
    expect(Math.abs(dB(magnitudeResponse(monitoring, 10, 360)))).toBeLessThan(0.05);
    expect(dB(magnitudeResponse(monitoring, 40, 360))).toBeCloseTo(-3.01, 1);
    expect(dB(magnitudeResponse(monitoring, 0.5, 360))).toBeCloseTo(-3.01, 1);
    expect(dB(magnitudeResponse(monitoring, 50, 360))).toBeLessThan(-40);
    const diagnostic = designEcgFilter({ preset: 'diagnostic', sampleRate: 500, mains: 60 });
    expect(Math.abs(dB(magnitudeResponse(diagnostic, 20, 500)))).toBeLessThan(0.05);
    expect(dB(magnitudeResponse(diagnostic, 150, 500))).toBeCloseTo(-3.01, 1);
    expect(dB(magnitudeResponse(diagnostic, 0.05, 500))).toBeCloseTo(-3.01, 1);
    expect(dB(magnitudeResponse(diagnostic, 60, 500))).toBeLessThan(-40);
  });

  it('impossible designs give InvalidFilterParametersError', () => {
    const bad = [
      () => designButterworth({ type: 'lowpass', cutoff: 180, sampleRate: 360 }),
      () => designButterworth({ type: 'lowpass', cutoff: 200, sampleRate: 360 }),
      () => designButterworth({ type: 'highpass', cutoff: 0, sampleRate: 360 }),
      () => designButterworth({ type: 'highpass', cutoff: -1, sampleRate: 360 }),
      () => designButterworth({ type: 'highpass', cutoff: 1, sampleRate: 0 }),
      () => designButterworth({ type: 'lowpass', cutoff: 1, sampleRate: 360, order: 0 }),
      () => designButterworth({ type: 'lowpass', cutoff: Number.NaN, sampleRate: 360 }),
      () => designNotch({ frequency: 60, sampleRate: 100 }),
      () => designNotch({ frequency: 50, sampleRate: 360, q: 0 }),
      () => designEcgFilter({ preset: 'diagnostic', sampleRate: 128 }),
      () => designEcgFilter({ preset: 'monitoring', sampleRate: 360, mains: 55 as 50 }),
    ];
    for (const f of bad) expect(f).toThrow(InvalidFilterParametersError);
  });
});

describe('streaming and zero-phase filtering', () => {
  const sections = designEcgFilter({ preset: 'monitoring', sampleRate: 360, mains: 60 });

  it('filtering in chunks of any size equals filtering at once, per channel (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.integer({ min: -2048, max: 2047 }), { minLength: 0, maxLength: 600 }),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 10 }),
        (channels, values, sizes) => {
          const x = Int32Array.from(values.slice(0, values.length - (values.length % channels)));
          const whole = filterSignal(x, sections, { channels });
          const filter = createStreamingFilter(sections, { channels });
          const parts: number[] = [];
          for (let pos = 0, i = 0; pos < x.length; i++) {
            const size = sizes[i % sizes.length]!;
            parts.push(...filter.process(x.subarray(pos, pos + size)));
            pos += size;
          }
          expect(Float64Array.from(parts)).toEqual(whole);
          // Channels are independent: channel 0 alone gives the same output.
          const ch0 = x.filter((_, i) => i % channels === 0);
          expect(filterSignal(ch0, sections)).toEqual(whole.filter((_, i) => i % channels === 0));
        },
      ),
    );
  });

  it('the TransformStream carries state across chunks', async () => {
    const x = sine(7, 360, 1000);
    const whole = filterSignal(x, sections);
    const stream = new ReadableStream<Float64Array>({
      start(controller) {
        for (let i = 0; i < x.length; i += 97) controller.enqueue(x.subarray(i, i + 97));
        controller.close();
      },
    }).pipeThrough(createFilterStream(sections));
    const out: number[] = [];
    const reader = stream.getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) out.push(...r.value);
    expect(Float64Array.from(out)).toEqual(whole);
  });

  it('reset clears the state', () => {
    const filter = createStreamingFilter(sections);
    const a = filter.process([1, 2, 3]);
    filter.reset();
    expect(filter.process([1, 2, 3])).toEqual(a);
  });

  it('zero-phase filtering has no delay and squares the magnitude', () => {
    const sampleRate = 360;
    const n = sampleRate * 20;
    for (const channels of [1, 2]) {
      const x = sine(8, sampleRate, n, channels);
      const y = filterZeroPhase(x, sections, { channels });
      const causal = filterSignal(x, sections, { channels });
      let errZero = 0;
      let errCausal = 0;
      for (let i = channels * 720; i < x.length - channels * 720; i++) {
        errZero = Math.max(errZero, Math.abs(y[i]! - x[i]! * magnitudeResponse(sections, 8, sampleRate) ** 2));
        errCausal = Math.max(errCausal, Math.abs(causal[i]! - x[i]!));
      }
      expect(errZero).toBeLessThan(0.01); // in phase with the input (a one-sample lag would be 0.14)
      expect(errCausal).toBeGreaterThan(0.05); // the causal filter delays it
    }
    // A constant offset is removed without an edge transient blowing up.
    const flat = filterZeroPhase(
      new Float64Array(3600).fill(1000),
      designEcgFilter({ preset: 'monitoring', sampleRate }),
    );
    expect(Math.max(...flat.map(Math.abs))).toBeLessThan(1);
  });
});
