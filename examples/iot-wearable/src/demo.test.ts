import { expect, it } from 'vitest';
import { runIotWearableDemo } from './demo.js';

it('replays MIT-BIH 101 live to the doctors, revokes one, archives and verifies every segment', async () => {
  const lines: string[] = [];
  const result = await runIotWearableDemo({
    record: '101',
    seconds: 12,
    speed: 20,
    segmentSeconds: 2,
    revokeAt: 6,
    log: (line) => lines.push(line),
  });
  expect(result.framesSent).toBe(48);
  expect(result.framesReceived + result.framesMissing).toBe(48);
  expect(result.framesMissing).toBe(0);
  expect(result.beats).toBeGreaterThan(8); // ~65 bpm, after the detector's 2 s of learning
  expect(result.lastHeartRate).toBeGreaterThan(50);
  expect(result.lastHeartRate).toBeLessThan(90);
  expect(result.segments).toBe(6);
  expect(result.batches).toBe(2);
  expect(result.verifiedSegments).toBe(6);
  expect(result.revokedDoctorFrames.before).toBeGreaterThan(0);
  expect(result.revokedDoctorFrames.after).toBe(0);
  expect(lines.some((l) => l.includes('segment 0 read back bit-exact'))).toBe(true);
  expect(lines.some((l) => l.includes('[locum] access denied'))).toBe(true);
});
