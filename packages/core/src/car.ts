import { CarBlockIterator, CarWriter } from '@ipld/car';
import type { CID } from 'multiformats/cid';
import { sha256 } from 'multiformats/hashes/sha2';
import { InvalidBlockError, InvalidParametersError } from './errors.js';
import { equalBytes, iterateStream } from './internal/bytes.js';
import { walkDag } from './internal/walkDag.js';
import type { Storage, StorageCallOptions } from './storage.js';

/**
 * Exports envelopes (or any DAGs) with all their blocks as a CARv1 stream whose roots are `cids`: a portable
 * archive another node imports with {@link importCar}, readable by any CAR tool (`ipfs-car`, `ipfs dag import`).
 *
 * @example
 * ```ts
 * import { createMemoryStorage, exportCar, generateIdentity, storeEnvelope } from '@mhrchain/core';
 *
 * const storage = createMemoryStorage();
 * const { cid } = await storeEnvelope(storage, {
 *   data: new TextEncoder().encode('hello'),
 *   metadata: { mediaType: 'text/plain' },
 *   recipients: [generateIdentity().publicKey],
 * });
 * const car = exportCar(storage, [cid]); // ReadableStream<Uint8Array>
 * ```
 */
export function exportCar(
  storage: Storage,
  cids: readonly CID[],
  options: StorageCallOptions = {},
): ReadableStream<Uint8Array> {
  if (!Array.isArray(cids) || cids.length === 0) throw new InvalidParametersError('Give at least one CID to export.');
  const { writer, out } = CarWriter.create([...cids]);
  const iterator = out[Symbol.asyncIterator]();
  const fill = (async () => {
    const seen = new Set<string>();
    try {
      for (const root of cids) {
        for await (const block of walkDag(storage, root, options)) {
          const id = block.cid.toString();
          if (seen.has(id)) continue;
          seen.add(id);
          await writer.put(block);
        }
      }
    } finally {
      await writer.close();
    }
  })();
  fill.catch(() => {});
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const step = await iterator.next();
      if (step.done) {
        await fill; // surfaces a walk error (missing block)
        controller.close();
      } else controller.enqueue(step.value);
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

/** The outcome of {@link importCar}. */
export interface ImportCarReturnType {
  /** The CAR's roots (pinned unless `pin: false`). */
  readonly roots: CID[];
  /** Number of blocks imported. */
  readonly blocks: number;
}

/**
 * Imports a CAR (bytes or stream) into a storage. Every block is hash-checked against its CID (sha2-256 only) before
 * it is stored; the roots are then pinned, which also checks that the archive is complete.
 *
 * @throws {@link InvalidBlockError} for a block that does not match its CID or an unsupported hash.
 * @example
 * ```ts
 * import { createMemoryStorage, exportCar, importCar, generateIdentity, storeEnvelope } from '@mhrchain/core';
 *
 * const here = createMemoryStorage();
 * const { cid } = await storeEnvelope(here, {
 *   data: new TextEncoder().encode('hello'),
 *   metadata: { mediaType: 'text/plain' },
 *   recipients: [generateIdentity().publicKey],
 * });
 * const there = createMemoryStorage();
 * const { roots } = await importCar(there, exportCar(here, [cid]));
 * ```
 */
export async function importCar(
  storage: Storage,
  source: Uint8Array | ReadableStream<Uint8Array>,
  options: StorageCallOptions & { pin?: boolean } = {},
): Promise<ImportCarReturnType> {
  const callOptions = options.signal ? { signal: options.signal } : {};
  let blocks: CarBlockIterator;
  try {
    blocks =
      source instanceof Uint8Array
        ? await CarBlockIterator.fromBytes(source)
        : await CarBlockIterator.fromIterable(iterateStream(source));
  } catch (cause) {
    throw new InvalidBlockError({ details: 'not a CAR file', cause });
  }
  const roots = await blocks.getRoots();
  let count = 0;
  try {
    for await (const { cid, bytes } of blocks) {
      if (cid.multihash.code !== sha256.code)
        throw new InvalidBlockError({ details: `unsupported hash in ${cid.toString()}` });
      if (!equalBytes((await sha256.digest(bytes)).digest, cid.multihash.digest))
        throw new InvalidBlockError({ details: `block does not match ${cid.toString()}` });
      await storage.put(cid, bytes, callOptions);
      count++;
    }
  } catch (cause) {
    if (cause instanceof InvalidBlockError) throw cause;
    throw new InvalidBlockError({ details: 'malformed CAR file', cause });
  }
  if (options.pin !== false) for (const root of roots) await storage.pin(root, callOptions);
  return { roots, blocks: count };
}
