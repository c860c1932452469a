import type { CID } from 'multiformats/cid';
import { InvalidParametersError } from './errors.js';
import type { Identity } from './identity.js';
import { checkRecipients, sealHeader, unlockHeader, wrapAll } from './internal/headerSeal.js';
import { type RandomBytes, secureRandom } from './internal/random.js';
import { sortStanzas } from './internal/recipients.js';

/** Parameters of {@link rewrapEnvelope}: give either `recipients` (the new full set) or `add`. */
export interface RewrapEnvelopeParameters {
  /** The current envelope header block bytes. */
  readonly header: Uint8Array;
  /** The identity of a current recipient (it must be able to open the header). */
  readonly identity: Identity;
  /**
   * The new complete set of recipients: every stanza is replaced. Use it to remove recipients (stanzas do not name
   * their recipient, so removal is "wrap again for everyone who stays").
   */
  readonly recipients?: readonly Uint8Array[];
  /** Recipients to add; the existing stanzas are kept as they are. */
  readonly add?: readonly Uint8Array[];
}

/** A re-wrapped envelope: a new header linking the same payload. */
export interface RewrapEnvelopeReturnType {
  /** CID of the new header: the new envelope CID. */
  readonly cid: CID;
  /** The new header block bytes (store them under `cid`). */
  readonly header: Uint8Array;
  /** CID of the payload, unchanged. */
  readonly payloadCid: CID;
}

/**
 * Changes who can open a record without touching its payload: the data key is unwrapped with `identity` and wrapped
 * again; the new header (new envelope CID) links the same payload CID. A removed recipient cannot open the new
 * header, but still knows the data key if it kept it: to cut that off, use {@link rotateEnvelope}.
 *
 * @throws {@link DecryptionError} when `identity` cannot open the header.
 * @throws {@link InvalidParametersError} unless exactly one of `recipients` and `add` is given.
 * @example
 * ```ts
 * import { encryptRecord, generateIdentity, rewrapEnvelope } from '@mhrchain/core';
 *
 * const patient = generateIdentity();
 * const doctor = generateIdentity();
 * const record = await encryptRecord({
 *   data: new TextEncoder().encode('hello'),
 *   metadata: { mediaType: 'text/plain' },
 *   recipients: [patient.publicKey],
 * });
 * const shared = await rewrapEnvelope({ header: record.header, identity: patient, add: [doctor.publicKey] });
 * // shared.payloadCid equals record.payloadCid; store shared.header under shared.cid.
 * ```
 */
export async function rewrapEnvelope(parameters: RewrapEnvelopeParameters): Promise<RewrapEnvelopeReturnType> {
  return rewrapEnvelopeWith(parameters, secureRandom);
}

/** {@link rewrapEnvelope} with an injected randomness source (golden vectors). Internal. */
export async function rewrapEnvelopeWith(
  parameters: RewrapEnvelopeParameters,
  random: RandomBytes,
): Promise<RewrapEnvelopeReturnType> {
  const { recipients, add } = parameters;
  if ((recipients === undefined) === (add === undefined))
    throw new InvalidParametersError('Give exactly one of `recipients` (the new set) and `add`.');
  const checked = checkRecipients(recipients ?? add, recipients ? 'recipients' : 'add');
  const unlocked = await unlockHeader(parameters.header, parameters.identity);
  const fresh = await wrapAll(unlocked.dataKey, checked, random);
  const stanzas = recipients ? fresh : sortStanzas([...unlocked.node.recipients, ...fresh]);
  const header = await sealHeader({
    keys: unlocked.keys,
    salt: unlocked.node.salt,
    stanzas,
    metadata: unlocked.node.metadata,
    payload: unlocked.node.payload,
  });
  return { cid: header.cid, header: header.bytes, payloadCid: unlocked.node.payload };
}
