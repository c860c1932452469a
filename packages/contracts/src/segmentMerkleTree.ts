import { type BytesLike, concat, getBytes, keccak256 } from 'ethers';
import { InvalidSegmentBatchError } from './errors.js';

/** A Merkle tree over the segment CIDs of one stream batch, as `StreamAnchors` verifies it. */
export interface SegmentMerkleTree {
  /** The root to anchor. */
  readonly root: string;
  /** The leaf hash of each segment, in input order. */
  readonly leaves: readonly string[];
  /** The inclusion proof of segment `index` (pass it to `StreamAnchors.verifySegment`). */
  proof(index: number): string[];
}

/**
 * The leaf hash of a segment CID (binary form): `keccak256(0x00 ‖ cid)`.
 *
 * @example
 * ```ts
 * import { segmentLeaf } from '@mhrchain/contracts';
 *
 * segmentLeaf(new Uint8Array([1, 85, 18, 32]));
 * ```
 */
export function segmentLeaf(cid: BytesLike): string {
  return keccak256(concat(['0x00', getBytes(cid)]));
}

function node(a: string, b: string): string {
  const [low, high] = a < b ? [a, b] : [b, a];
  return keccak256(concat(['0x01', low, high]));
}

/**
 * Builds the Merkle tree of a batch of segment CIDs: leaves `keccak256(0x00 ‖ cid)`, inner nodes
 * `keccak256(0x01 ‖ min ‖ max)` (sorted pairs), an odd last node carried up unchanged.
 *
 * @example
 * ```ts
 * import { buildSegmentMerkleTree } from '@mhrchain/contracts';
 *
 * const tree = buildSegmentMerkleTree([new Uint8Array([1]), new Uint8Array([2]), new Uint8Array([3])]);
 * // await chain.streamAnchors.write.anchorStreamBatch(patient, tree.root, 3);
 * // await chain.streamAnchors.read.verifySegment(patient, tree.root, cid1, tree.proof(1)); // true
 * ```
 */
export function buildSegmentMerkleTree(cids: readonly BytesLike[]): SegmentMerkleTree {
  if (cids.length === 0) throw new InvalidSegmentBatchError('A stream batch needs at least one segment.');
  const leaves = cids.map(segmentLeaf);
  const levels: string[][] = [leaves];
  while (levels[levels.length - 1]!.length > 1) {
    const level = levels[levels.length - 1]!;
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2)
      next.push(i + 1 < level.length ? node(level[i]!, level[i + 1]!) : level[i]!);
    levels.push(next);
  }
  return {
    root: levels[levels.length - 1]![0]!,
    leaves,
    proof(index) {
      if (!Number.isInteger(index) || index < 0 || index >= leaves.length) {
        throw new InvalidSegmentBatchError(`No segment ${index} in a batch of ${leaves.length}.`);
      }
      const proof: string[] = [];
      for (let depth = 0; depth < levels.length - 1; depth++) {
        const level = levels[depth]!;
        const sibling = index ^ 1;
        if (sibling < level.length) proof.push(level[sibling]!);
        index >>= 1;
      }
      return proof;
    },
  };
}
