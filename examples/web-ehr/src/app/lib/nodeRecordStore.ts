import type { RecordStore } from '@mhrchain/consent';
import { createGatewayStorage, type Storage } from '@mhrchain/core';
import { createStorageClient } from './storageClient.js';

/**
 * The SDK's record store, backed by the example's storage node: each block the SDK stores is uploaded as a CAR
 * (`POST /car`); each block it reads comes through the node's trustless gateway with core's gateway storage
 * (Helia's verified fetch: a block that does not match its CID is refused).
 */
export function createNodeRecordStore(storageUrl: string): RecordStore {
  const client = createStorageClient(storageUrl);
  let gateway: Promise<Storage> | undefined;
  return {
    put: (cid, bytes) => client.putBlocks(cid, [{ cid, bytes }]),
    async get(cid) {
      gateway ??= createGatewayStorage({ gateways: [storageUrl], allowInsecure: true, timeout: 10_000 });
      return (await gateway).get(cid);
    },
  };
}
