import type * as NodeOs from 'node:os';
import type * as NodeWorkerThreads from 'node:worker_threads';
import { nodeBuiltin } from './nodeBuiltin.js';

/**
 * Seals whole payload leaves (up to 15 consecutive 64 KiB chunks) on worker threads, so that a large record's
 * AES-256-GCM and SHA-256 run on every core instead of one. Node only: in browsers (no `worker_threads`) or on a
 * single-core machine {@link leafSealer} returns `undefined` and the caller seals on its own thread.
 *
 * A worker gets the payload key, the chunks' nonces (computed by the caller, so the nonce rule lives in one place)
 * and the leaf's plaintext (its buffer is transferred, not copied); it returns the leaf bytes (each chunk's
 * ciphertext followed by its tag) and their SHA-256, hashed while the bytes are still in cache, and hands the
 * plaintext buffer back for reuse.
 */

/** The worker's program (plain JavaScript: it runs from a string, so no bundler or loader is involved). */
const WORKER_SOURCE = `
const crypto = process.getBuiltinModule('node:crypto');
const { parentPort } = process.getBuiltinModule('node:worker_threads');
parentPort.on('message', (m) => {
  try {
    const data = new Uint8Array(m.plaintext, 0, m.length);
    const chunks = m.nonces.length / 12;
    const out = Buffer.allocUnsafeSlow(m.length + chunks * 16);
    const key = crypto.createSecretKey(m.key);
    const hash = crypto.createHash('sha256');
    let offset = 0;
    for (let i = 0; i < chunks; i++) {
      const nonce = m.nonces.subarray(i * 12, i * 12 + 12);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, nonce, { authTagLength: 16 });
      const body = cipher.update(data.subarray(i * m.chunkSize, Math.min(m.length, (i + 1) * m.chunkSize)));
      const rest = cipher.final();
      const tag = cipher.getAuthTag();
      for (const part of [body, rest, tag]) {
        out.set(part, offset);
        hash.update(part);
        offset += part.length;
      }
    }
    if (offset !== out.length) throw new Error('leaf length mismatch');
    const digest = hash.digest();
    parentPort.postMessage({ id: m.id, bytes: out, digest, plaintext: m.plaintext }, [out.buffer, m.plaintext]);
  } catch (error) {
    parentPort.postMessage({ id: m.id, error: String(error && error.message || error) });
  }
});
`;

/** A sealed leaf: its bytes, their SHA-256, and the plaintext buffer given back for reuse. */
export interface SealedLeaf {
  readonly bytes: Uint8Array;
  readonly digest: Uint8Array;
  readonly plaintext: ArrayBuffer;
}

/** Seals leaves on worker threads. */
export interface LeafSealer {
  /** Worker threads in the pool. */
  readonly size: number;
  /**
   * Encrypts `length` bytes at the start of `plaintext` (transferred: detached on return) as `nonces.length / 12`
   * chunks of `chunkSize` bytes (the last one shorter), each under its nonce, and hashes the result.
   */
  seal(
    key: Uint8Array,
    nonces: Uint8Array,
    plaintext: ArrayBuffer,
    length: number,
    chunkSize: number,
  ): Promise<SealedLeaf>;
}

interface Pending {
  resolve(leaf: SealedLeaf): void;
  reject(error: Error): void;
}

interface PooledWorker {
  readonly worker: NodeWorkerThreads.Worker;
  readonly pending: Map<number, Pending>;
}

const workerThreads = nodeBuiltin<typeof NodeWorkerThreads>('node:worker_threads');
const nodeOs = nodeBuiltin<typeof NodeOs>('node:os');

/** At most this many worker threads, whatever the core count. */
const MAX_WORKERS = 4;

let enabled = true;
let pool: LeafSealer | undefined;

/** Turns worker sealing on or off (tests compare both paths; off, every leaf is sealed on the caller's thread). */
export function setParallelSealing(on: boolean): boolean {
  const previous = enabled;
  enabled = on;
  return previous;
}

/**
 * The process-wide leaf sealer, started on first use; `undefined` where worker threads are unavailable, on one
 * core, or when turned off. Idle workers do not keep the process alive.
 */
export function leafSealer(): LeafSealer | undefined {
  if (!enabled || !workerThreads || !nodeOs) return undefined;
  const cores = nodeOs.availableParallelism();
  if (cores < 2) return undefined;
  if (pool === undefined) {
    try {
      pool = createPool(Math.min(MAX_WORKERS, cores));
    } catch {
      // A runtime that offers `worker_threads` but cannot start an eval worker: seal on the caller's thread.
      enabled = false;
      return undefined;
    }
  }
  return pool;
}

function createPool(size: number): LeafSealer {
  const { Worker } = workerThreads!;
  const slots: (PooledWorker | undefined)[] = new Array(size).fill(undefined);
  let nextId = 0;
  let turn = 0;

  const start = (slot: number): PooledWorker => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, name: 'mhrchain-leaf-sealer' });
    worker.unref();
    const entry: PooledWorker = { worker, pending: new Map() };
    const fail = (error: Error) => {
      if (slots[slot] === entry) slots[slot] = undefined;
      for (const p of entry.pending.values()) p.reject(error);
      entry.pending.clear();
    };
    worker.on(
      'message',
      (m: { id: number; error?: string; bytes?: Uint8Array; digest?: Uint8Array; plaintext?: ArrayBuffer }) => {
        const p = entry.pending.get(m.id);
        if (!p) return;
        entry.pending.delete(m.id);
        if (entry.pending.size === 0) worker.unref();
        if (m.error !== undefined) p.reject(new Error(`leaf sealing failed: ${m.error}`));
        else
          p.resolve({
            bytes: new Uint8Array(m.bytes!.buffer, m.bytes!.byteOffset, m.bytes!.byteLength),
            digest: new Uint8Array(m.digest!.buffer, m.digest!.byteOffset, m.digest!.byteLength),
            plaintext: m.plaintext!,
          });
      },
    );
    worker.on('error', (error) => fail(error instanceof Error ? error : new Error(String(error))));
    worker.on('exit', (code) => fail(new Error(`leaf sealer worker exited (code ${code})`)));
    slots[slot] = entry;
    return entry;
  };

  start(0); // fails here, not in the middle of a record, where workers cannot run
  return {
    size,
    seal(key, nonces, plaintext, length, chunkSize) {
      const slot = turn++ % size;
      const entry = slots[slot] ?? start(slot);
      const id = nextId++;
      return new Promise<SealedLeaf>((resolve, reject) => {
        entry.pending.set(id, { resolve, reject });
        // A worker with work in flight keeps the process alive until the work is done.
        if (entry.pending.size === 1) entry.worker.ref();
        entry.worker.postMessage({ id, key, nonces, plaintext, length, chunkSize }, [plaintext]);
      });
    },
  };
}
