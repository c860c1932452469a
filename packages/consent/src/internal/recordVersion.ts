import type { CID } from 'multiformats/cid';
import type { ConsentClient } from '../client.js';
import { InvalidConsentParametersError } from '../errors.js';
import type { ReadRecordParameters } from '../readRecord.js';
import { recordsOf } from './records.js';

/** The envelope CID a {@link ReadRecordParameters} names. */
export async function versionCid(client: ConsentClient, parameters: ReadRecordParameters): Promise<CID> {
  if ('cid' in parameters) return parameters.cid;
  const record = (await recordsOf(client, parameters.patient)).find(
    (r) => r.recordId === parameters.recordId.toLowerCase(),
  );
  const version =
    parameters.version === undefined
      ? record?.versions.at(-1)
      : record?.versions.find((v) => v.version === parameters.version);
  if (!version) throw new InvalidConsentParametersError(`No such record version: ${parameters.recordId}`);
  return version.cid;
}
