/**
 * Leaf-sized buffers kept between records, so that a record sealed on worker threads starts with memory the process
 * already uses instead of fresh pages (measured: fresh pages cost a 64 MiB record about a third of its time on a
 * machine where first touches are slow). A buffer enters the pool only when it holds no plaintext: either sealed
 * ciphertext given back by a consumer, or a plaintext buffer the worker wiped. The pool empties itself once it has
 * not been used for a few seconds, so an idle process gives the memory back.
 */

/** Buffers kept at most: a record's leaves in flight and being stored. */
const POOL_LIMIT = 16;
/** Milliseconds without use after which the pool lets its buffers go. */
const IDLE_MS = 5_000;

const pool: ArrayBuffer[] = [];
let lastUse = 0;
/** Whether a release is scheduled. */
let armed = false;

/** A pooled buffer of exactly `size` bytes, or `undefined` (its content is ciphertext or zeros). */
export function takeLeafBuffer(size: number): ArrayBuffer | undefined {
  lastUse = Date.now();
  for (let i = pool.length - 1; i >= 0; i--)
    if (pool[i]!.byteLength === size) {
      const [buffer] = pool.splice(i, 1);
      return buffer;
    }
  return undefined;
}

/** Keeps `buffer` (which must hold no plaintext and be referenced by nothing else) for a later leaf. */
export function giveLeafBuffer(buffer: ArrayBuffer): void {
  lastUse = Date.now();
  if (pool.length >= POOL_LIMIT || buffer.byteLength === 0) return;
  pool.push(buffer);
  if (!armed) armIdleRelease(IDLE_MS);
}

/** Buffers pooled now (tests). */
export function pooledLeafBuffers(): number {
  return pool.length;
}

function armIdleRelease(delay: number): void {
  armed = true;
  const handle = setTimeout(() => {
    armed = false;
    const idle = Date.now() - lastUse;
    if (idle >= IDLE_MS) pool.length = 0;
    else if (pool.length > 0) armIdleRelease(IDLE_MS - idle);
  }, delay);
  // The pool must not keep a process alive.
  (handle as { unref?: () => void }).unref?.();
}
