import type { RecordStore } from '@mhrchain/consent';
import { createGatewayStorage, type Storage } from '@mhrchain/core';
import { createStorageClient } from './storageClient.js';

/** Watches the blocks the SDK stores during one upload: how many bytes went out, and whether to stop. */
export interface StoreWatch {
  /** Called after each block is in the page's node and on the storage node. */
  onStored?(bytes: number): void;
  /** Aborting makes the next block write throw: the upload stops before the chain hears of it. */
  signal?: AbortSignal;
}

/** Where an upload hangs its {@link StoreWatch} while it runs. */
export interface StoreWatchSlot {
  current: StoreWatch | undefined;
}

/**
 * The SDK's record store: the page's own embedded IPFS node (`local`, on IndexedDB: the blocks stay in this browser
 * across reloads) in front of the example's storage node. Each block the SDK stores goes into the local node and is
 * uploaded as a CAR (`POST /car`) so that others can fetch it; each block it reads comes from the local node when
 * it is there, otherwise through the storage node's trustless gateway with core's gateway storage (Helia's verified
 * fetch: a block that does not match its CID is refused), and is then kept locally. `watch` reports stored bytes
 * to the upload in progress and lets it be cancelled.
 */
export function createNodeRecordStore(storageUrl: string, local: Storage, watch?: StoreWatchSlot): RecordStore {
  const client = createStorageClient(storageUrl);
  let gateway: Promise<Storage> | undefined;
  return {
    async put(cid, bytes) {
      const current = watch?.current;
      current?.signal?.throwIfAborted();
      await local.put(cid, bytes);
      current?.signal?.throwIfAborted();
      await client.putBlocks(cid, [{ cid, bytes }]);
      current?.onStored?.(bytes.length);
    },
    async get(cid) {
      if (await local.has(cid)) return local.get(cid);
      gateway ??= createGatewayStorage({ gateways: [storageUrl], allowInsecure: true, timeout: 10_000 });
      const bytes = await (await gateway).get(cid);
      await local.put(cid, bytes);
      return bytes;
    },
  };
}
