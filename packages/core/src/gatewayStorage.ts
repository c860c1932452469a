import { withHTTP } from '@helia/http';
import { createVerifiedFetchWithHelia } from '@helia/verified-fetch';
import * as dagCbor from '@ipld/dag-cbor';
import { MemoryBlockstore } from 'blockstore-core/memory';
import { MemoryDatastore } from 'datastore-core/memory';
import { createHeliaLight, type HeliaInit } from 'helia';
import type { CID } from 'multiformats/cid';
import { BlockNotFoundError, InvalidBlockError, ReadOnlyStorageError } from './errors.js';
import type { Storage } from './storage.js';
import { RAW_BLOCK_MEDIA_TYPE } from './trustlessGateway.js';

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
 * A read-only {@link Storage} that fetches blocks from trustless gateways through `@helia/verified-fetch`: every
 * block is hash-checked against its CID, so a gateway that serves anything else is rejected. Blocks are not kept
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
  const blockstore = new MemoryBlockstore();
  const init: HeliaInit = {
    blockstore,
    datastore: new MemoryDatastore(),
    codecs: [dagCbor],
    // The gateways are the providers; this router only answers "no other providers" so lookups end at once.
    routers: [
      {
        name: 'no-other-providers',
        async *findProviders() {},
      },
    ],
  };
  const allowInsecure = parameters.allowInsecure ?? false;
  const helia = withHTTP(createHeliaLight(init), {
    delegatedRouters: [],
    recursiveGateways: [...parameters.gateways],
    allowInsecure,
    allowLocal: allowInsecure,
  });
  await helia.start();
  const verifiedFetch = await createVerifiedFetchWithHelia(helia);
  const timeout = parameters.timeout ?? 30_000;
  const readOnly = (operation: string) => async () => {
    throw new ReadOnlyStorageError(operation);
  };

  return {
    readOnly: true,
    async get(cid: CID, options) {
      const signal = options?.signal
        ? AbortSignal.any([options.signal, AbortSignal.timeout(timeout)])
        : AbortSignal.timeout(timeout);
      let response: Response;
      try {
        response = await verifiedFetch(`ipfs://${cid.toString()}`, {
          headers: { accept: RAW_BLOCK_MEDIA_TYPE },
          signal,
          session: false,
        } as never);
      } catch (cause) {
        throw new BlockNotFoundError(cid.toString(), { cause });
      } finally {
        await blockstore.delete(cid);
      }
      if (response.status !== 200) {
        await response.body?.cancel();
        if (response.status === 502 || response.status === 504 || response.status === 404)
          throw new BlockNotFoundError(cid.toString());
        throw new InvalidBlockError(`gateway answer ${response.status} for ${cid.toString()}`);
      }
      return new Uint8Array(await response.arrayBuffer());
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
      await verifiedFetch.stop();
      await helia.stop();
    },
  };
}
