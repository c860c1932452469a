import { concat, keccak256, toUtf8Bytes } from 'ethers';
import { describe, expect, it } from 'vitest';
import { InvalidSegmentBatchError } from './errors.js';
import { buildSegmentMerkleTree, segmentLeaf } from './segmentMerkleTree.js';

const cid = (i: number) => toUtf8Bytes(`segment-${i}`);
const node = (a: string, b: string) => keccak256(concat(['0x01', a < b ? a : b, a < b ? b : a]));

/** Recomputes the root from a leaf and its proof, as SegmentMerkle.verify does on chain. */
const fold = (leaf: string, proof: string[]) => proof.reduce(node, leaf);

describe('buildSegmentMerkleTree', () => {
  it('matches the contract layout for three leaves (odd node carried up)', () => {
    const tree = buildSegmentMerkleTree([cid(0), cid(1), cid(2)]);
    const [l0, l1, l2] = [0, 1, 2].map((i) => keccak256(concat(['0x00', cid(i)])));
    expect(tree.leaves).toEqual([l0, l1, l2]);
    expect(tree.root).toBe(node(node(l0!, l1!), l2!));
    expect(tree.proof(2)).toEqual([node(l0!, l1!)]);
  });

  it('a single segment is its own root', () => {
    const tree = buildSegmentMerkleTree([cid(7)]);
    expect(tree.root).toBe(segmentLeaf(cid(7)));
    expect(tree.proof(0)).toEqual([]);
  });

  it('every proof of every batch size folds back to the root, and no proof fits a foreign segment', () => {
    for (let size = 1; size <= 33; size++) {
      const tree = buildSegmentMerkleTree(Array.from({ length: size }, (_, i) => cid(i)));
      for (let i = 0; i < size; i++) {
        expect(fold(tree.leaves[i]!, tree.proof(i))).toBe(tree.root);
        expect(fold(segmentLeaf(cid(size + i)), tree.proof(i))).not.toBe(tree.root);
      }
    }
  });

  it('rejects an empty batch and out-of-range indexes with a typed error', () => {
    expect(() => buildSegmentMerkleTree([])).toThrow(InvalidSegmentBatchError);
    const tree = buildSegmentMerkleTree([cid(0), cid(1)]);
    expect(() => tree.proof(2)).toThrow(InvalidSegmentBatchError);
    expect(() => tree.proof(-1)).toThrow(InvalidSegmentBatchError);
    expect(() => tree.proof(0.5)).toThrow(InvalidSegmentBatchError);
  });
});
