import { addRecord } from '@mhrchain/consent';
import type { CID } from 'multiformats/cid';
import type { Session } from './session.js';

/** Where an upload is. `fraction` (0–1) is set while blocks are being stored. */
export type UploadProgress =
  | { phase: 'encrypting' }
  | { phase: 'storing'; stored: number; total: number; fraction: number }
  | { phase: 'anchoring' };

/** Parameters of {@link uploadRecord}. */
export interface UploadRecordParameters {
  data: Uint8Array;
  mediaType: string;
  title: string;
  category: number;
  /** FHIR resource type, for FHIR JSON. */
  resourceType?: string;
  onProgress(progress: UploadProgress): void;
  /** Cancels the upload while its blocks are being stored (nothing reaches the chain). */
  signal?: AbortSignal;
}

/**
 * Adds a record (the SDK's `addRecord`) and reports its progress: the SDK takes no progress callback, so the page
 * watches the blocks its record store writes (the encrypted payload, about 1 MiB per block, then the header) and
 * counts their bytes against the plaintext size (the envelope adds a few bytes per 64 KiB chunk). The envelope CID is
 * anchored on chain once every block is stored; a cancelled upload stops before that, and the page's journal
 * releases the stored blocks on the next visit.
 */
export async function uploadRecord(session: Session, parameters: UploadRecordParameters): Promise<{ cid: CID }> {
  const { data, onProgress, signal } = parameters;
  signal?.throwIfAborted();
  const total = Math.max(data.length, 1);
  let stored = 0;
  onProgress({ phase: 'encrypting' });
  session.storeWatch.current = {
    signal,
    onStored(bytes) {
      stored += bytes;
      if (stored >= total) onProgress({ phase: 'anchoring' });
      else onProgress({ phase: 'storing', stored, total, fraction: stored / total });
    },
  };
  try {
    const { cid } = await addRecord(session.client, {
      data,
      metadata: {
        mediaType: parameters.mediaType,
        title: parameters.title,
        ...(parameters.resourceType ? { resourceType: parameters.resourceType } : {}),
      },
      category: parameters.category,
    });
    return { cid };
  } finally {
    session.storeWatch.current = undefined;
  }
}
