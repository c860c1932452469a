import type { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import { sha256 } from 'multiformats/hashes/sha2';
import { equals } from 'uint8arrays/equals';
import { BaseError } from './baseError.js';
import {
  BlockNotFoundError,
  InvalidBlockError,
  InvalidParametersError,
  ReplicationError,
  StorageReadOnlyError,
} from './errors.js';
import { sleep } from './internal/sleep.js';
import { linksOf } from './internal/walkDag.js';
import type { Storage, StorageCallOptions } from './storage.js';

/** Parameters of {@link createReplicatedStorage}. */
export interface CreateReplicatedStorageParameters {
  /**
   * The nodes (for example one `createKuboStorage` per IPFS node). Reads try them in order; writable ones receive
   * every write; read-only ones (a gateway) only serve reads.
   */
  readonly nodes: readonly Storage[];
  /**
   * Pinning services (`createRemotePinning`) that count towards `k` beside the writable nodes: asked to pin once the
   * nodes hold the DAG (they fetch it from the nodes they are told of). Default: none.
   */
  readonly pinners?: readonly Pinner[];
  /** Durability: `pin` resolves only once the whole DAG is pinned on at least `k` nodes and pinners. */
  readonly k: number;
  /** How many nodes must have stored a block for `put` to resolve. Default: 1 (`pin` enforces `k`). */
  readonly writeQuorum?: number;
  /** Attempts per node and operation before that node counts as failed for it. Default: 3. */
  readonly attempts?: number;
  /** Milliseconds before the first retry (doubling after each). Default: 100. */
  readonly retryDelayMs?: number;
  /**
   * Milliseconds during which a node that failed every attempt is skipped by later writes (they count as missed on
   * it, and `pin` copies them over later). Default: 2,000.
   */
  readonly downForMs?: number;
}

/** What can hold a pin without taking blocks: a pinning service ({@link RemotePinning}). */
export type Pinner = Pick<Storage, 'pin' | 'unpin' | 'isPinned'>;

/** Where a DAG stands on each node. */
export interface ReplicationStatus {
  /** Writable nodes and pinners on which the DAG's root is pinned. */
  readonly pinned: number;
  /** Writable nodes and pinners. */
  readonly nodes: number;
  /** Required pins. */
  readonly k: number;
  /**
   * Per writable node, then per pinner (in the order given): pinned or not, or the error that prevented knowing.
   */
  readonly perNode: readonly (boolean | Error)[];
}

/** A {@link Storage} over several nodes with a stated durability (`k` pinned copies). */
export interface ReplicatedStorage extends Storage {
  /** Required pinned copies. */
  readonly k: number;
  /** Asks every writable node whether `cid` is pinned there. */
  status(cid: CID, options?: StorageCallOptions): Promise<ReplicationStatus>;
}

/**
 * Replicated writes with a stated durability. `put` writes a block to every writable node (retrying each) and
 * resolves once `writeQuorum` nodes hold it; a node that is down misses the block. `pin` is where durability is
 * enforced and where an interrupted upload resumes: for each node it copies whatever blocks of the DAG the node lacks
 * (read, hash-checked, from another node: nothing is re-encrypted, and writes are idempotent), pins the DAG there,
 * checks the pin with `isPinned`, and resolves once that holds on at least `k` nodes, else throws
 * `ReplicationError` (with the `cid` to resume). `get` tries the nodes in order and skips one that is down, lacks the
 * block, or answers bytes that do not hash to the CID.
 *
 * @example
 * ```ts
 * import { createKuboStorage, createReplicatedStorage, generateIdentity, ReplicationError, storeEnvelope } from '@mhrchain/core';
 *
 * const nodes = await Promise.all(
 *   ['http://127.0.0.1:5001', 'http://127.0.0.1:5002', 'http://127.0.0.1:5003'].map((url) => createKuboStorage({ url })),
 * );
 * const storage = createReplicatedStorage({ nodes, k: 2 });
 * const patient = generateIdentity();
 * try {
 *   await storeEnvelope(storage, {
 *     data: new TextEncoder().encode('{"resourceType":"Observation"}'),
 *     metadata: { mediaType: 'application/fhir+json' },
 *     recipients: [patient.publicKey],
 *   });
 * } catch (error) {
 *   // fewer than 2 nodes pinned it: once a node is back, `storage.pin(error.cid)` resumes the upload
 *   if (error instanceof ReplicationError && error.cid) await storage.pin(error.cid);
 *   else throw error;
 * }
 * ```
 */
export function createReplicatedStorage(parameters: CreateReplicatedStorageParameters): ReplicatedStorage {
  const { nodes, k } = parameters;
  const writable = nodes.filter((node) => !node.readOnly);
  const pinners = parameters.pinners ?? [];
  const holders: readonly Pinner[] = [...writable, ...pinners];
  const writeQuorum = parameters.writeQuorum ?? 1;
  const attempts = parameters.attempts ?? 3;
  const retryDelayMs = parameters.retryDelayMs ?? 100;
  const downForMs = parameters.downForMs ?? 2_000;
  if (!Number.isInteger(k) || k < 1 || k > holders.length)
    throw new InvalidParametersError(
      `k must be an integer from 1 to the number of writable nodes and pinners (${holders.length}).`,
    );
  if (!Number.isInteger(writeQuorum) || writeQuorum < 1 || writeQuorum > writable.length)
    throw new InvalidParametersError('writeQuorum must be an integer from 1 to the number of writable nodes.');

  const downUntil = new Map<Pinner, number>();

  /**
   * What this storage wrote lately, so that pinning a DAG it has just written does not ask for it again: per node,
   * the CIDs the node acknowledged, and the bytes of small inner blocks (headers, DAG roots) whose links the DAG walk
   * needs. Bounded (the oldest are forgotten first), and a hint only: a pin that fails after skipping the checks is
   * done again in full.
   */
  const acknowledged = new Map<Storage, Set<string>>(writable.map((node) => [node, new Set<string>()]));
  const innerBlocks = new Map<string, Uint8Array>();
  const remember = <T>(recent: Set<T> | Map<T, unknown>, limit: number) => {
    while (recent.size > limit) recent.delete(recent.keys().next().value as T);
  };

  /** Runs `operation` on `node` with retries; a node that fails every attempt is skipped by writes for a while. */
  const withRetries = async <T>(
    node: Pinner,
    options: StorageCallOptions | undefined,
    operation: () => Promise<T>,
  ): Promise<T> => {
    let delay = retryDelayMs;
    for (let attempt = 1; ; attempt++) {
      options?.signal?.throwIfAborted();
      try {
        const result = await operation();
        downUntil.delete(node);
        return result;
      } catch (error) {
        if (options?.signal?.aborted) throw options.signal.reason;
        if (!retryable(error) || attempt >= attempts) {
          if (retryable(error)) downUntil.set(node, Date.now() + downForMs);
          throw error;
        }
        await sleep(delay, options?.signal);
        delay *= 2;
      }
    }
  };
  const isDown = (node: Storage) => (downUntil.get(node) ?? 0) > Date.now();

  /** Reads a block from the first node that has it and answers bytes that hash to it. */
  const get = async (cid: CID, options?: StorageCallOptions, skip?: Storage): Promise<Uint8Array> => {
    const errors: unknown[] = [];
    for (const node of nodes) {
      if (node === skip) continue;
      try {
        const bytes = await node.get(cid, options);
        if (!(await hashesTo(cid, bytes)))
          throw new InvalidBlockError({ details: `a node answered other bytes for ${cid}` });
        return bytes;
      } catch (error) {
        if (options?.signal?.aborted) throw options.signal.reason;
        errors.push(error);
      }
    }
    const cause = new AggregateError(errors, `no node could provide ${cid}`);
    if (errors.length > 0 && errors.every((e) => e instanceof InvalidBlockError))
      throw new InvalidBlockError({ details: `every node answered other bytes for ${cid}`, cause });
    throw new BlockNotFoundError({ cid: cid.toString(), cause });
  };

  /**
   * The CIDs of every block of the DAG under `root`, depth-first: inner blocks are read (once, hash-checked, from the
   * first node that has each); raw leaves, which link to nothing, are only listed.
   */
  const blocksOf = async (root: CID, options?: StorageCallOptions): Promise<CID[]> => {
    const seen = new Set<string>();
    const out: CID[] = [];
    const stack: CID[] = [root];
    while (stack.length > 0) {
      const cid = stack.pop()!;
      const id = cid.toString();
      if (seen.has(id)) continue;
      seen.add(id);
      out.push(cid);
      if (cid.code === raw.code) continue;
      const written = innerBlocks.get(id);
      const bytes = written && (await hashesTo(cid, written)) ? written : await get(cid, options);
      const links = linksOf(cid, bytes);
      for (let i = links.length - 1; i >= 0; i--) stack.push(links[i]!);
    }
    return out;
  };

  /** Copies onto `node` every block of the DAG it lacks, then pins the DAG there and checks the pin. */
  const replicateOnto = async (node: Storage, root: CID, blocks: readonly CID[], options?: StorageCallOptions) => {
    const written = acknowledged.get(node);
    if (written && blocks.every((cid) => written.has(cid.toString()))) {
      // This storage wrote every block to this node: pin at once (checked below), in full only if that fails.
      try {
        await node.pin(root, options);
        if (await node.isPinned(root, options)) return;
      } catch {
        options?.signal?.throwIfAborted();
      }
    }
    const missing: CID[] = [];
    await forEachLimit(blocks, CALLS_IN_FLIGHT, async (cid) => {
      if (!(await withRetries(node, options, () => node.has(cid, options)))) missing.push(cid);
    });
    // Read, hash-checked, from another node: nothing is re-encrypted, and writes are idempotent.
    await forEachLimit(missing, CALLS_IN_FLIGHT, async (cid) => {
      const bytes = await get(cid, options, node);
      await withRetries(node, options, () => node.put(cid, bytes, options));
    });
    await withRetries(node, options, () => node.pin(root, options));
    if (!(await withRetries(node, options, () => node.isPinned(root, options))))
      throw new BaseError('The node did not keep the pin.', { details: root.toString() });
  };

  const status = async (cid: CID, options?: StorageCallOptions): Promise<ReplicationStatus> => {
    const perNode = await Promise.all(
      holders.map((node) =>
        node
          .isPinned(cid, options)
          .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))),
      ),
    );
    return { pinned: perNode.filter((p) => p === true).length, nodes: holders.length, k, perNode };
  };

  return {
    readOnly: false,
    copiesOnPut: writable.every((node) => node.copiesOnPut === true),
    k,
    async put(cid, bytes, options) {
      // Every node is tried (and waited for, so the caller may reuse `bytes` afterwards); one that is down is skipped.
      const id = cid.toString();
      const results = await Promise.allSettled(
        writable.map((node) =>
          isDown(node)
            ? Promise.reject(new ReplicationError({ operation: 'put', required: 1, succeeded: 0, nodes: 1 }))
            : withRetries(node, options, () => node.put(cid, bytes, options)).then(() => {
                const written = acknowledged.get(node)!;
                written.add(id);
                remember(written, ACKNOWLEDGED_REMEMBERED);
              }),
        ),
      );
      options?.signal?.throwIfAborted();
      const succeeded = results.filter((r) => r.status === 'fulfilled').length;
      if (succeeded > 0 && cid.code !== raw.code && bytes.length <= INNER_BLOCK_REMEMBERED_BYTES) {
        innerBlocks.set(id, bytes.slice()); // a copy: the caller may reuse `bytes`
        remember(innerBlocks, INNER_BLOCKS_REMEMBERED);
      }
      if (succeeded < writeQuorum)
        throw new ReplicationError({
          operation: 'put',
          required: writeQuorum,
          succeeded,
          nodes: writable.length,
          cause: new AggregateError(failures(results)),
        });
    },
    get: (cid, options) => get(cid, options),
    async has(cid, options) {
      for (const node of nodes) if (await node.has(cid, options).catch(() => false)) return true;
      return false;
    },
    async pin(cid, options) {
      // The DAG is walked once for every node; a DAG no node can provide fails on each of them alike.
      const blocks = blocksOf(cid, options);
      blocks.catch(() => {});
      const results = await Promise.allSettled(
        writable.map(async (node) => replicateOnto(node, cid, await blocks, options)),
      );
      options?.signal?.throwIfAborted();
      // Pinning services fetch from the nodes, so they are asked once the nodes hold the DAG.
      results.push(
        ...(await Promise.allSettled(
          pinners.map((pinner) => withRetries(pinner, options, () => pinner.pin(cid, options))),
        )),
      );
      options?.signal?.throwIfAborted();
      // Durability is what the nodes say, not what the calls returned: a node that pinned has just confirmed it
      // (`isPinned` after `pin`); every other holder (pinners, and nodes that failed) is asked now.
      const perNode = await Promise.all(
        holders.map((holder, i) =>
          i < writable.length && results[i]!.status === 'fulfilled'
            ? true
            : holder
                .isPinned(cid, options)
                .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))),
        ),
      );
      const pinned = perNode.filter((p) => p === true).length;
      if (pinned < k)
        throw new ReplicationError({
          operation: 'pin',
          required: k,
          succeeded: pinned,
          nodes: holders.length,
          cid,
          cause: new AggregateError(failures(results)),
        });
    },
    async unpin(cid, options) {
      const results = await Promise.allSettled(
        holders.map((node) => withRetries(node, options, () => node.unpin(cid, options))),
      );
      const succeeded = results.filter((r) => r.status === 'fulfilled').length;
      if (succeeded < holders.length)
        throw new ReplicationError({
          operation: 'unpin',
          required: holders.length,
          succeeded,
          nodes: holders.length,
          cid,
          cause: new AggregateError(failures(results)),
        });
    },
    async delete(cid, options) {
      // Every writable node that can remove single blocks does (pinning services hold pins, not blocks: `unpin`).
      const erasable = writable.filter((node) => node.delete);
      const results = await Promise.allSettled(
        erasable.map((node) => withRetries(node, options, () => node.delete!(cid, options))),
      );
      const succeeded = results.filter((r) => r.status === 'fulfilled').length;
      if (succeeded < erasable.length)
        throw new ReplicationError({
          operation: 'delete',
          required: erasable.length,
          succeeded,
          nodes: erasable.length,
          cid,
          cause: new AggregateError(failures(results)),
        });
    },
    async isPinned(cid, options) {
      return (await status(cid, options)).pinned >= k;
    },
    status,
    async close() {
      await Promise.allSettled(nodes.map((node) => node.close()));
    },
  };
}

/** Storage calls in flight per node while replicating a DAG. */
const CALLS_IN_FLIGHT = 8;
/** Acknowledged block CIDs remembered per node (about 1,000 MiB of 1 MiB leaves; a few MiB of memory). */
const ACKNOWLEDGED_REMEMBERED = 16_384;
/** Inner blocks (headers, DAG roots) remembered, and the largest remembered. */
const INNER_BLOCKS_REMEMBERED = 1_024;
const INNER_BLOCK_REMEMBERED_BYTES = 64 * 1024;

/** Runs `task` over `items` with at most `limit` in flight; rejects with the first failure, after the others settle. */
async function forEachLimit<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { readonly error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && !failure) {
      const item = items[next++]!;
      try {
        await task(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
}

/** Whether trying again may help (a node down or slow), as opposed to a request that can never succeed. */
function retryable(error: unknown): boolean {
  return !(error instanceof InvalidParametersError || error instanceof StorageReadOnlyError);
}

function failures(results: PromiseSettledResult<unknown>[]): unknown[] {
  return results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason);
}

async function hashesTo(cid: CID, bytes: Uint8Array): Promise<boolean> {
  // Other hash functions are left to the node's own check (every storage verifies what it returns).
  if (cid.multihash.code !== sha256.code) return true;
  return equals((await sha256.digest(bytes)).digest, cid.multihash.digest);
}
