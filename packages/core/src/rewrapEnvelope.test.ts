import { describe, expect, it } from 'vitest';
import { decryptRecord, encryptRecord } from './envelope.js';
import { readEnvelopeHeader } from './envelopeHeader.js';
import { DecryptionError, InvalidParametersError } from './errors.js';
import { generateIdentity } from './identity.js';
import { equalBytes } from './internal/bytes.js';
import { rewrapEnvelope } from './rewrapEnvelope.js';

describe('rewrapEnvelope', () => {
  const patient = generateIdentity();
  const doctor = generateIdentity();
  const nurse = generateIdentity();
  const data = new TextEncoder().encode('{"resourceType":"Observation","status":"final"}'.repeat(3000));
  const recordPromise = encryptRecord({
    data,
    metadata: { mediaType: 'application/fhir+json' },
    recipients: [patient.publicKey, doctor.publicKey],
  });

  it('adds a recipient: new envelope CID, same payload CID, everyone opens it', async () => {
    const record = await recordPromise;
    const shared = await rewrapEnvelope({ header: record.header, identity: patient, add: [nurse.publicKey] });
    expect(shared.cid.equals(record.cid)).toBe(false);
    expect(shared.payloadCid.equals(record.payloadCid)).toBe(true);
    expect(readEnvelopeHeader(shared.header).recipientCount).toBe(3);
    for (const identity of [patient, doctor, nurse]) {
      const out = await decryptRecord({ header: shared.header, payload: record.payload, identity });
      expect(equalBytes(out.data, data)).toBe(true);
    }
    // A recipient other than the owner can re-wrap too.
    const again = await rewrapEnvelope({ header: shared.header, identity: nurse, recipients: [nurse.publicKey] });
    expect(again.payloadCid.equals(record.payloadCid)).toBe(true);
  });

  it('removes a recipient by wrapping again for the remaining set only', async () => {
    const record = await recordPromise;
    const revoked = await rewrapEnvelope({ header: record.header, identity: patient, recipients: [patient.publicKey] });
    expect(readEnvelopeHeader(revoked.header).recipientCount).toBe(1);
    expect(revoked.payloadCid.equals(record.payloadCid)).toBe(true);
    const out = await decryptRecord({ header: revoked.header, payload: record.payload, identity: patient });
    expect(equalBytes(out.data, data)).toBe(true);
    await expect(decryptRecord({ header: revoked.header, payload: record.payload, identity: doctor })).rejects.toThrow(
      DecryptionError,
    );
    await expect(rewrapEnvelope({ header: revoked.header, identity: doctor, add: [doctor.publicKey] })).rejects.toThrow(
      DecryptionError,
    );
  });

  it('keeps the metadata and rejects ambiguous parameters', async () => {
    const record = await recordPromise;
    const shared = await rewrapEnvelope({ header: record.header, identity: patient, add: [nurse.publicKey] });
    const out = await decryptRecord({ header: shared.header, payload: record.payload, identity: nurse });
    expect(out.metadata).toEqual(record.metadata);
    await expect(rewrapEnvelope({ header: record.header, identity: patient })).rejects.toThrow(InvalidParametersError);
    await expect(
      rewrapEnvelope({ header: record.header, identity: patient, add: [nurse.publicKey], recipients: [] }),
    ).rejects.toThrow(InvalidParametersError);
    await expect(rewrapEnvelope({ header: record.header, identity: patient, recipients: [] })).rejects.toThrow(
      InvalidParametersError,
    );
  });
});
