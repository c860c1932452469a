import {
  type AnySignedRelayedAction,
  noteWrittenBlock,
  type RelayedAction,
  type RelayedActionMessages,
  signRelayedAction,
  submitRelayedAction,
} from '@mhrchain/contracts';
import type { TransactionReceipt } from 'ethers';
import type { ConsentClient } from '../client.js';
import type { Hex } from '../scope.js';

/** Where a transaction landed. */
export interface TransactionInfo {
  /** The transaction hash. */
  transactionHash: Hex;
  blockNumber: number;
  /** Block timestamp, seconds since the epoch. */
  blockTime: number;
  /** Gas the transaction used. */
  gasUsed: bigint;
}

/** The {@link TransactionInfo} of a mined transaction. */
export async function transactionInfo(client: ConsentClient, receipt: TransactionReceipt): Promise<TransactionInfo> {
  const block = await client.provider.getBlock(receipt.blockNumber);
  return {
    transactionHash: receipt.hash as Hex,
    blockNumber: receipt.blockNumber,
    blockTime: block?.timestamp ?? 0,
    gasUsed: receipt.gasUsed,
  };
}

/**
 * Sends a patient action: directly from the patient's wallet, or, when the client has a relayer, as an EIP-712
 * signature submitted (and paid for) by the relayer.
 */
export async function patientAction<A extends RelayedAction>(
  client: ConsentClient,
  action: A,
  message: RelayedActionMessages[A],
  direct: () => Promise<{ receipt: TransactionReceipt }>,
): Promise<TransactionReceipt> {
  let receipt: TransactionReceipt;
  if (!client.relayerChain) receipt = (await direct()).receipt;
  else {
    const signed = await signRelayedAction({ chain: client.chain, signer: client.signer, action, message });
    receipt = (await submitRelayedAction(client.relayerChain, signed as AnySignedRelayedAction)).receipt;
  }
  // The client's own reads see this write even when it went through a relayer's connection.
  noteWrittenBlock(client.provider, receipt.blockNumber);
  return receipt;
}
