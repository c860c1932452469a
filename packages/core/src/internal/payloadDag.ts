import * as dagPb from '@ipld/dag-pb';
import { UnixFS } from 'ipfs-unixfs';
import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import { create as createDigest } from 'multiformats/hashes/digest';
import { sha256 } from 'multiformats/hashes/sha2';
import type { Block } from '../block.js';

/**
 * The payload is a UnixFS file (CIDv1, sha2-256): raw leaves of {@link CHUNKS_PER_LEAF} consecutive encrypted
 * chunks (983 280 bytes, the largest whole number of chunks within the 1 MiB block size every IPFS implementation
 * exchanges), parents are dag-pb nodes of at most 174 links in the balanced layout, a single leaf is its own root.
 * It is the DAG `ipfs add --cid-version=1 --raw-leaves --chunker=size-983280` builds for the ciphertext, so any IPFS
 * tool can store, pin, serve and export it.
 */
export const MAX_LINKS = 174;
/** Encrypted chunks per payload leaf block. */
export const CHUNKS_PER_LEAF = 15;

interface Entry {
  cid: CID;
  /** Bytes of file content under this entry. */
  fileSize: bigint;
  /** Bytes of all blocks under this entry (dag-pb Tsize). */
  tsize: number;
}

/** Computes the CIDv1 of a raw block. */
export async function rawBlock(bytes: Uint8Array): Promise<Block> {
  return { cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes };
}

/** The raw block of `bytes` whose SHA-256 (`digest`, 32 bytes) was computed elsewhere (a worker thread). */
export function rawBlockOfDigest(bytes: Uint8Array, digest: Uint8Array): Block {
  return { cid: CID.createV1(raw.code, createDigest(sha256.code, digest)), bytes };
}

async function parentOf(entries: Entry[]): Promise<{ block: Block; entry: Entry }> {
  const unixfs = new UnixFS({ type: 'file', blockSizes: entries.map((e) => e.fileSize) });
  const bytes = dagPb.encode(
    dagPb.prepare({
      Data: unixfs.marshal(),
      Links: entries.map((e) => ({ Hash: e.cid, Name: '', Tsize: e.tsize })),
    }),
  );
  const cid = CID.createV1(dagPb.code, await sha256.digest(bytes));
  let fileSize = 0n;
  let tsize = bytes.length;
  for (const e of entries) {
    fileSize += e.fileSize;
    tsize += e.tsize;
  }
  return { block: { cid, bytes }, entry: { cid, fileSize, tsize } };
}

/** Builds the payload DAG leaf by leaf, emitting parent nodes as soon as they are complete (bounded memory). */
export interface PayloadBuilder {
  /** Adds the next leaf (in order); returns the parent blocks completed by it. */
  add(leaf: Block): Promise<Block[]>;
  /** Completes the DAG; returns the remaining parent blocks and the root. */
  finish(): Promise<{ blocks: Block[]; root: CID; size: bigint }>;
}

/** Creates a {@link PayloadBuilder}. */
export function createPayloadBuilder(): PayloadBuilder {
  const levels: Entry[][] = [[]];
  let finished = false;

  async function push(level: number, entry: Entry, out: Block[]): Promise<void> {
    if (levels[level] === undefined) levels[level] = [];
    const entries = levels[level];
    entries.push(entry);
    if (entries.length === MAX_LINKS) {
      levels[level] = [];
      const parent = await parentOf(entries);
      out.push(parent.block);
      await push(level + 1, parent.entry, out);
    }
  }

  return {
    async add(leaf) {
      if (finished) throw new Error('payload already finished');
      const out: Block[] = [];
      await push(0, { cid: leaf.cid, fileSize: BigInt(leaf.bytes.length), tsize: leaf.bytes.length }, out);
      return out;
    },
    async finish() {
      finished = true;
      const out: Block[] = [];
      for (let level = 0; level < levels.length; level++) {
        const entries = levels[level]!;
        const higher = levels.slice(level + 1).some((l) => l.length > 0);
        if (!higher && entries.length === 1) {
          const root = entries[0]!;
          return { blocks: out, root: root.cid, size: root.fileSize };
        }
        if (entries.length === 0) continue;
        levels[level] = [];
        const parent = await parentOf(entries);
        out.push(parent.block);
        if (levels[level + 1] === undefined) levels[level + 1] = [];
        levels[level + 1]!.push(parent.entry);
      }
      throw new Error('empty payload');
    },
  };
}

/** Reads a block by CID (already hash-verified by the caller's storage). */
export type GetBlock = (cid: CID) => Promise<Uint8Array>;

/**
 * Yields the leaves of a payload DAG in order, fetching up to `concurrency` blocks ahead (bounded memory).
 * Throws on a node that is not a UnixFS file or a leaf that is not raw.
 */
export async function* readPayload(get: GetBlock, root: CID, concurrency = 8): AsyncGenerator<Uint8Array> {
  if (root.code === raw.code) {
    yield await get(root);
    return;
  }
  if (root.code !== dagPb.code) throw new Error(`unexpected payload codec 0x${root.code.toString(16)}`);
  const node = dagPb.decode(await get(root));
  if (node.Data === undefined || UnixFS.unmarshal(node.Data).type !== 'file') throw new Error('not a UnixFS file');
  const links = node.Links.map((l) => l.Hash);
  // Leaves are prefetched with a sliding window; inner nodes are walked depth-first.
  const window: { cid: CID; bytes: Promise<Uint8Array> | null }[] = [];
  let next = 0;
  const fill = () => {
    while (window.length < concurrency && next < links.length) {
      const cid = links[next++]!;
      const bytes = cid.code === raw.code ? get(cid) : null;
      bytes?.catch(() => {});
      window.push({ cid, bytes });
    }
  };
  fill();
  while (window.length > 0) {
    const head = window.shift()!;
    if (head.bytes) {
      const bytes = await head.bytes;
      fill();
      yield bytes;
    } else {
      yield* readPayload(get, head.cid, concurrency);
      fill();
    }
  }
}
