import * as dagCbor from '@ipld/dag-cbor';
import * as dagPb from '@ipld/dag-pb';
import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import type { Block } from '../block.js';
import { InvalidBlockError } from '../errors.js';
import type { Storage, StorageCallOptions } from '../storage.js';

/** The CIDs a block links to (dag-cbor, dag-pb or raw). */
export function linksOf(cid: CID, bytes: Uint8Array): CID[] {
  if (cid.code === raw.code) return [];
  if (cid.code === dagPb.code) return dagPb.decode(bytes).Links.map((l) => l.Hash);
  if (cid.code === dagCbor.code) {
    const out: CID[] = [];
    const visit = (value: unknown) => {
      const link = CID.asCID(value);
      if (link) out.push(link);
      else if (Array.isArray(value)) value.forEach(visit);
      else if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array))
        Object.values(value).forEach(visit);
    };
    visit(dagCbor.decode(bytes));
    return out;
  }
  throw new InvalidBlockError({ details: `unsupported codec 0x${cid.code.toString(16)}` });
}

/** Yields every block of the DAG under `root` once, depth-first (children in link order). */
export async function* walkDag(storage: Storage, root: CID, options?: StorageCallOptions): AsyncGenerator<Block> {
  const seen = new Set<string>();
  const stack: CID[] = [root];
  while (stack.length > 0) {
    const cid = stack.pop()!;
    const id = cid.toString();
    if (seen.has(id)) continue;
    seen.add(id);
    const bytes = await storage.get(cid, options);
    yield { cid, bytes };
    const links = linksOf(cid, bytes);
    for (let i = links.length - 1; i >= 0; i--) stack.push(links[i]!);
  }
}
