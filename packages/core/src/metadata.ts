import * as dagCbor from '@ipld/dag-cbor';
import { InvalidParametersError } from './errors.js';

/**
 * What a record says about itself. It travels encrypted inside the envelope header; nothing of it is in clear.
 *
 * @example
 * ```ts
 * import type { RecordMetadata } from '@mhrchain/core';
 *
 * const metadata: RecordMetadata = {
 *   mediaType: 'application/fhir+json',
 *   size: 1024,
 *   created: '2026-11-25T10:00:00.000Z',
 *   resourceType: 'Observation',
 *   title: 'Blood pressure',
 * };
 * ```
 */
export interface RecordMetadata {
  /** IANA media type of the plaintext, e.g. `application/fhir+json`, `application/dicom`. */
  readonly mediaType: string;
  /** Size of the plaintext in bytes (set by the SDK while encrypting). */
  readonly size: number;
  /** Creation time, ISO 8601 in UTC. */
  readonly created: string;
  /** FHIR resource type, e.g. `Observation`, `DiagnosticReport`. */
  readonly resourceType?: string;
  /** A human title. */
  readonly title?: string;
}

/**
 * The metadata a caller gives when encrypting: `size` is measured, `created` defaults to now.
 *
 * @example
 * ```ts
 * import type { RecordMetadataInput } from '@mhrchain/core';
 *
 * const input: RecordMetadataInput = { mediaType: 'text/plain', title: 'Note' };
 * ```
 */
export interface RecordMetadataInput {
  /** IANA media type of the plaintext. */
  readonly mediaType: string;
  /** Creation time; defaults to now. */
  readonly created?: Date | string;
  /** FHIR resource type. */
  readonly resourceType?: string;
  /** A human title. */
  readonly title?: string;
}

const MAX_STRING = 1024;

function checkString(name: string, value: unknown, required: boolean): void {
  if (value === undefined && !required) return;
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_STRING)
    throw new InvalidParametersError(
      `metadata.${name} must be a non-empty string of at most ${MAX_STRING} characters.`,
    );
}

/** Validates the caller's metadata and completes it with the measured size. */
export function completeMetadata(input: RecordMetadataInput, size: number): RecordMetadata {
  if (input === null || typeof input !== 'object') throw new InvalidParametersError('metadata is required.');
  checkString('mediaType', input.mediaType, true);
  checkString('resourceType', input.resourceType, false);
  checkString('title', input.title, false);
  const created =
    input.created === undefined ? new Date() : input.created instanceof Date ? input.created : new Date(input.created);
  if (Number.isNaN(created.getTime())) throw new InvalidParametersError('metadata.created is not a valid date.');
  return {
    mediaType: input.mediaType,
    size,
    created: created.toISOString(),
    ...(input.resourceType === undefined ? {} : { resourceType: input.resourceType }),
    ...(input.title === undefined ? {} : { title: input.title }),
  };
}

/** Checks the caller's metadata before any work is done. */
export function validateMetadataInput(input: RecordMetadataInput): void {
  completeMetadata(input, 0);
}

/** dag-cbor encoding of the metadata (the plaintext that is encrypted into the header). */
export function encodeMetadata(metadata: RecordMetadata): Uint8Array {
  return dagCbor.encode(metadata);
}

/** Decodes metadata; throws on anything that is not a well-formed metadata map. */
export function decodeMetadata(bytes: Uint8Array): RecordMetadata {
  const value = dagCbor.decode<Record<string, unknown>>(bytes);
  if (value === null || typeof value !== 'object') throw new Error('metadata is not a map');
  const { mediaType, size, created, resourceType, title } = value;
  if (typeof mediaType !== 'string' || typeof created !== 'string' || !Number.isSafeInteger(size))
    throw new Error('metadata fields missing');
  if (
    (resourceType !== undefined && typeof resourceType !== 'string') ||
    (title !== undefined && typeof title !== 'string')
  )
    throw new Error('metadata fields invalid');
  return value as unknown as RecordMetadata;
}
