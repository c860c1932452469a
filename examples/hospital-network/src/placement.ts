/**
 * Where a record's blocks live: for each IPFS node, whether it pins the envelope and how many of its blocks it holds
 * (asked without fetching: `createKuboStorage({ offline: true })`).
 */
import * as dagPb from '@ipld/dag-pb';
import { readEnvelopeHeader, type Storage } from '@mhrchain/core';
import type { CID } from 'multiformats/cid';

/** A node as the network operator sees it. */
export interface NetworkNode {
  readonly name: string;
  /** The node's storage, offline (answers only from what the node holds). */
  readonly storage: Storage;
  /** Whether the node is up. */
  readonly running: boolean;
}

/** A record's blocks on one node. */
export interface NodePlacement {
  readonly node: string;
  /** `down` when the node is not running. */
  readonly state: 'pinned' | 'cached' | 'absent' | 'down';
  /** Blocks of the envelope the node holds (0 when down). */
  readonly blocks: number;
}

/** A record's blocks across the network. */
export interface Placement {
  /** Blocks of the envelope: header, payload root and leaves (0 when no running node holds them all). */
  readonly blocks: number;
  readonly nodes: readonly NodePlacement[];
}

/** The CIDs of an envelope's blocks (header, then the payload DAG), read from whichever node holds each. */
async function envelopeBlocks(nodes: readonly NetworkNode[], cid: CID): Promise<CID[] | undefined> {
  const read = async (block: CID) => {
    for (const node of nodes) {
      if (!node.running) continue;
      if (await node.storage.has(block).catch(() => false)) return node.storage.get(block);
    }
    return undefined;
  };
  const header = await read(cid);
  if (!header) return undefined;
  const out: CID[] = [cid];
  const stack = [readEnvelopeHeader(header).payload];
  while (stack.length > 0) {
    const block = stack.pop()!;
    out.push(block);
    if (block.code !== dagPb.code) continue; // raw leaves have no links
    const bytes = await read(block);
    if (!bytes) return undefined;
    stack.push(...dagPb.decode(bytes).Links.map((link) => link.Hash));
  }
  return out;
}

/** Asks every running node which of the envelope's blocks it holds and whether it pins the envelope. */
export async function placementOf(nodes: readonly NetworkNode[], cid: CID): Promise<Placement> {
  const blocks = await envelopeBlocks(nodes, cid);
  const perNode = await Promise.all(
    nodes.map(async (node): Promise<NodePlacement> => {
      if (!node.running) return { node: node.name, state: 'down', blocks: 0 };
      let held = 0;
      for (const block of blocks ?? [cid]) if (await node.storage.has(block)) held++;
      const pinned = await node.storage.isPinned(cid);
      return { node: node.name, state: pinned ? 'pinned' : held > 0 ? 'cached' : 'absent', blocks: held };
    }),
  );
  return { blocks: blocks?.length ?? 0, nodes: perNode };
}
