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
  setNodeAead,
  TYPE_FRAME,
  TYPE_GAP,
  writePrefix,
  xchachaOpen,
  xchachaSeal,
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

const hex = (h: string) => Uint8Array.from(Buffer.from(h.replace(/\s/g, ''), 'hex'));
// draft-irtf-cfrg-xchacha-03, A.3.1 (AEAD_XChaCha20_Poly1305).
const XCHACHA_VECTOR = {
  key: hex('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f'),
  nonce: hex('404142434445464748494a4b4c4d4e4f5051525354555657'),
  aad: hex('50515253c0c1c2c3c4c5c6c7'),
  plaintext: new TextEncoder().encode(
    "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
  ),
  sealed:
    hex(`bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216
    cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff921f9664c97637da9768812f615c68b13b52e
    c0875924c1c7987947deafd8780acf49`),
};

describe.each([
  ['node:crypto (OpenSSL) after HChaCha20', true],
  ['@noble/ciphers', false],
])('XChaCha20-Poly1305 through %s', (_name, node) => {
  const withBackend = <T>(run: () => T): T => {
    const previous = setNodeAead(node);
    expect(setNodeAead(node)).toBe(node); // the Node path is there to test (Node ≥ 22.3 has getBuiltinModule)
    try {
      return run();
    } finally {
      setNodeAead(previous);
    }
  };

  it('gives the published vector and opens it', () => {
    withBackend(() => {
      const { key, nonce, aad, plaintext, sealed } = XCHACHA_VECTOR;
      const out = new Uint8Array(plaintext.length + 16);
      xchachaSeal(key, nonce, aad, plaintext, out);
      expect(out).toEqual(sealed);
      expect(xchachaOpen(key, nonce, aad, sealed)).toEqual(plaintext);
      const tampered = sealed.slice();
      tampered[tampered.length - 1]! ^= 1;
      expect(xchachaOpen(key, nonce, aad, tampered)).toBeUndefined();
      expect(xchachaOpen(key, nonce, aad.subarray(1), sealed)).toBeUndefined();
    });
  });

  it('opens what the other implementation sealed, at every length up to 300 bytes', () => {
    for (let length = 0; length <= 300; length += 7) {
      const plaintext = randomBytes(length);
      const nonce = randomBytes(24);
      const aad = randomBytes(30);
      const ours = new Uint8Array(length + 16);
      const theirs = new Uint8Array(length + 16);
      withBackend(() => xchachaSeal(key, nonce, aad, plaintext, ours));
      const previous = setNodeAead(!node);
      try {
        xchachaSeal(key, nonce, aad, plaintext, theirs);
        expect(xchachaOpen(key, nonce, aad, ours)).toEqual(plaintext);
      } finally {
        setNodeAead(previous);
      }
      expect(ours).toEqual(theirs);
      expect(withBackend(() => xchachaOpen(key, nonce, aad, theirs))).toEqual(plaintext);
    }
  });

  it('rejects every single-bit flip of a sealed frame, the wrong key and a short message', () => {
    withBackend(() => {
      const sealed = sealFrame(key, streamId, 1, 2, data.subarray(0, 16));
      expect(openFrame(key, sealed)).toEqual(data.subarray(0, 16));
      for (let i = 0; i < sealed.length; i++) {
        const tampered = sealed.slice();
        tampered[i]! ^= 0x10;
        expect(openFrame(key, tampered), `byte ${i}`).toBeUndefined();
      }
      expect(openFrame(randomBytes(32), sealed)).toBeUndefined();
      expect(openFrame(key.subarray(0, 31), sealed)).toBeUndefined();
      expect(xchachaOpen(key, randomBytes(24), new Uint8Array(0), new Uint8Array(15))).toBeUndefined();
    });
  });
});
