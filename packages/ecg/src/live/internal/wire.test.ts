import { randomBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { createSequenceTracker } from './sequenceTracker.js';
import {
  NONCE_LENGTH,
  openFrame,
  openGapNotice,
  PREFIX_LENGTH,
  readPrefix,
  sealFrame,
  sealGapNotice,
  TYPE_FRAME,
  TYPE_GAP,
  writePrefix,
} from './wire.js';

const key = randomBytes(32);
const streamId = randomBytes(16);
const data = randomBytes(200);

describe('live frame sealing', () => {
  it('round-trips and reads its prefix back', () => {
    const sealed = sealFrame(key, streamId, 7, 2 ** 40 + 5, data);
    expect(sealed.length).toBe(PREFIX_LENGTH + NONCE_LENGTH + data.length + 16);
    expect(openFrame(key, sealed)).toEqual(data);
    const prefix = readPrefix(sealed)!;
    expect(prefix).toMatchObject({ type: TYPE_FRAME, epoch: 7, sequence: 2 ** 40 + 5 });
    expect(prefix.streamId).toEqual(streamId);
  });

  it('uses a fresh nonce for every frame', () => {
    const a = sealFrame(key, streamId, 0, 1, data);
    const b = sealFrame(key, streamId, 0, 1, data);
    expect(a).not.toEqual(b);
  });

  it('rejects every single-bit flip (prefix, nonce, ciphertext, tag)', () => {
    const sealed = sealFrame(key, streamId, 1, 2, data.subarray(0, 16));
    for (let i = 0; i < sealed.length; i++) {
      for (const bit of [0, 7]) {
        const tampered = sealed.slice();
        tampered[i]! ^= 1 << bit;
        expect(openFrame(key, tampered), `byte ${i} bit ${bit}`).toBeUndefined();
      }
    }
  });

  it('binds stream id, epoch and sequence: a re-labelled frame does not open', () => {
    const sealed = sealFrame(key, streamId, 3, 10, data);
    for (const relabel of [
      { streamId: randomBytes(16), epoch: 3, sequence: 10 },
      { streamId, epoch: 4, sequence: 10 },
      { streamId, epoch: 3, sequence: 11 },
    ]) {
      const moved = sealed.slice();
      writePrefix(moved, { type: TYPE_FRAME, ...relabel });
      expect(openFrame(key, moved)).toBeUndefined();
    }
  });

  it('rejects the wrong key, truncation and extension', () => {
    const sealed = sealFrame(key, streamId, 0, 0, data);
    expect(openFrame(randomBytes(32), sealed)).toBeUndefined();
    expect(openFrame(key, sealed.subarray(0, sealed.length - 1))).toBeUndefined();
    expect(openFrame(key, new Uint8Array([...sealed, 0]))).toBeUndefined();
    expect(openFrame(key, sealed.subarray(0, PREFIX_LENGTH + NONCE_LENGTH + 15))).toBeUndefined();
  });

  it('reads no prefix from foreign bytes', () => {
    expect(readPrefix(new Uint8Array(10))).toBeUndefined();
    expect(readPrefix(new TextEncoder().encode('{"hello":"this is json, not a frame"}'))).toBeUndefined();
    const wrongVersion = sealFrame(key, streamId, 0, 0, data);
    wrongVersion[1] = 0x21;
    expect(readPrefix(wrongVersion)).toBeUndefined();
    const wrongType = sealFrame(key, streamId, 0, 0, data);
    wrongType[1] = 0x14;
    expect(readPrefix(wrongType)).toBeUndefined();
  });
});

describe('gap notices', () => {
  it('round-trip the dropped range; a notice does not open as a frame, nor a frame as a notice', () => {
    const notice = sealGapNotice(key, streamId, 3, 10, 2 ** 40);
    expect(readPrefix(notice)).toMatchObject({ type: TYPE_GAP, epoch: 3, sequence: 10 });
    expect(openGapNotice(key, notice)).toBe(2 ** 40);
    const relabelled = notice.slice();
    relabelled[1] = (relabelled[1]! & 0xf0) | TYPE_FRAME;
    expect(openFrame(key, relabelled)).toBeUndefined();
    const frame = sealFrame(key, streamId, 3, 10, new Uint8Array(8));
    const asNotice = frame.slice();
    asNotice[1] = (asNotice[1]! & 0xf0) | TYPE_GAP;
    expect(openGapNotice(key, asNotice)).toBeUndefined();
    expect(openGapNotice(randomBytes(32), notice)).toBeUndefined();
    const shifted = notice.slice();
    shifted[29]! ^= 1; // another first sequence
    expect(openGapNotice(key, shifted)).toBeUndefined();
  });
});

describe('sequence tracker', () => {
  it('reports gaps, replays and late frames', () => {
    const tracker = createSequenceTracker();
    expect(tracker.check(5)).toBe('next');
    expect(tracker.accept(5)).toBeUndefined(); // joining mid-stream is no gap
    expect(tracker.accept(6)).toBeUndefined();
    expect(tracker.accept(10)).toEqual({ from: 7, to: 9 });
    expect(tracker.check(10)).toBe('replay');
    expect(tracker.check(6)).toBe('replay');
    expect(tracker.check(8)).toBe('late');
    tracker.accept(8);
    expect(tracker.check(8)).toBe('replay');
    expect(tracker.accept(5000)).toEqual({ from: 11, to: 4999 });
    expect(tracker.check(5000 - 1024)).toBe('replay'); // beyond the window
    expect(tracker.check(4999)).toBe('late');
    expect(tracker.last).toBe(5000);
  });

  it('skips a range reported dropped: no gap after it, and its numbers count as seen', () => {
    const tracker = createSequenceTracker();
    tracker.accept(0);
    tracker.skip(40);
    expect(tracker.last).toBe(40);
    expect(tracker.check(20)).toBe('replay');
    expect(tracker.accept(41)).toBeUndefined();
    tracker.skip(30); // behind: no effect
    expect(tracker.last).toBe(41);
  });
});

describe('nonces', () => {
  it('never repeats a nonce across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const sealed = sealFrame(key, streamId, 0, i, data.subarray(0, 8));
      const nonce = Buffer.from(sealed.subarray(PREFIX_LENGTH, PREFIX_LENGTH + NONCE_LENGTH)).toString('hex');
      expect(nonce).not.toBe('0'.repeat(48));
      seen.add(nonce);
    }
    expect(seen.size).toBe(1000);
  });
});
