import { MemoryBlockstore } from 'blockstore-core/memory';
import { importer } from 'ipfs-unixfs-importer';
import { fixedSize } from 'ipfs-unixfs-importer/chunker';
import { balanced } from 'ipfs-unixfs-importer/layout';
import type { CID } from 'multiformats/cid';
import { describe, expect, it } from 'vitest';
import { concatBytes } from './bytes.js';
import { createPayloadBuilder, rawBlock, readPayload } from './payloadDag.js';

// The DAG's shape does not depend on the leaf size (983 280 bytes in envelopes); small leaves keep the test fast.
const FRAME = 1000;

async function build(leafCount: number, lastSize: number) {
  const builder = createPayloadBuilder();
  const leaves: Uint8Array[] = [];
  const blocks = new Map<string, Uint8Array>();
  for (let i = 0; i < leafCount; i++) {
    const leaf = new Uint8Array(i === leafCount - 1 ? lastSize : FRAME).fill(i % 251);
    leaf[0] = i & 0xff;
    leaf[1] = i >> 8;
    leaves.push(leaf);
    const block = await rawBlock(leaf);
    blocks.set(block.cid.toString(), block.bytes);
    for (const parent of await builder.add(block)) blocks.set(parent.cid.toString(), parent.bytes);
  }
  const done = await builder.finish();
  for (const parent of done.blocks) blocks.set(parent.cid.toString(), parent.bytes);
  return { root: done.root, size: done.size, leaves, blocks };
}

async function importerRoot(content: Uint8Array): Promise<CID> {
  let root: CID | undefined;
  for await (const entry of importer([{ content }], new MemoryBlockstore(), {
    cidVersion: 1,
    rawLeaves: true,
    reduceSingleLeafToSelf: true,
    chunker: fixedSize({ chunkSize: FRAME }),
    layout: balanced({ maxChildrenPerNode: 174 }),
  }))
    root = entry.cid;
  return root!;
}

describe('payload DAG', () => {
  it.each([
    [1, 16],
    [1, FRAME],
    [2, 100],
    [174, FRAME],
    [175, 500],
    [349, 20],
    [174 * 174 + 1, 7],
  ])(
    '%i leaves: same root as the UnixFS importer (raw leaves, fixed-size chunks), and reads back',
    async (count, last) => {
      const built = await build(count, last);
      const content = concatBytes(built.leaves);
      expect(built.size).toBe(BigInt(content.length));
      expect(built.root.toString()).toBe((await importerRoot(content)).toString());
      const read: Uint8Array[] = [];
      for await (const leaf of readPayload(async (cid) => built.blocks.get(cid.toString())!, built.root, 3))
        read.push(leaf);
      expect(read.length).toBe(count);
      expect(Buffer.from(concatBytes(read)).equals(Buffer.from(content))).toBe(true);
    },
    60_000,
  );
});
