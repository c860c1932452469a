import type { CID } from 'multiformats/cid';

/**
 * An IPLD block: bytes and the CID (v1, sha2-256) that addresses them.
 *
 * @example
 * ```ts
 * import type { Block } from '@mhrchain/core';
 *
 * const describe = (block: Block) => `${block.cid.toString()} (${block.bytes.length} bytes)`;
 * ```
 */
export interface Block {
  /** The block's CID. */
  readonly cid: CID;
  /** The block's bytes. */
  readonly bytes: Uint8Array;
}
