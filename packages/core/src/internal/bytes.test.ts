import { describe, expect, it } from 'vitest';
import { releaseBytes } from './bytes.js';

describe('releaseBytes', () => {
  it('frees an array that spans a buffer of its own', () => {
    const bytes = new Uint8Array(1024).fill(1);
    releaseBytes(bytes);
    expect(bytes.buffer.byteLength).toBe(0);
    expect(bytes.length).toBe(0);
  });

  it('leaves alone an array that shares its buffer', () => {
    const whole = new Uint8Array(1024).fill(2);
    const part = whole.subarray(0, 512);
    releaseBytes(part);
    releaseBytes(whole.subarray(512));
    expect(whole.length).toBe(1024);
    expect(part.length).toBe(512);
    expect(whole.every((b) => b === 2)).toBe(true);
  });
});
