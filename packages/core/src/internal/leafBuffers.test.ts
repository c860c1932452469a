import { afterEach, describe, expect, it, vi } from 'vitest';
import { giveLeafBuffer, pooledLeafBuffers, takeLeafBuffer } from './leafBuffers.js';

function drain(size: number) {
  while (takeLeafBuffer(size)) {
    // empty the pool
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe('leaf buffers kept between records', () => {
  it('gives back only a buffer of the size asked for, each buffer once', () => {
    drain(64);
    drain(32);
    const a = new ArrayBuffer(64);
    const b = new ArrayBuffer(32);
    giveLeafBuffer(a);
    giveLeafBuffer(b);
    expect(takeLeafBuffer(128)).toBeUndefined();
    expect(takeLeafBuffer(64)).toBe(a);
    expect(takeLeafBuffer(64)).toBeUndefined();
    expect(takeLeafBuffer(32)).toBe(b);
    expect(takeLeafBuffer(32)).toBeUndefined();
  });

  it('ignores detached buffers and keeps at most a bounded number', () => {
    drain(16);
    const detached = new ArrayBuffer(16);
    structuredClone(detached, { transfer: [detached] });
    giveLeafBuffer(detached);
    expect(pooledLeafBuffers()).toBe(0);
    for (let i = 0; i < 100; i++) giveLeafBuffer(new ArrayBuffer(16));
    expect(pooledLeafBuffers()).toBeGreaterThan(0);
    expect(pooledLeafBuffers()).toBeLessThan(100);
    drain(16);
  });

  it('lets its buffers go after a few idle seconds, not while in use', async () => {
    vi.useFakeTimers();
    vi.resetModules(); // a fresh pool, whose clock is the fake one
    const { giveLeafBuffer, pooledLeafBuffers, takeLeafBuffer } = await import('./leafBuffers.js');
    giveLeafBuffer(new ArrayBuffer(8));
    giveLeafBuffer(new ArrayBuffer(8));
    vi.advanceTimersByTime(3_000);
    const taken = takeLeafBuffer(8); // a use: the idle clock starts again
    expect(taken).toBeDefined();
    vi.advanceTimersByTime(3_000);
    expect(pooledLeafBuffers()).toBe(1);
    vi.advanceTimersByTime(3_000);
    expect(pooledLeafBuffers()).toBe(0);
  });
});
