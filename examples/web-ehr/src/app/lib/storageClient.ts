import { CarWriter } from '@ipld/car/writer';
import type { CID } from 'multiformats/cid';

/** A block to store: bytes and their CID. */
export interface StoredBlock {
  readonly cid: CID;
  readonly bytes: Uint8Array;
}

/** The browser's writes to the storage node: CAR uploads. (Reads go through core's gateway storage.) */
export interface StorageClient {
  /** Packs the blocks into one CAR (rooted at `root`) and uploads it; resolves when the node holds them all. */
  putBlocks(root: CID, blocks: readonly StoredBlock[]): Promise<void>;
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

/** A {@link StorageClient} for the example's storage node at `baseUrl` (the node checks every block's hash). */
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
  };
}
