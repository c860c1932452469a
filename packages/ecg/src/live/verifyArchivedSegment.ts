import { type MhrChain, segmentLeaf } from '@mhrchain/contracts';
import { type Identity, loadEnvelope, type Storage } from '@mhrchain/core';
import { concat, keccak256 } from 'ethers';
import { CID } from 'multiformats/cid';
import { type DecodeEcgReturnType, decodeEcg } from '../codec.js';
import { ECG_SEGMENT_MEDIA_TYPE, type SegmentInclusionProof } from './archive.js';
import { SegmentVerificationError } from './errors.js';

/** Parameters of {@link verifyArchivedSegment}. */
export interface VerifyArchivedSegmentParameters {
  /** The StreamAnchors contract (a provider is enough). */
  readonly streamAnchors: MhrChain['streamAnchors'];
  /** The proof the archive returned. */
  readonly proof: SegmentInclusionProof;
}

function parseCid(cid: string): CID {
  try {
    return CID.parse(cid);
  } catch (cause) {
    throw new SegmentVerificationError('Not a CID.', { details: `${cid}: ${String(cause)}` });
  }
}

/**
 * Checks a segment against the chain: the proof folds the segment's CID up to the root, and StreamAnchors confirms
 * that root was anchored for the patient and the CID is included.
 *
 * @throws {@link SegmentVerificationError} when the proof does not lead to the root, or the chain does not confirm it.
 * @example
 * ```ts
 * import { connectMhrChain, type MhrChainAddresses } from '@mhrchain/contracts';
 * import { type SegmentInclusionProof, verifyArchivedSegment } from '@mhrchain/ecg/live';
 * import { JsonRpcProvider } from 'ethers';
 *
 * declare const addresses: MhrChainAddresses;
 * declare const proof: SegmentInclusionProof;
 * const chain = connectMhrChain(new JsonRpcProvider('http://127.0.0.1:8545'), addresses);
 * await verifyArchivedSegment({ streamAnchors: chain.streamAnchors, proof });
 * ```
 */
export async function verifyArchivedSegment(parameters: VerifyArchivedSegmentParameters): Promise<void> {
  const { proof, streamAnchors } = parameters;
  const cid = parseCid(proof.cid);
  let node = segmentLeaf(cid.bytes);
  for (const sibling of proof.proof) {
    const [low, high] = node < sibling ? [node, sibling] : [sibling, node];
    node = keccak256(concat(['0x01', low, high]));
  }
  if (node !== proof.root.toLowerCase()) {
    throw new SegmentVerificationError('The proof does not lead to the anchored root.', { details: proof.cid });
  }
  const included = await streamAnchors.read.verifySegment(proof.patient, proof.root, cid.bytes, [...proof.proof]);
  if (!included) {
    throw new SegmentVerificationError('The chain does not confirm this segment for this patient.', {
      details: proof.cid,
    });
  }
}

/** Parameters of {@link readArchivedSegment}. */
export interface ReadArchivedSegmentParameters {
  /** Where the envelope is (local node, gateways, memory). */
  readonly storage: Storage;
  /** The segment's envelope CID. */
  readonly cid: string;
  /** A recipient of the archive. */
  readonly identity: Identity;
}

/**
 * Reads an archived segment back: loads and opens its envelope (every block is checked against its CID) and
 * decodes the ECG frames.
 *
 * @throws `DecryptionError` from core when `identity` cannot open it; {@link SegmentVerificationError} when it is
 * not an ECG segment.
 * @example
 * ```ts
 * import { createMemoryStorage, generateIdentity } from '@mhrchain/core';
 * import { readArchivedSegment } from '@mhrchain/ecg/live';
 *
 * const storage = createMemoryStorage();
 * const patient = generateIdentity();
 * declare const cid: string; // from archive.segments
 * const { samples, firstSampleIndex } = await readArchivedSegment({ storage, cid, identity: patient });
 * ```
 */
export async function readArchivedSegment(parameters: ReadArchivedSegmentParameters): Promise<DecodeEcgReturnType> {
  const record = await loadEnvelope(parameters.storage, parseCid(parameters.cid), parameters.identity);
  if (record.metadata.mediaType !== ECG_SEGMENT_MEDIA_TYPE) {
    throw new SegmentVerificationError('Not an archived ECG segment.', { details: record.metadata.mediaType });
  }
  return decodeEcg(await record.bytes());
}
