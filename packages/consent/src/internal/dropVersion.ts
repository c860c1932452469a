import { eraseDag, readEnvelopeHeader } from '@mhrchain/core';
import type { CID } from 'multiformats/cid';
import type { ConsentClient } from '../client.js';

/**
 * Drops a superseded version from the client's store once its successor is anchored: unpinned, and, when the store
 * deletes single blocks, its blocks removed now except those the current version still uses (a re-wrapped version
 * shares its predecessor's payload; an eagerly rotated one shares nothing). A reader that was given the old version
 * and never downloaded it can no longer fetch it. Idempotent.
 */
export async function dropVersion(client: ConsentClient, superseded: CID, current: CID): Promise<void> {
  if (superseded.equals(current)) return;
  if (!client.store.delete) {
    await client.store.unpin?.(superseded);
    return;
  }
  const keep = [current, readEnvelopeHeader(await client.store.get(current)).payload];
  await eraseDag(client.store, superseded, { keep });
}
