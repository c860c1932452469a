import * as dagPb from '@ipld/dag-pb';
import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import type { RecordStore } from '../recordStore.js';

/** Yields the leaves of an envelope payload (UnixFS file of raw leaves) in order. */
async function* payloadLeaves(store: RecordStore, root: CID): AsyncGenerator<Uint8Array> {
  if (root.code === raw.code) {
    yield await store.get(root);
    return;
  }
  if (root.code !== dagPb.code) throw new Error(`Unexpected payload codec ${root.code}`);
  const node = dagPb.decode(await store.get(root));
  for (const link of node.Links) yield* payloadLeaves(store, CID.asCID(link.Hash) ?? CID.decode(link.Hash.bytes));
}

/** The payload as a Web stream of its encrypted chunks. */
export function payloadStream(store: RecordStore, root: CID): ReadableStream<Uint8Array> {
  const leaves = payloadLeaves(store, root);
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await leaves.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await leaves.return(undefined);
    },
  });
}
