import { useEffect, useRef } from 'react';

/** Samples arriving live: `subscribe` calls the listener with each new block of samples (one channel). */
export interface SampleFeed {
  subscribe(listener: (samples: Int32Array) => void): () => void;
}

/** Properties of {@link EcgChart}. */
export interface EcgChartProps {
  feed: SampleFeed;
  /** Samples per second. */
  sampleRate: number;
  /** ADC units per millivolt (MIT-BIH: 200). */
  gain: number;
  /** ADC value of 0 mV (MIT-BIH: 1024). */
  baseline: number;
  /** Seconds across the chart. Default 5. */
  seconds?: number;
  /** Millivolts from the bottom to the top of the chart. Default 4. */
  rangeMv?: number;
  /** Test id of the canvas. */
  label?: string;
  /** What the chart shows, for people who cannot see it (the canvas's accessible name). */
  description?: string;
}

/**
 * A sweeping ECG trace on a canvas, like a bedside monitor: new samples are drawn left to right over the old ones,
 * with a gap ahead of the sweep, on a 0.2 s / 0.5 mV grid.
 */
export function EcgChart({
  feed,
  sampleRate,
  gain,
  baseline,
  seconds = 5,
  rangeMv = 4,
  label = 'ecg',
  description = 'ECG trace',
}: EcgChartProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const element = canvas.current!;
    const context = element.getContext('2d')!;
    const width = element.width;
    const height = element.height;
    const capacity = Math.round(sampleRate * seconds);
    const trace = new Float32Array(capacity).fill(Number.NaN);
    let written = 0;
    let drawn = -1;
    const unsubscribe = feed.subscribe((samples) => {
      for (const sample of samples) {
        trace[written % capacity] = (sample - baseline) / gain;
        written++;
      }
    });
    let frame = 0;
    const draw = () => {
      frame = requestAnimationFrame(draw);
      if (drawn === written) return;
      drawn = written;
      context.fillStyle = '#fff';
      context.fillRect(0, 0, width, height);
      context.strokeStyle = '#f3c9c9';
      context.lineWidth = 1;
      context.beginPath();
      for (let t = 0; t <= seconds; t += 0.2) {
        const x = Math.round((t / seconds) * width) + 0.5;
        context.moveTo(x, 0);
        context.lineTo(x, height);
      }
      for (let mv = 0; mv <= rangeMv; mv += 0.5) {
        const y = Math.round((mv / rangeMv) * height) + 0.5;
        context.moveTo(0, y);
        context.lineTo(width, y);
      }
      context.stroke();
      context.strokeStyle = '#0b6e4f';
      context.lineWidth = 1.6;
      context.beginPath();
      const cursor = written % capacity;
      const gap = Math.round(sampleRate * 0.08);
      let pen = false;
      for (let i = 0; i < capacity; i++) {
        const value = trace[i]!;
        const ahead = (i - cursor + capacity) % capacity;
        if (Number.isNaN(value) || ahead < gap) {
          pen = false;
          continue;
        }
        const x = (i / capacity) * width;
        const y = height / 2 - (value / rangeMv) * height;
        if (pen) context.lineTo(x, y);
        else context.moveTo(x, y);
        pen = true;
      }
      context.stroke();
      element.dataset.samples = String(written);
    };
    draw();
    return () => {
      cancelAnimationFrame(frame);
      unsubscribe();
    };
  }, [feed, sampleRate, gain, baseline, seconds, rangeMv]);
  return (
    <canvas
      ref={canvas}
      width={900}
      height={220}
      className="ecg"
      role="img"
      aria-label={`${description}: the last ${seconds} seconds, ${rangeMv} mV from bottom to top, 0.2 s and 0.5 mV grid`}
      data-testid={label}
    />
  );
}

/** A {@link SampleFeed} the caller pushes samples into. */
export function createSampleFeed(): SampleFeed & { push(samples: Int32Array): void } {
  const listeners = new Set<(samples: Int32Array) => void>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    push(samples) {
      for (const listener of listeners) listener(samples);
    },
  };
}
