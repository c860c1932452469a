import { decodeContractError } from '@mhrchain/contracts';
import type { Signer, TransactionReceipt, TransactionResponse } from 'ethers';
import type { CID } from 'multiformats/cid';
import type { ConsentClient } from '../client.js';
import type { Hex } from '../scope.js';
import { bytesToHex, type TransactionInfo } from './chain.js';

/** A new envelope version ready to be anchored. */
export interface PreparedVersion {
  recordId: Hex;
  cid: CID;
}

/** Transactions sent at once (explicit consecutive nonces, receipts awaited together). */
const WINDOW = 16;

const SUPERSEDE_TYPES = {
  SupersedeRecord: [
    { name: 'patient', type: 'address' },
    { name: 'recordId', type: 'bytes32' },
    { name: 'cid', type: 'bytes' },
    { name: 'nonce', type: 'uint256' },
    { name: 'deadline', type: 'uint256' },
  ],
};

async function sendWindowed(
  sender: Signer,
  count: number,
  send: (index: number, nonce: number) => Promise<TransactionResponse>,
): Promise<TransactionReceipt[]> {
  const receipts: TransactionReceipt[] = [];
  let nonce = await sender.getNonce('pending');
  for (let offset = 0; offset < count; offset += WINDOW) {
    const responses: Promise<TransactionResponse>[] = [];
    for (let i = offset; i < Math.min(count, offset + WINDOW); i++) responses.push(send(i, nonce++));
    try {
      const sent = await Promise.all(responses);
      for (const receipt of await Promise.all(sent.map((tx) => tx.wait()))) if (receipt) receipts.push(receipt);
    } catch (error) {
      throw decodeContractError(error);
    }
  }
  return receipts;
}

/**
 * Anchors many new record versions (`supersedeRecord`), pipelined: transactions go out with consecutive nonces
 * without waiting for each receipt. Through the relayer when the client has one: the patient signs each
 * `SupersedeRecord` with consecutive EIP-712 nonces, the relayer submits them.
 */
export async function anchorVersions(
  client: ConsentClient,
  versions: readonly PreparedVersion[],
): Promise<TransactionInfo[]> {
  if (versions.length === 0) return [];
  let receipts: TransactionReceipt[];
  if (!client.relayerChain) {
    const supersede = client.chain.recordRegistry.contract.getFunction('supersedeRecord');
    receipts = await sendWindowed(client.signer, versions.length, (i, nonce) =>
      supersede.send(versions[i]!.recordId, bytesToHex(versions[i]!.cid.bytes), { nonce, gasLimit: 120_000n }),
    );
  } else {
    const registry = client.chain.recordRegistry.contract;
    const [fields, firstNonce, latest] = await Promise.all([
      registry.getFunction('eip712Domain').staticCall(),
      registry.getFunction('nonces').staticCall(client.address) as Promise<bigint>,
      client.provider.getBlock('latest'),
    ]);
    const domain = { name: fields[1], version: fields[2], chainId: fields[3], verifyingContract: fields[4] };
    const deadline = BigInt(latest?.timestamp ?? Math.floor(Date.now() / 1000)) + 3600n;
    const signatures: string[] = [];
    for (let i = 0; i < versions.length; i++)
      signatures.push(
        await client.signer.signTypedData(domain, SUPERSEDE_TYPES, {
          patient: client.address,
          recordId: versions[i]!.recordId,
          cid: bytesToHex(versions[i]!.cid.bytes),
          nonce: firstNonce + BigInt(i),
          deadline,
        }),
      );
    const relayed = client.relayerChain.recordRegistry.contract;
    const supersede = relayed.getFunction('supersedeRecordBySig');
    receipts = await sendWindowed(relayed.runner as Signer, versions.length, (i, nonce) =>
      supersede.send(
        client.address,
        versions[i]!.recordId,
        bytesToHex(versions[i]!.cid.bytes),
        deadline,
        signatures[i]!,
        {
          nonce,
          gasLimit: 160_000n,
        },
      ),
    );
  }
  const blockTimes = new Map<number, number>();
  const infos: TransactionInfo[] = [];
  for (const receipt of receipts) {
    if (!blockTimes.has(receipt.blockNumber))
      blockTimes.set(receipt.blockNumber, (await client.provider.getBlock(receipt.blockNumber))?.timestamp ?? 0);
    infos.push({
      transactionHash: receipt.hash as Hex,
      blockNumber: receipt.blockNumber,
      blockTime: blockTimes.get(receipt.blockNumber)!,
      gasUsed: receipt.gasUsed,
    });
  }
  return infos;
}
