import type * as NodeOs from 'node:os';
import type * as NodeWorkerThreads from 'node:worker_threads';
import { nodeBuiltin } from './nodeBuiltin.js';

/**
 * Seals whole payload leaves (up to 15 consecutive 64 KiB chunks) on worker threads, so that a large record's
 * AES-256-GCM and SHA-256 run on every core instead of one. Node only: in browsers (no `worker_threads`) or on a
 * single-core machine {@link leafSealer} returns `undefined` and the caller seals on its own thread.
 *
 * A worker gets the payload key, the chunks' nonces (computed by the caller, so the nonce rule lives in one place)
 * and the leaf's buffer (transferred, not copied), in which chunk `i`'s plaintext sits at `i * (chunkSize + 16)`. It
 * encrypts each chunk to the same place, in that buffer or in new memory, writes its tag into the 16 bytes after it,
 * and hashes the chunk while it is still in cache: the leaf bytes (each chunk's ciphertext followed by its tag) lie
 * end to end, since only the last chunk may be short. Sealed in place, no memory is allocated per leaf, so a caller
 * whose consumer gives the buffers back seals any number of leaves in the same few megabytes.
 */

/** The worker's program (plain JavaScript: it runs from a string, so no bundler or loader is involved). */
const WORKER_SOURCE = `
const crypto = process.getBuiltinModule('node:crypto');
const { parentPort } = process.getBuiltinModule('node:worker_threads');
// Frees a cipher output of its own (not a slice of a shared pool) at once, by detaching it: otherwise such outputs
// pile up until a collection, and the allocator hands their memory back to the system and faults it in again
// (measured: about 16,000 fresh pages per 64 MiB record, and twice the CPU time, without this).
const release = (bytes) => {
  const buffer = bytes.buffer;
  if (bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength && typeof buffer.transfer === 'function')
    buffer.transfer(0);
};
parentPort.on('message', (m) => {
  try {
    const data = new Uint8Array(m.buffer);
    const chunks = m.nonces.length / 12;
    const stride = m.chunkSize + 16;
    const length = (chunks - 1) * stride + m.finalSize + 16;
    if (!(chunks >= 1 && m.finalSize >= 0 && m.finalSize <= m.chunkSize && length <= data.length))
      throw new Error('leaf layout does not fit its buffer');
    const key = crypto.createSecretKey(m.key);
    const hash = crypto.createHash('sha256');
    const out = m.inPlace ? data : new Uint8Array(Buffer.allocUnsafeSlow(length).buffer);
    for (let i = 0; i < chunks; i++) {
      const at = i * stride;
      const size = i === chunks - 1 ? m.finalSize : m.chunkSize;
      const cipher = crypto.createCipheriv('aes-256-gcm', key, m.nonces.subarray(i * 12, i * 12 + 12), { authTagLength: 16 });
      const body = cipher.update(data.subarray(at, at + size));
      const rest = cipher.final();
      out.set(body, at);
      release(body);
      out.set(rest, at + body.length);
      out.set(cipher.getAuthTag(), at + size);
      hash.update(out.subarray(at, at + size + 16));
    }
    const digest = hash.digest();
    if (m.inPlace) parentPort.postMessage({ id: m.id, length, digest, buffer: m.buffer }, [m.buffer]);
    else {
      data.fill(0); // the buffer goes back for reuse: no plaintext kept in it
      parentPort.postMessage({ id: m.id, length, digest, buffer: out.buffer, plaintext: m.buffer }, [out.buffer, m.buffer]);
    }
  } catch (error) {
    parentPort.postMessage({ id: m.id, error: String(error && error.message || error) });
  }
});
`;

/** A sealed leaf: its bytes and their SHA-256. */
export interface SealedLeaf {
  readonly bytes: Uint8Array;
  readonly digest: Uint8Array;
  /** When sealed into new memory: the buffer given, wiped (all zeros) and back for reuse. */
  readonly plaintext?: ArrayBuffer;
}

/** Seals leaves on worker threads. */
export interface LeafSealer {
  /** Worker threads in the pool. */
  readonly size: number;
  /**
   * Encrypts the `nonces.length / 12` chunks laid out in `buffer` (transferred: detached on return), chunk `i` at
   * `i * (chunkSize + 16)`, each `chunkSize` bytes long but the last (`finalSize` bytes), each under its nonce, and
   * hashes the result. With `inPlace` the leaf bytes come back at the start of the same memory (no new memory at
   * all); otherwise the worker writes them into new memory of their exact size (touching fresh memory there rather
   * than on the caller's thread) and gives the buffer back wiped.
   */
  seal(
    key: Uint8Array,
    nonces: Uint8Array,
    buffer: ArrayBuffer,
    finalSize: number,
    chunkSize: number,
    inPlace?: boolean,
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
      (m: {
        id: number;
        error?: string;
        length?: number;
        digest?: Uint8Array;
        buffer?: ArrayBuffer;
        plaintext?: ArrayBuffer;
      }) => {
        const p = entry.pending.get(m.id);
        if (!p) return;
        entry.pending.delete(m.id);
        if (entry.pending.size === 0) worker.unref();
        if (m.error !== undefined) p.reject(new Error(`leaf sealing failed: ${m.error}`));
        else
          p.resolve({
            bytes: new Uint8Array(m.buffer!, 0, m.length),
            digest: new Uint8Array(m.digest!.buffer, m.digest!.byteOffset, m.digest!.byteLength),
            ...(m.plaintext ? { plaintext: m.plaintext } : {}),
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
    seal(key, nonces, buffer, finalSize, chunkSize, inPlace = false) {
      const slot = turn++ % size;
      const entry = slots[slot] ?? start(slot);
      const id = nextId++;
      return new Promise<SealedLeaf>((resolve, reject) => {
        entry.pending.set(id, { resolve, reject });
        // A worker with work in flight keeps the process alive until the work is done.
        if (entry.pending.size === 1) entry.worker.ref();
        entry.worker.postMessage({ id, key, nonces, buffer, finalSize, chunkSize, inPlace }, [buffer]);
      });
    },
  };
}
