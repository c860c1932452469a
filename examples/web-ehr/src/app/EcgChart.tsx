import { useEffect, useRef, useState } from 'react';

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

/** Below this width (CSS pixels) the chart shows half the seconds, so a phone still shows the waves. */
const NARROW = 560;

/**
 * A sweeping ECG trace on a canvas, like a bedside monitor: new samples are drawn left to right over the old ones,
 * with a gap ahead of the sweep, on a 0.2 s / 0.5 mV grid. The canvas follows its container's width at the screen's
 * pixel density; on a narrow screen it shows half the seconds.
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
  const [narrow, setNarrow] = useState(false);
  const [cssWidth, setCssWidth] = useState(900);
  useEffect(() => {
    const element = canvas.current!;
    const observer = new ResizeObserver(() => {
      const width = Math.round(element.clientWidth);
      if (width > 0) {
        setCssWidth(width);
        setNarrow(width < NARROW);
      }
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const shown = narrow ? seconds / 2 : seconds;
  // The samples of the last `seconds`, kept across resizes (a resize only redraws).
  const capacity = Math.round(sampleRate * seconds);
  const store = useRef<{ trace: Float32Array; written: number }>(undefined);
  useEffect(() => {
    const kept = { trace: new Float32Array(capacity).fill(Number.NaN), written: 0 };
    store.current = kept;
    return feed.subscribe((samples) => {
      for (const sample of samples) {
        kept.trace[kept.written % capacity] = (sample - baseline) / gain;
        kept.written++;
      }
    });
  }, [feed, capacity, gain, baseline]);
  useEffect(() => {
    const element = canvas.current!;
    const context = element.getContext('2d')!;
    const density = window.devicePixelRatio || 1;
    element.width = Math.round(cssWidth * density);
    element.height = Math.round((narrow ? 180 : 220) * density);
    const width = element.width;
    const height = element.height;
    const window_ = Math.round(sampleRate * shown);
    let drawn = -1;
    let frame = 0;
    const draw = () => {
      frame = requestAnimationFrame(draw);
      const kept = store.current;
      if (!kept || drawn === kept.written) return;
      const { trace, written } = kept;
      drawn = written;
      context.fillStyle = '#fff';
      context.fillRect(0, 0, width, height);
      context.strokeStyle = '#f3c9c9';
      context.lineWidth = density;
      context.beginPath();
      for (let t = 0; t <= shown + 1e-9; t += 0.2) {
        const x = Math.round((t / shown) * width) + 0.5;
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
      context.lineWidth = 1.6 * density;
      context.beginPath();
      // A sweep over the shown window: position p holds the latest sample k with k mod window = p; a short gap ahead
      // of the newest sample shows where the sweep is.
      const cursor = written % window_;
      const gap = Math.round(sampleRate * 0.08);
      let pen = false;
      for (let p = 0; p < window_; p++) {
        const k = written - 1 - ((written - 1 - p + window_ * 2) % window_);
        const ahead = (p - cursor + window_) % window_;
        const value = k >= 0 && k >= written - capacity ? trace[k % capacity]! : Number.NaN;
        if (Number.isNaN(value) || ahead < gap) {
          pen = false;
          continue;
        }
        const x = (p / window_) * width;
        const y = height / 2 - (value / rangeMv) * height;
        if (pen) context.lineTo(x, y);
        else context.moveTo(x, y);
        pen = true;
      }
      context.stroke();
      element.dataset.samples = String(written);
    };
    draw();
    return () => cancelAnimationFrame(frame);
  }, [sampleRate, shown, rangeMv, cssWidth, narrow, capacity]);
  return (
    <canvas
      ref={canvas}
      width={900}
      height={220}
      className="ecg"
      role="img"
      aria-label={`${description}: the last ${shown} seconds, ${rangeMv} mV from bottom to top, 0.2 s and 0.5 mV grid`}
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
