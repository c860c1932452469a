import { AbiCoder, hexlify, keccak256, type TransactionReceipt } from 'ethers';
import type { CID } from 'multiformats/cid';
import type { ConsentClient } from '../client.js';
import type { Hex } from '../scope.js';
import { patientAction } from './transactions.js';

/** The record id the registry gives `cid` anchored by `patient` (its `recordIdOf`, computed here). */
export function recordIdOf(patient: string, cid: CID): Hex {
  const encoded = AbiCoder.defaultAbiCoder().encode(['address', 'bytes32'], [patient, keccak256(cid.bytes)]);
  return keccak256(encoded).toLowerCase() as Hex;
}

/** Whether the registry holds a record with this id. */
export async function isAnchored(client: ConsentClient, recordId: Hex): Promise<boolean> {
  const record = (await client.chain.recordRegistry.read.recordOf(recordId)) as { patient: string };
  return BigInt(record.patient) !== 0n;
}

/** Anchors a stored envelope as a new record of the client's patient. */
export async function anchorStoredRecord(
  client: ConsentClient,
  cid: CID,
  category: number,
): Promise<TransactionReceipt> {
  const hex = hexlify(cid.bytes);
  return patientAction(client, 'AnchorRecord', { patient: client.address, cid: hex, category }, () =>
    client.chain.recordRegistry.write.anchorRecord(hex, category),
  );
}
