import { CarWriter } from '@ipld/car/writer';
import type { CID } from 'multiformats/cid';
import { sha256 } from 'multiformats/hashes/sha2';

/** A block to store: bytes and their CID. */
export interface StoredBlock {
  readonly cid: CID;
  readonly bytes: Uint8Array;
}

/** The browser's view of the storage node: CAR upload and trustless block reads. */
export interface StorageClient {
  /** Packs the blocks into one CAR (rooted at `root`) and uploads it; resolves when the node holds them all. */
  putBlocks(root: CID, blocks: readonly StoredBlock[]): Promise<void>;
  /** Reads one block through the trustless gateway and checks it against its CID. */
  getBlock(cid: CID): Promise<Uint8Array>;
}

/** Builds a CAR file in memory. */
export async function packCar(root: CID, blocks: readonly StoredBlock[]): Promise<Uint8Array<ArrayBuffer>> {
  const { writer, out } = CarWriter.create([root]);
  const chunks: Uint8Array[] = [];
  const reading = (async () => {
    for await (const chunk of out) chunks.push(chunk);
  })();
  for (const block of blocks) await writer.put(block);
  await writer.close();
  await reading;
  const car = new Uint8Array(chunks.reduce((size, chunk) => size + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    car.set(chunk, offset);
    offset += chunk.length;
  }
  return car;
}

/**
 * A {@link StorageClient} for the example's storage node at `baseUrl`. Reads are trustless: a block whose hash
 * does not match its CID is refused, so the node (or anything between) cannot change a record unnoticed.
 */
export function createStorageClient(baseUrl: string): StorageClient {
  return {
    async putBlocks(root, blocks) {
      const response = await fetch(`${baseUrl}/car`, {
        method: 'POST',
        headers: { 'content-type': 'application/vnd.ipld.car' },
        body: await packCar(root, blocks),
      });
      if (!response.ok) throw new Error(`Storage node refused the upload: ${response.status} ${await response.text()}`);
    },
    async getBlock(cid) {
      const response = await fetch(`${baseUrl}/ipfs/${cid}?format=raw`, {
        headers: { accept: 'application/vnd.ipld.raw' },
      });
      if (!response.ok) throw new Error(`Block ${cid} not available: ${response.status}`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (cid.multihash.code !== sha256.code) throw new Error(`Unsupported hash in ${cid}`);
      const digest = await sha256.digest(bytes);
      const expected = cid.multihash.digest;
      if (digest.digest.length !== expected.length || digest.digest.some((byte, i) => byte !== expected[i])) {
        throw new Error(`Block ${cid} does not match its CID`);
      }
      return bytes;
    },
  };
}
