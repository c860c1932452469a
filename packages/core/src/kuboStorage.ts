import * as dagCbor from '@ipld/dag-cbor';
import * as dagPb from '@ipld/dag-pb';
import type { KuboRPCClient } from 'kubo-rpc-client';
import type { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import { sha256 } from 'multiformats/hashes/sha2';
import { equals } from 'uint8arrays/equals';
import {
  BlockNotFoundError,
  InvalidBlockError,
  InvalidParametersError,
  KuboRpcError,
  KuboUnreachableError,
} from './errors.js';
import { createKuboBlockPut } from './internal/kuboBlockPut.js';
import type { Storage, StorageCallOptions } from './storage.js';

/** Parameters of {@link createKuboStorage}. */
export interface CreateKuboStorageParameters {
  /** The node's RPC API, e.g. `http://127.0.0.1:5001`. Only give the RPC API of a node you trust to write to. */
  readonly url: string;
  /** Milliseconds before a call fails (a block the node must fetch from its peers, a slow pin). Default: 30,000. */
  readonly timeout?: number;
  /**
   * Never let the node fetch from its peers: `get` and `pin` use only blocks it already holds. Default: false (a
   * block the node lacks is fetched over bitswap from the peers it is connected to).
   */
  readonly offline?: boolean;
  /** Extra HTTP headers on every call (for example `Authorization` for a node behind a proxy). */
  readonly headers?: Record<string, string>;
}

/** A {@link Storage} on a Kubo node. */
export interface KuboStorage extends Storage {
  /** The RPC API URL. */
  readonly url: string;
  /** Runs the node's garbage collector (`ipfs repo gc`): blocks not pinned are removed. */
  gc(options?: StorageCallOptions): Promise<void>;
  /**
   * Removes one block from the node now (`block/rm`; no error when absent). The node refuses a block that a pin still
   * holds (`KuboRpcError`): unpin first.
   */
  delete(cid: CID, options?: StorageCallOptions): Promise<void>;
}

const codecNames: Record<number, string> = { [raw.code]: 'raw', [dagPb.code]: 'dag-pb', [dagCbor.code]: 'dag-cbor' };

/**
 * A {@link Storage} on a Kubo (go-ipfs) node through its RPC API (`kubo-rpc-client`; blocks are posted directly, one
 * multipart request each, over kept-alive connections in Node): blocks are written with their own codec and hash
 * (`block/put`, checked to come back under the same CID), reads are hash-checked against the CID
 * (a node that answers other bytes is rejected with `InvalidBlockError`), pins are recursive. A node that cannot be
 * reached throws `KuboUnreachableError` (also from this function, which asks the node for its identity first); one
 * that answers an error or something other than asked throws `KuboRpcError`.
 *
 * @example
 * ```ts
 * import { createKuboStorage, generateIdentity, loadEnvelope, storeEnvelope } from '@mhrchain/core';
 *
 * const storage = await createKuboStorage({ url: 'http://127.0.0.1:5001' });
 * const patient = generateIdentity();
 * const { cid } = await storeEnvelope(storage, {
 *   data: new TextEncoder().encode('{"resourceType":"Observation"}'),
 *   metadata: { mediaType: 'application/fhir+json' },
 *   recipients: [patient.publicKey],
 * });
 * const record = await loadEnvelope(storage, cid, patient);
 * await storage.close();
 * ```
 */
export async function createKuboStorage(parameters: CreateKuboStorageParameters): Promise<KuboStorage> {
  // Loaded on first use: importing @mhrchain/core stays cheap for code that never talks to a Kubo node.
  const { create } = await import('kubo-rpc-client');
  const url = parameters.url.replace(/\/+$/, '');
  const timeout = parameters.timeout ?? 30_000;
  const offline = parameters.offline ?? false;
  const client: KuboRPCClient = create({ url, headers: parameters.headers });
  // Blocks are written without the client: its multipart encoding costs about four times the CPU (see kuboBlockPut).
  const blockPut = createKuboBlockPut(url, parameters.headers);

  /** Runs one RPC call with the caller's signal and the timeout, mapping failures to typed errors. */
  const call = async <T>(
    name: string,
    options: StorageCallOptions | undefined,
    body: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> => {
    options?.signal?.throwIfAborted();
    const timer = AbortSignal.timeout(timeout);
    const signal = options?.signal ? AbortSignal.any([options.signal, timer]) : timer;
    try {
      return await body(signal);
    } catch (cause) {
      if (options?.signal?.aborted) throw options.signal.reason;
      if (cause instanceof KuboRpcError) throw cause;
      if (isHttpError(cause)) throw new KuboRpcError({ call: name, details: messageOf(cause), cause });
      if (timer.aborted) throw new KuboRpcError({ call: name, details: `no answer within ${timeout} ms`, cause });
      throw new KuboUnreachableError({ url, cause });
    }
  };

  await call('id', undefined, (signal) => client.id({ signal }));
  const offlineQuery = offline ? { offline: true } : {};

  return {
    readOnly: false,
    copiesOnPut: true,
    url,
    async put(cid, bytes, options) {
      const codec = codecNames[cid.code];
      if (cid.version !== 1 || codec === undefined || cid.multihash.code !== sha256.code)
        throw new InvalidParametersError(
          'Kubo storage takes CIDv1 raw, dag-pb or dag-cbor blocks hashed with sha2-256.',
          {
            details: cid.toString(),
          },
        );
      const stored = await call('block/put', options, (signal) =>
        blockPut.put(bytes, { 'cid-codec': codec, mhtype: 'sha2-256' }, signal),
      );
      if (stored !== cid.toString())
        throw new KuboRpcError({
          call: 'block/put',
          details: `stored the block under ${stored}, not ${cid.toString()}`,
        });
    },
    async get(cid, options) {
      let bytes: Uint8Array;
      try {
        bytes = await call('block/get', options, (signal) => client.block.get(cid, { signal, ...offlineQuery }));
      } catch (error) {
        if (error instanceof KuboRpcError) throw new BlockNotFoundError({ cid: cid.toString(), cause: error });
        throw error;
      }
      if (!(await hashesTo(cid, bytes)))
        throw new InvalidBlockError({
          details: `the Kubo node at ${url} answered bytes that do not hash to ${cid.toString()}`,
        });
      return bytes;
    },
    async has(cid, options) {
      try {
        await call('block/stat', options, (signal) => client.block.stat(cid, { signal, offline: true } as never));
        return true;
      } catch (error) {
        if (error instanceof KuboRpcError && /not found|no such|not exist/i.test(error.details ?? '')) return false;
        throw error;
      }
    },
    async pin(cid, options) {
      const pinned = await call('pin/add', options, (signal) =>
        client.pin.add(cid, { signal, recursive: true, ...offlineQuery }),
      );
      if (pinned.toString() !== cid.toString())
        throw new KuboRpcError({ call: 'pin/add', details: `pinned ${pinned.toString()}, not ${cid.toString()}` });
    },
    async unpin(cid, options) {
      try {
        await call('pin/rm', options, (signal) => client.pin.rm(cid, { signal, recursive: true }));
      } catch (error) {
        // Like the other storages: unpinning what is not pinned is not an error.
        if (error instanceof KuboRpcError && /not pinned/i.test(error.details ?? '')) return;
        throw error;
      }
    },
    async isPinned(cid, options) {
      try {
        return await call('pin/ls', options, async (signal) => {
          for await (const pin of client.pin.ls({ signal, paths: cid, type: 'all' }))
            if (pin.cid.equals(cid) && (pin.type === 'recursive' || pin.type === 'direct')) return true;
          return false;
        });
      } catch (error) {
        if (error instanceof KuboRpcError && /not pinned/i.test(error.details ?? '')) return false;
        throw error;
      }
    },
    async delete(cid, options) {
      await call('block/rm', options, async (signal) => {
        for await (const result of client.block.rm(cid, { signal, force: true }))
          if (result.error) throw new KuboRpcError({ call: 'block/rm', details: result.error.message });
      });
    },
    async gc(options) {
      await call('repo/gc', options, async (signal) => {
        for await (const result of client.repo.gc({ signal })) if (result.err) throw result.err;
      });
    },
    async close() {
      blockPut.close();
    },
  };
}

async function hashesTo(cid: CID, bytes: Uint8Array): Promise<boolean> {
  if (cid.multihash.code !== sha256.code) return false;
  return equals((await sha256.digest(bytes)).digest, cid.multihash.digest);
}

function isHttpError(error: unknown): boolean {
  return error instanceof Error && error.name === 'HTTPError';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
