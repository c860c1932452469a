import { decodeTransactionError, noteWrittenBlock, type TransactionManager } from '@mhrchain/contracts';
import type { TransactionReceipt, TransactionRequest, TransactionResponse } from 'ethers';
import { hexlify } from 'ethers';
import type { CID } from 'multiformats/cid';
import type { ConsentClient } from '../client.js';
import type { Hex } from '../scope.js';
import { blockTimes } from './blockTimes.js';
import type { TransactionInfo } from './transactions.js';

/** A new envelope version ready to be anchored. */
export interface PreparedVersion {
  recordId: Hex;
  cid: CID;
}

/** Transactions sent at once (consecutive nonces, receipts awaited together). */
const WINDOW = 16;
/** New versions anchored per transaction (`supersedeRecords`): about 10,000 gas each. */
const BATCH = 64;
/** Gas limit of a batch of `n` versions: generous, as transactions go out without estimation. */
const batchGas = (n: number, relayed: boolean) => BigInt((relayed ? 90_000 : 60_000) + n * 20_000);

const SUPERSEDE_TYPES = {
  SupersedeRecords: [
    { name: 'patient', type: 'address' },
    { name: 'recordIds', type: 'bytes32[]' },
    { name: 'cids', type: 'bytes[]' },
    { name: 'nonce', type: 'uint256' },
    { name: 'deadline', type: 'uint256' },
  ],
};

async function sendWindowed(
  client: ConsentClient,
  count: number,
  send: (index: number) => Promise<TransactionResponse>,
): Promise<TransactionReceipt[]> {
  const receipts: TransactionReceipt[] = [];
  for (let offset = 0; offset < count; offset += WINDOW) {
    // The client's signer manages nonces (withManagedNonce): sends queue up to their broadcast with consecutive
    // nonces, and the window's receipts are awaited together.
    const responses: Promise<TransactionResponse>[] = [];
    for (let i = offset; i < Math.min(count, offset + WINDOW); i++) responses.push(send(i));
    try {
      const sent = await Promise.all(responses);
      for (const receipt of await Promise.all(sent.map((tx) => tx.wait()))) if (receipt) receipts.push(receipt);
    } catch (error) {
      // Sent with their own gas limit, never estimated: a refused batch is mined reverted, replayed to name its error.
      throw await decodeTransactionError(client.provider, error);
    }
  }
  return receipts;
}

/**
 * {@link sendWindowed} through a transaction manager: each window's transactions are broadcast one after the other
 * (so their nonces follow the batches' order, which relayed batches' EIP-712 nonces need) and their receipts awaited
 * together; a batch replaced with higher fees resolves with the replacement's receipt.
 */
async function sendWindowedManaged(
  client: ConsentClient,
  manager: TransactionManager,
  count: number,
  request: (index: number) => Promise<TransactionRequest>,
): Promise<TransactionReceipt[]> {
  const receipts: TransactionReceipt[] = [];
  for (let offset = 0; offset < count; offset += WINDOW) {
    try {
      const sent = [];
      for (let i = offset; i < Math.min(count, offset + WINDOW); i++) sent.push(await manager.send(await request(i)));
      receipts.push(...(await Promise.all(sent.map((tx) => tx.wait()))));
    } catch (error) {
      throw await decodeTransactionError(client.provider, error);
    }
  }
  return receipts;
}

/**
 * Anchors many new record versions with `supersedeRecords`, up to 64 per transaction (each batch all or none), the
 * transactions pipelined with consecutive nonces. Through the relayer when the client has one: the patient signs
 * one `SupersedeRecords` per batch, with consecutive EIP-712 nonces, and the relayer submits them. Returns, per
 * version, the transaction that anchored it.
 */
export async function anchorVersions(
  client: ConsentClient,
  versions: readonly PreparedVersion[],
): Promise<TransactionInfo[]> {
  if (versions.length === 0) return [];
  const batches: { recordIds: Hex[]; cids: string[] }[] = [];
  for (let offset = 0; offset < versions.length; offset += BATCH) {
    const slice = versions.slice(offset, offset + BATCH);
    batches.push({ recordIds: slice.map((v) => v.recordId), cids: slice.map((v) => hexlify(v.cid.bytes)) });
  }
  let receipts: TransactionReceipt[];
  if (!client.relayerChain) {
    const supersede = client.chain.recordRegistry.contract.getFunction('supersedeRecords');
    const manager = client.transactions;
    if (manager)
      receipts = await sendWindowedManaged(client, manager, batches.length, (i) =>
        supersede.populateTransaction(batches[i]!.recordIds, batches[i]!.cids, {
          gasLimit: batchGas(batches[i]!.recordIds.length, false),
        }),
      );
    else
      receipts = await sendWindowed(client, batches.length, (i) =>
        supersede.send(batches[i]!.recordIds, batches[i]!.cids, {
          gasLimit: batchGas(batches[i]!.recordIds.length, false),
        }),
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
    for (const [i, batch] of batches.entries())
      signatures.push(
        await client.signer.signTypedData(domain, SUPERSEDE_TYPES, {
          patient: client.address,
          recordIds: batch.recordIds,
          cids: batch.cids,
          nonce: firstNonce + BigInt(i),
          deadline,
        }),
      );
    const relayed = client.relayerChain.recordRegistry.contract;
    const supersede = relayed.getFunction('supersedeRecordsBySig');
    const manager = client.relayerTransactions;
    if (manager)
      receipts = await sendWindowedManaged(client, manager, batches.length, (i) =>
        supersede.populateTransaction(
          client.address,
          batches[i]!.recordIds,
          batches[i]!.cids,
          deadline,
          signatures[i]!,
          {
            gasLimit: batchGas(batches[i]!.recordIds.length, true),
          },
        ),
      );
    else
      receipts = await sendWindowed(client, batches.length, (i) =>
        supersede.send(client.address, batches[i]!.recordIds, batches[i]!.cids, deadline, signatures[i]!, {
          gasLimit: batchGas(batches[i]!.recordIds.length, true),
        }),
      );
  }
  // The client's reads see these versions at once, whatever the provider caches.
  for (const receipt of receipts) noteWrittenBlock(client.provider, receipt.blockNumber);
  const blockTime = blockTimes(client);
  const infos: TransactionInfo[] = [];
  for (const [i, receipt] of receipts.entries()) {
    const info: TransactionInfo = {
      transactionHash: receipt.hash as Hex,
      blockNumber: receipt.blockNumber,
      blockTime: await blockTime(receipt.blockNumber),
      gasUsed: receipt.gasUsed,
    };
    for (let j = 0; j < batches[i]!.recordIds.length; j++) infos.push(info);
  }
  return infos;
}
