import { beforeAll, describe, expect, it } from 'vitest';
import { loadAnnotations, loadRecord } from '../../test/data.js';
import { isBeatSymbol } from '../wfdbAnnotations.js';
import type { WfdbRecord } from '../wfdbSignals.js';
import { createLiveMonitor, type MonitorEvent } from './monitor.js';
import type { LiveFrameEvent } from './subscriber.js';

const FS = 360;
const FRAME = 90;
let record: WfdbRecord;
let referenceBeats: number[];

beforeAll(async () => {
  record = await loadRecord('mitdb/101');
  referenceBeats = (await loadAnnotations('mitdb/101')).filter((a) => isBeatSymbol(a.symbol)).map((a) => a.sample);
});

function frame(samples: Int32Array, sequence: number, firstSampleIndex = sequence * FRAME): LiveFrameEvent {
  return {
    type: 'frame',
    sequence,
    epoch: 0,
    firstSampleIndex,
    timestamp: undefined,
    sampleRate: FS,
    channels: 2,
    samples,
  };
}

function frames(seconds: number, skip: (sequence: number) => boolean = () => false): LiveFrameEvent[] {
  const out: LiveFrameEvent[] = [];
  for (let s = 0; s < (seconds * FS) / FRAME; s++) {
    if (!skip(s)) out.push(frame(record.samples.subarray(s * FRAME * 2, (s + 1) * FRAME * 2), s));
  }
  return out;
}

describe('createLiveMonitor', () => {
  it('detects the beats of MIT-BIH 101 from live frames and reports its heart rate', () => {
    const monitor = createLiveMonitor();
    const out = frames(60).flatMap((f) => monitor.push(f));
    const beats = out.flatMap((e) => (e.type === 'beat' ? [e] : []));
    const reference = referenceBeats.filter((s) => s >= 3 * FS && s < 59 * FS);
    const matched = reference.filter((r) => beats.some((b) => Math.abs(b.sample - r) <= 0.15 * FS));
    expect(matched.length / reference.length).toBeGreaterThan(0.97);
    const detected = beats.filter((b) => b.sample >= 3 * FS && b.sample < 59 * FS);
    expect(Math.abs(detected.length - reference.length)).toBeLessThanOrEqual(3);
    const referenceRate = (60 * (reference.length - 1)) / ((reference.at(-1)! - reference[0]!) / FS);
    expect(Math.abs(beats.at(-1)!.averageHeartRate! - referenceRate) / referenceRate).toBeLessThan(0.15);
    // The display signal: every frame, filtered, with its sample index.
    const samples = out.filter((e) => e.type === 'samples');
    expect(samples.length).toBe(240);
    expect(samples[1]).toMatchObject({ firstSampleIndex: 90, channels: 2, sampleRate: 360 });
    expect(out.some((e) => e.type === 'alert')).toBe(false);
  });

  it('turns a gap into signal-loss, not a pause alert, and detects again after it', () => {
    const monitor = createLiveMonitor();
    const lost = (s: number) => s >= 80 && s < 100; // 5 s missing
    const out: MonitorEvent[] = [];
    let previous = -1;
    for (const f of frames(40, lost)) {
      if (f.sequence !== previous + 1)
        out.push(...monitor.push({ type: 'gap', from: previous + 1, to: f.sequence - 1, reason: 'missing' }));
      previous = f.sequence;
      out.push(...monitor.push(f));
    }
    expect(out.filter((e) => e.type === 'signal-loss')).toEqual([
      { type: 'signal-loss', from: 80, to: 99, reason: 'missing' },
    ]);
    expect(out.some((e) => e.type === 'alert')).toBe(false);
    const after = out.filter((e) => e.type === 'beat' && e.sample > 100 * FRAME + 3 * FS);
    expect(after.length).toBeGreaterThan(10);
    // Beat positions after the gap are in stream time.
    for (const beat of after) {
      if (beat.type !== 'beat') continue;
      expect(referenceBeats.some((r) => Math.abs(r - beat.sample) <= 0.15 * FS)).toBe(true);
    }
  });

  it('raises tachycardia and pause alerts', () => {
    // Every other sample pair dropped: the same beats twice as fast (~124 bpm).
    const fast = new Int32Array(60 * FS * 2);
    for (let t = 0; t < fast.length / 2; t++) {
      fast[2 * t] = record.samples[4 * t]!;
      fast[2 * t + 1] = record.samples[4 * t + 1]!;
    }
    const monitor = createLiveMonitor({ alerts: { tachycardiaAbove: 100 } });
    const out: MonitorEvent[] = [];
    let sequence = 0;
    for (let i = 0; i < fast.length; i += FRAME * 2)
      out.push(...monitor.push(frame(fast.subarray(i, i + FRAME * 2), sequence++)));
    const flat = new Int32Array(FRAME * 2).fill(record.samples[0]!);
    for (let i = 0; i < 20; i++) out.push(...monitor.push(frame(flat, sequence++)));
    const alerts = out.flatMap((e) => (e.type === 'alert' ? [e.alert] : []));
    expect(alerts.find((a) => a.type === 'tachycardia' && a.phase === 'start')).toBeDefined();
    const pause = alerts.find((a) => a.type === 'pause' && a.phase === 'start');
    expect(pause).toBeDefined();
    expect(pause!.time).toBeGreaterThan(60);
  });

  it('passes other stream events through and works as a TransformStream', async () => {
    const monitor = createLiveMonitor({ samples: false });
    const input = [{ type: 'key', epoch: 0, firstSequence: 0 } as const, ...frames(10)];
    const out: MonitorEvent[] = [];
    await new ReadableStream({
      start(controller) {
        for (const e of input) controller.enqueue(e);
        controller.close();
      },
    })
      .pipeThrough(monitor.transform)
      .pipeTo(new WritableStream({ write: (e) => void out.push(e) }));
    expect(out[0]).toEqual({ type: 'stream', event: input[0] });
    expect(out.some((e) => e.type === 'samples')).toBe(false);
    expect(out.filter((e) => e.type === 'beat').length).toBeGreaterThan(5);
  });
});
