/** A timeline fixture for the FHIR export tests: a grant, a delegation, a rejected request, a new version, a revoke. */
import type { Hex } from '../src/scope.js';
import type { TimelineEvent } from '../src/timeline.js';

export const patient = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
export const doctor = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';
export const colleague = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';
export const other = '0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65';
export const record = `0x${'aa'.repeat(32)}` as Hex;
export const T0 = 1_800_000_000;

let block = 10;
// biome-ignore lint/suspicious/noExplicitAny: test fixture builder over every event kind
function at(event: Record<string, any>, time: number, actor = patient): TimelineEvent {
  block += 1;
  return {
    chainId: 31337n,
    contract: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
    blockNumber: block,
    blockTime: time,
    transactionHash: `0x${block.toString(16).padStart(64, '0')}`,
    logIndex: 0,
    patient,
    actor,
    ...event,
  } as unknown as TimelineEvent;
}

/** A patient's timeline with every kind of event the FHIR exports map, one block apart. */
export const timeline: TimelineEvent[] = [
  at({ kind: 'identity-registered', encryptionKey: `0x${'01'.repeat(32)}` }, T0),
  at({ kind: 'record-anchored', recordId: record, category: 3, cid: 'bafyreiabc' }, T0 + 10),
  at(
    {
      kind: 'access-requested',
      requestId: `0x${'11'.repeat(32)}`,
      doctor,
      scope: { kind: 'all' },
      purpose: 'TREAT',
      duration: 3600,
    },
    T0 + 20,
    doctor,
  ),
  at({ kind: 'access-granted', doctor, serial: 1, scope: { kind: 'all' }, expiresAt: T0 + 3620 }, T0 + 30),
  at(
    {
      kind: 'delegation-requested',
      doctor,
      colleague,
      serial: 1,
      scope: { kind: 'records', recordIds: [record] },
      expiresAt: T0 + 3000,
    },
    T0 + 40,
    doctor,
  ),
  at({ kind: 'delegation-approved', colleague }, T0 + 50, other /* a relayer */),
  at(
    {
      kind: 'access-requested',
      requestId: `0x${'22'.repeat(32)}`,
      doctor: other,
      scope: { kind: 'category', category: 3 },
      purpose: 'HRESCH',
      duration: 60,
    },
    T0 + 60,
    other,
  ),
  at({ kind: 'access-rejected', doctor: other }, T0 + 70),
  at({ kind: 'record-superseded', recordId: record, version: 1, cid: 'bafyreidef' }, T0 + 80),
  at({ kind: 'access-revoked', doctor, serial: 1, keyEpoch: 1n }, T0 + 90),
];
