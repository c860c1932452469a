import type { RecordStore } from '@mhrchain/consent';
import { createGatewayStorage, type Storage } from '@mhrchain/core';
import { createStorageClient } from './storageClient.js';

/**
 * The SDK's record store: the page's own embedded IPFS node (`local`, on IndexedDB: the blocks stay in this browser
 * across reloads) in front of the example's storage node. Each block the SDK stores goes into the local node and is
 * uploaded as a CAR (`POST /car`) so that others can fetch it; each block it reads comes from the local node when
 * it is there, otherwise through the storage node's trustless gateway with core's gateway storage (Helia's verified
 * fetch: a block that does not match its CID is refused), and is then kept locally.
 */
export function createNodeRecordStore(storageUrl: string, local: Storage): RecordStore {
  const client = createStorageClient(storageUrl);
  let gateway: Promise<Storage> | undefined;
  return {
    async put(cid, bytes) {
      await local.put(cid, bytes);
      await client.putBlocks(cid, [{ cid, bytes }]);
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
