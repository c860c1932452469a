import { buildSegmentMerkleTree, type MhrChain } from '@mhrchain/contracts';
import { type Storage, storeEnvelope } from '@mhrchain/core';
import { CID } from 'multiformats/cid';
import type { LiveStreamDescriptor } from './device.js';
import { InvalidLiveParametersError } from './errors.js';
import type { PublishedFrame, PublishedFrameSink } from './publisher.js';

/** Media type of an archived ECG segment's plaintext: concatenated ECG codec frames. */
export const ECG_SEGMENT_MEDIA_TYPE = 'application/vnd.mhrchain.ecg-frames';

/** Where and for whom batches are anchored. */
export interface StreamAnchorTarget {
  /** The StreamAnchors contract, connected to a signer: the patient, or a device the patient authorized. */
  readonly streamAnchors: MhrChain['streamAnchors'];
  /** The patient's address. */
  readonly patient: string;
}

/** A sealed segment of the stream stored as a core envelope. */
export interface ArchivedSegment {
  /** Position of the segment in the archive (0, 1, …). */
  readonly index: number;
  /** The envelope CID (string form). */
  readonly cid: string;
  /** First and last frame sequence numbers it holds. */
  readonly firstSequence: number;
  readonly lastSequence: number;
  /** Index (per channel) of its first sample, and samples per channel it holds. */
  readonly firstSampleIndex: number;
  readonly sampleCount: number;
}

/** Proof that a segment belongs to a batch anchored on chain: what {@link verifyArchivedSegment} checks. */
export interface SegmentInclusionProof {
  /** The envelope CID (string form). */
  readonly cid: string;
  /** The patient the batch was anchored for. */
  readonly patient: string;
  /** The batch's Merkle root. */
  readonly root: string;
  /** Sibling hashes from the leaf up. */
  readonly proof: readonly string[];
  /** The transaction that anchored the batch. */
  readonly transactionHash: string;
}

/** A batch of segments anchored as one Merkle root. */
export interface AnchoredBatch {
  readonly root: string;
  readonly transactionHash: string;
  readonly segments: readonly ArchivedSegment[];
  /** One proof per segment, in order. */
  readonly proofs: readonly SegmentInclusionProof[];
}

/** Parameters of {@link createStreamArchive}. */
export interface CreateStreamArchiveParameters {
  /** Where the envelopes go (an embedded IPFS node from `createHeliaStorage`, or memory in tests). */
  readonly storage: Storage;
  /** X25519 public keys that may open archived segments (the patient's own key, and doctors if wanted). */
  readonly recipients: readonly Uint8Array[];
  /** The stream being archived (`publisher.descriptor`, or at least its stream id and sample rate). */
  readonly descriptor: Pick<LiveStreamDescriptor, 'streamId' | 'sampleRate'>;
  /** Seconds of signal per segment. Default: 10. */
  readonly segmentSeconds?: number;
  /** Segments per anchored batch. Default: 6. */
  readonly segmentsPerBatch?: number;
  /** Anchor batches on chain. Without it segments are stored but not anchored. */
  readonly anchor?: StreamAnchorTarget;
  /** Called for every stored segment. */
  readonly onSegment?: (segment: ArchivedSegment) => void;
  /** Called for every anchored batch. */
  readonly onBatch?: (batch: AnchoredBatch) => void;
  /** Called when storing or anchoring fails; the work is retried at the next segment or flush. */
  readonly onError?: (error: unknown) => void;
}

/** Archives a live stream: give it to `createLivePublisher({ sink })`. */
export interface StreamArchive extends PublishedFrameSink {
  /** Every segment stored so far. */
  readonly segments: readonly ArchivedSegment[];
  /** Every batch anchored so far. */
  readonly batches: readonly AnchoredBatch[];
  /** Segments stored but not yet anchored. */
  readonly pendingSegments: number;
  /** The inclusion proof of an anchored segment, by CID. */
  proofOf(cid: string): SegmentInclusionProof | undefined;
  /** Seals the partial segment and anchors every pending segment now; throws if storing or anchoring fails. */
  flush(): Promise<void>;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Creates the patient-side archive of a live stream: every `segmentSeconds` of signal, the frames are sealed into
 * a core envelope (stored and pinned), and every `segmentsPerBatch` segments their CIDs are anchored on chain as
 * one Merkle root (StreamAnchors). It taps the frames before the transport, so a broker outage loses nothing here.
 *
 * @example
 * ```ts
 * import { createMemoryStorage, generateIdentity } from '@mhrchain/core';
 * import { createStreamArchive, type LivePublisher } from '@mhrchain/ecg/live';
 *
 * declare const publisher: LivePublisher;
 * const patient = generateIdentity();
 * const archive = createStreamArchive({
 *   storage: createMemoryStorage(),
 *   recipients: [patient.publicKey],
 *   descriptor: publisher.descriptor,
 *   segmentSeconds: 10,
 * });
 * // createLivePublisher({ ..., sink: archive }); later:
 * await archive.flush();
 * console.log(archive.segments.map((s) => s.cid));
 * ```
 */
export function createStreamArchive(parameters: CreateStreamArchiveParameters): StreamArchive {
  const { storage, recipients, descriptor, anchor } = parameters;
  const segmentSeconds = parameters.segmentSeconds ?? 10;
  const segmentsPerBatch = parameters.segmentsPerBatch ?? 6;
  if (!(segmentSeconds > 0))
    throw new InvalidLiveParametersError('segmentSeconds must be positive.', { details: String(segmentSeconds) });
  if (!Number.isSafeInteger(segmentsPerBatch) || segmentsPerBatch < 1 || segmentsPerBatch > 2 ** 32 - 1) {
    throw new InvalidLiveParametersError('segmentsPerBatch must be a positive integer.', {
      details: String(segmentsPerBatch),
    });
  }
  const segmentSamples = Math.max(1, Math.round(segmentSeconds * descriptor.sampleRate));
  const segments: ArchivedSegment[] = [];
  const batches: AnchoredBatch[] = [];
  const proofs = new Map<string, SegmentInclusionProof>();
  let unanchored: ArchivedSegment[] = [];
  let open: PublishedFrame[] = [];
  let openSamples = 0;
  let work: Promise<void> = Promise.resolve();
  const waitingToStore: PublishedFrame[][] = [];

  const storeSegments = async () => {
    while (waitingToStore.length > 0) {
      const frames = waitingToStore[0]!;
      const first = frames[0]!;
      const last = frames[frames.length - 1]!;
      const { cid } = await storeEnvelope(storage, {
        data: concat(frames.map((f) => f.encoded)),
        metadata: {
          mediaType: ECG_SEGMENT_MEDIA_TYPE,
          title: `ECG stream ${descriptor.streamId} frames ${first.sequence}-${last.sequence}`,
        },
        recipients,
      });
      waitingToStore.shift();
      const segment: ArchivedSegment = {
        index: segments.length,
        cid: cid.toString(),
        firstSequence: first.sequence,
        lastSequence: last.sequence,
        firstSampleIndex: first.firstSampleIndex,
        sampleCount: frames.reduce((n, f) => n + f.sampleCount, 0),
      };
      segments.push(segment);
      unanchored.push(segment);
      parameters.onSegment?.(segment);
    }
  };

  const anchorBatch = async (force: boolean) => {
    if (!anchor) {
      unanchored = [];
      return;
    }
    while (unanchored.length >= segmentsPerBatch || (force && unanchored.length > 0)) {
      const batchSegments = unanchored.slice(0, segmentsPerBatch);
      const tree = buildSegmentMerkleTree(batchSegments.map((s) => CID.parse(s.cid).bytes));
      const { hash } = await anchor.streamAnchors.write.anchorStreamBatch(
        anchor.patient,
        tree.root,
        batchSegments.length,
      );
      const batchProofs = batchSegments.map((s, i) => ({
        cid: s.cid,
        patient: anchor.patient,
        root: tree.root,
        proof: tree.proof(i),
        transactionHash: hash,
      }));
      for (const proof of batchProofs) proofs.set(proof.cid, proof);
      unanchored = unanchored.slice(batchSegments.length);
      const batch: AnchoredBatch = {
        root: tree.root,
        transactionHash: hash,
        segments: batchSegments,
        proofs: batchProofs,
      };
      batches.push(batch);
      parameters.onBatch?.(batch);
    }
  };

  let lastError: unknown;
  const schedule = (force: boolean) => {
    work = work
      .then(async () => {
        await storeSegments();
        await anchorBatch(force);
        lastError = undefined;
      })
      .catch((error: unknown) => {
        lastError = error;
        parameters.onError?.(error);
      });
    return work;
  };

  const closeSegment = () => {
    if (open.length === 0) return;
    waitingToStore.push(open);
    open = [];
    openSamples = 0;
  };

  return {
    get segments() {
      return segments;
    },
    get batches() {
      return batches;
    },
    get pendingSegments() {
      return unanchored.length + waitingToStore.length + (open.length > 0 ? 1 : 0);
    },
    proofOf: (cid) => proofs.get(cid),
    append(frame) {
      open.push(frame);
      openSamples += frame.sampleCount;
      if (openSamples >= segmentSamples) {
        closeSegment();
        void schedule(false);
      }
    },
    async flush() {
      closeSegment();
      await schedule(true);
      if (lastError !== undefined) throw lastError;
    },
  };
}
