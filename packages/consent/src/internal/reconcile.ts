import type { CID } from 'multiformats/cid';
import type { ConsentClient } from '../client.js';
import type { Hex } from '../scope.js';
import { readersOf } from './journal.js';
import { type PublishedVersion, type Rotation, rotateRecords } from './publish.js';
import type { ChainRecord } from './records.js';
import { canRead } from './state.js';

/** A current record version that someone may open without the chain allowing it (or whose readers are unknown). */
export interface AccessViolation {
  recordId: Hex;
  /** The current version's envelope CID. */
  cid: CID;
  /** The account that can open it with no live grant or delegation covering it; `undefined` when unknown. */
  account: string | undefined;
  /** `'no-access'`: the chain gives the account no access now. `'unknown-readers'`: this journal did not publish it. */
  reason: 'no-access' | 'unknown-readers';
}

/** The violations among `records` (each record's current version against the chain). */
export async function accessViolations(
  client: ConsentClient,
  records: readonly ChainRecord[],
): Promise<AccessViolation[]> {
  const violations: AccessViolation[] = [];
  for (const record of records) {
    const { cid } = record.versions.at(-1)!;
    const readers = await readersOf(client, cid);
    if (!readers) {
      violations.push({ recordId: record.recordId, cid, account: undefined, reason: 'unknown-readers' });
      continue;
    }
    for (const account of readers)
      if (!(await canRead(client, record.patient, account, record.recordId)))
        violations.push({ recordId: record.recordId, cid, account, reason: 'no-access' });
  }
  return violations;
}

/** Re-publishes, for exactly their current readers, the records of `records` whose current version violates access. */
export async function reconcileRecords(
  client: ConsentClient,
  records: readonly ChainRecord[],
  rotation: Rotation = 'lazy',
): Promise<PublishedVersion[]> {
  const flagged = new Set((await accessViolations(client, records)).map((v) => v.recordId));
  return rotateRecords(
    client,
    records.filter((record) => flagged.has(record.recordId)),
    rotation,
  );
}
