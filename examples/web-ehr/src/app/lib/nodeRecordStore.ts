import type { RecordStore } from '@mhrchain/consent';
import { createStorageClient } from './storageClient.js';

/**
 * The SDK's record store, backed by the example's storage node: each block the SDK stores is uploaded as a CAR
 * (`POST /car`), and each block it reads comes from the node's trustless gateway and is checked against its CID.
 */
export function createNodeRecordStore(storageUrl: string): RecordStore {
  const client = createStorageClient(storageUrl);
  return {
    put: (cid, bytes) => client.putBlocks(cid, [{ cid, bytes }]),
    get: (cid) => client.getBlock(cid),
  };
}
