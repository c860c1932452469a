import type { HeliaInit } from 'helia';
import type { CID } from 'multiformats/cid';
import { BlockNotFoundError, InvalidBlockError, StorageReadOnlyError } from './errors.js';
import { concatBytes } from './internal/bytes.js';
import type { Storage } from './storage.js';

/** Parameters of {@link createGatewayStorage}. */
export interface CreateGatewayStorageParameters {
  /** Base URLs of trustless gateways, e.g. `https://trustless-gateway.link` or `http://127.0.0.1:8080`. */
  readonly gateways: readonly string[];
  /** Allow `http:` and loopback/private gateways (tests, a node on the local network). Default: false. */
  readonly allowInsecure?: boolean;
  /** Milliseconds before a block request fails. Default: 30 000. */
  readonly timeout?: number;
}

/**
 * A read-only {@link Storage} that fetches raw blocks from trustless gateways through an offline Helia node's
 * trustless-gateway block broker (`@helia/http`): every block is hash-checked against its CID, so a gateway that serves anything else is rejected. Blocks are not kept
 * (memory stays bounded while streaming large records).
 *
 * @example
 * ```ts
 * import { createGatewayStorage } from '@mhrchain/core';
 *
 * const storage = await createGatewayStorage({ gateways: ['https://trustless-gateway.link'] });
 * // const record = await loadEnvelope(storage, cid, identity);
 * await storage.close();
 * ```
 */
export async function createGatewayStorage(parameters: CreateGatewayStorageParameters): Promise<Storage> {
  // Loaded on first use: importing @mhrchain/core stays cheap for code that never reads from a gateway.
  const [{ withHTTP }, dagCbor, { MemoryBlockstore }, { MemoryDatastore }, { createHeliaLight }] = await Promise.all([
    import('@helia/http'),
    import('@ipld/dag-cbor'),
    import('blockstore-core/memory'),
    import('datastore-core/memory'),
    import('helia'),
  ]);
  const blockstore = new MemoryBlockstore();
  const init: HeliaInit = {
    blockstore,
    datastore: new MemoryDatastore(),
    codecs: [dagCbor],
    // The gateways are the providers; this router only answers "no other providers" so lookups end at once
    // (helia 7 waits for every router, and the gateways' fallback router alone never ends the lookup).
    routers: [
      {
        name: 'no-other-providers',
        async *findProviders() {},
      },
    ],
  };
  const allowInsecure = parameters.allowInsecure ?? false;
  // The trustless-gateway block broker asks `GET /ipfs/<cid>` for `application/vnd.ipld.raw`; Helia hashes every
  // answer and rejects one that does not match its CID.
  const helia = withHTTP(createHeliaLight(init), {
    delegatedRouters: [],
    recursiveGateways: [...parameters.gateways],
    allowInsecure,
    allowLocal: allowInsecure,
  });
  await helia.start();
  const timeout = parameters.timeout ?? 30_000;
  const readOnly = (operation: string) => async () => {
    throw new StorageReadOnlyError({ operation });
  };

  return {
    readOnly: true,
    async get(cid: CID, options) {
      const signal = options?.signal
        ? AbortSignal.any([options.signal, AbortSignal.timeout(timeout)])
        : AbortSignal.timeout(timeout);
      const parts: Uint8Array[] = [];
      try {
        for await (const part of helia.blockstore.get(cid, { signal })) parts.push(part);
      } catch (cause) {
        if (isHashMismatch(cause))
          throw new InvalidBlockError({ details: `gateway answer for ${cid.toString()}`, cause });
        throw new BlockNotFoundError({ cid: cid.toString(), cause });
      } finally {
        // Blocks are not kept: memory stays bounded while streaming large records.
        await blockstore.delete(cid);
      }
      return parts.length === 1 ? parts[0]! : concatBytes(parts);
    },
    async has() {
      return false;
    },
    put: readOnly('put'),
    pin: readOnly('pin'),
    unpin: readOnly('unpin'),
    async isPinned() {
      return false;
    },
    async close() {
      await helia.stop();
    },
  };
}

/** Whether a failed retrieval was a block whose hash does not match its CID (as opposed to no block at all). */
function isHashMismatch(error: unknown): boolean {
  const errors = error instanceof AggregateError ? error.errors : [error];
  return errors.some((e) => e instanceof Error && /hash|digest|multihash/i.test(`${e.name} ${e.message}`));
}
