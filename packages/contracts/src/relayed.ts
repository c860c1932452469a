import type { BytesLike, Signer, TypedDataDomain, TypedDataField } from 'ethers';
import type { MhrChain } from './mhrChain.js';
import type { MhrChainAbiItems, MhrChainContractName } from './mhrChainAbis.js';
import type { Scope } from './scope.js';
import type { WriteResult } from './typedContract.js';

/** The message of each relayed (EIP-712 signed) action, without nonce and deadline, which the SDK fills in. */
export interface RelayedActionMessages {
  Register: { account: string; encryptionKey: BytesLike };
  RotateEncryptionKey: { account: string; encryptionKey: BytesLike };
  AnchorRecord: { patient: string; cid: BytesLike; category: number };
  SupersedeRecord: { patient: string; recordId: BytesLike; cid: BytesLike };
  SupersedeRecords: { patient: string; recordIds: BytesLike[]; cids: BytesLike[] };
  GrantAccess: { patient: string; doctor: string; scope: Scope; expiresAt: bigint | number };
  RejectRequest: { patient: string; doctor: string };
  RevokeAccess: { patient: string; doctor: string };
  ApproveDelegation: { patient: string; colleague: string };
  RejectDelegation: { patient: string; colleague: string };
  RevokeDelegation: { patient: string; colleague: string };
  AuthorizeDevice: { patient: string; device: string; authorized: boolean };
  AnchorStreamBatch: { patient: string; root: BytesLike; segmentCount: number };
  SubmitReport: { roundId: bigint | number; patient: string; report: BytesLike };
}

/** The name of a relayed action (its EIP-712 primary type). */
export type RelayedAction = keyof RelayedActionMessages;

/** A signed relayed action: what a patient hands to a relayer. */
export interface SignedRelayedAction<A extends RelayedAction = RelayedAction> {
  action: A;
  message: RelayedActionMessages[A];
  /** The signer's nonce the signature consumed. */
  nonce: bigint;
  /** Unix time (s) after which the signature is void. */
  deadline: bigint;
  /** The 65-byte signature. */
  signature: string;
}

type Field = TypedDataField;
const f = (name: string, type: string): Field => ({ name, type });
const tail = [f('nonce', 'uint256'), f('deadline', 'uint256')];
const patientDoctor = [f('patient', 'address'), f('doctor', 'address'), ...tail];
const patientColleague = [f('patient', 'address'), f('colleague', 'address'), ...tail];

/** Per action: the contract that verifies it, the signer field and the EIP-712 types (as the contracts hash them). */
const ACTIONS: {
  [A in RelayedAction]: { contract: MhrChainContractName; signer: string; types: Record<string, Field[]> };
} = {
  Register: {
    contract: 'identityRegistry',
    signer: 'account',
    types: { Register: [f('account', 'address'), f('encryptionKey', 'bytes32'), ...tail] },
  },
  RotateEncryptionKey: {
    contract: 'identityRegistry',
    signer: 'account',
    types: { RotateEncryptionKey: [f('account', 'address'), f('encryptionKey', 'bytes32'), ...tail] },
  },
  AnchorRecord: {
    contract: 'recordRegistry',
    signer: 'patient',
    types: { AnchorRecord: [f('patient', 'address'), f('cid', 'bytes'), f('category', 'uint16'), ...tail] },
  },
  SupersedeRecord: {
    contract: 'recordRegistry',
    signer: 'patient',
    types: {
      SupersedeRecord: [f('patient', 'address'), f('recordId', 'bytes32'), f('cid', 'bytes'), ...tail],
    },
  },
  SupersedeRecords: {
    contract: 'recordRegistry',
    signer: 'patient',
    types: {
      SupersedeRecords: [f('patient', 'address'), f('recordIds', 'bytes32[]'), f('cids', 'bytes[]'), ...tail],
    },
  },
  GrantAccess: {
    contract: 'consentManager',
    signer: 'patient',
    types: {
      GrantAccess: [
        f('patient', 'address'),
        f('doctor', 'address'),
        f('scope', 'Scope'),
        f('expiresAt', 'uint40'),
        ...tail,
      ],
      Scope: [f('kind', 'uint8'), f('category', 'uint16'), f('recordIds', 'bytes32[]')],
    },
  },
  RejectRequest: { contract: 'consentManager', signer: 'patient', types: { RejectRequest: patientDoctor } },
  RevokeAccess: { contract: 'consentManager', signer: 'patient', types: { RevokeAccess: patientDoctor } },
  ApproveDelegation: {
    contract: 'delegationRegistry',
    signer: 'patient',
    types: { ApproveDelegation: patientColleague },
  },
  RejectDelegation: {
    contract: 'delegationRegistry',
    signer: 'patient',
    types: { RejectDelegation: patientColleague },
  },
  RevokeDelegation: {
    contract: 'delegationRegistry',
    signer: 'patient',
    types: { RevokeDelegation: patientColleague },
  },
  AuthorizeDevice: {
    contract: 'streamAnchors',
    signer: 'patient',
    types: {
      AuthorizeDevice: [f('patient', 'address'), f('device', 'address'), f('authorized', 'bool'), ...tail],
    },
  },
  AnchorStreamBatch: {
    contract: 'streamAnchors',
    signer: 'patient',
    types: {
      AnchorStreamBatch: [f('patient', 'address'), f('root', 'bytes32'), f('segmentCount', 'uint32'), ...tail],
    },
  },
  SubmitReport: {
    contract: 'diseaseReports',
    signer: 'patient',
    types: { SubmitReport: [f('roundId', 'uint64'), f('patient', 'address'), f('report', 'bytes'), ...tail] },
  },
};

/** Any signed relayed action, discriminated by `action`. */
export type AnySignedRelayedAction = { [A in RelayedAction]: SignedRelayedAction<A> }[RelayedAction];

/** Parameters of {@link signRelayedAction}. */
export interface SignRelayedActionParameters<A extends RelayedAction> {
  /** The MHR Chain contracts (any runner: only reads are made). */
  chain: MhrChain;
  /** The patient (or account) that authorizes the action. Its address must be the message's signer field. */
  signer: Signer;
  action: A;
  message: RelayedActionMessages[A];
  /** Unix time (s) after which the signature is void. Default: one hour from the chain's latest block. */
  deadline?: bigint | number;
}

/**
 * Signs a patient action as EIP-712 typed data for a relayer to submit (the patient needs no ETH). The domain is
 * read from the verifying contract (ERC-5267), so it binds chain id and contract; the nonce is read for you.
 *
 * @example
 * ```ts
 * import { scopeAll, signRelayedAction, submitRelayedAction } from '@mhrchain/contracts';
 *
 * // const signed = await signRelayedAction({
 * //   chain, signer: patient, action: 'GrantAccess',
 * //   message: { patient: patient.address, doctor, scope: scopeAll(), expiresAt },
 * // });
 * // await submitRelayedAction(relayerChain, signed); // any account pays the gas
 * scopeAll();
 * ```
 */
export async function signRelayedAction<A extends RelayedAction>(
  parameters: SignRelayedActionParameters<A>,
): Promise<SignedRelayedAction<A>> {
  const { chain, signer, action, message } = parameters;
  const spec = ACTIONS[action];
  const contract = chain[spec.contract];
  const account = (message as Record<string, unknown>)[spec.signer] as string;
  const [domainFields, nonce] = await Promise.all([
    contract.contract.getFunction('eip712Domain').staticCall(),
    contract.contract.getFunction('nonces').staticCall(account) as Promise<bigint>,
  ]);
  const domain: TypedDataDomain = {
    name: domainFields[1],
    version: domainFields[2],
    chainId: domainFields[3],
    verifyingContract: domainFields[4],
  };
  let deadline = parameters.deadline === undefined ? undefined : BigInt(parameters.deadline);
  if (deadline === undefined) {
    const block = await signer.provider?.getBlock('latest');
    deadline = BigInt(block?.timestamp ?? Math.floor(Date.now() / 1000)) + 3600n;
  }
  const value = { ...message, nonce, deadline };
  const signature = await signer.signTypedData(domain, spec.types, value);
  return { action, message, nonce, deadline, signature };
}

/**
 * Submits a signed action through the `…BySig` function of its contract; `chain` must be connected to the
 * relayer's signer, which pays the gas.
 *
 * @example
 * ```ts
 * import { submitRelayedAction } from '@mhrchain/contracts';
 *
 * // const { events } = await submitRelayedAction(connectMhrChain(relayer, addresses), signed);
 * ```
 */
export async function submitRelayedAction(
  chain: MhrChain,
  action: AnySignedRelayedAction | SignedRelayedAction,
): Promise<WriteResult<MhrChainAbiItems>> {
  const signed = action as AnySignedRelayedAction;
  const { deadline, signature } = signed;
  const result = await (async () => {
    switch (signed.action) {
      case 'Register':
        return chain.identityRegistry.write.registerBySig(
          signed.message.account,
          signed.message.encryptionKey,
          deadline,
          signature,
        );
      case 'RotateEncryptionKey':
        return chain.identityRegistry.write.rotateEncryptionKeyBySig(
          signed.message.account,
          signed.message.encryptionKey,
          deadline,
          signature,
        );
      case 'AnchorRecord':
        return chain.recordRegistry.write.anchorRecordBySig(
          signed.message.patient,
          signed.message.cid,
          signed.message.category,
          deadline,
          signature,
        );
      case 'SupersedeRecord':
        return chain.recordRegistry.write.supersedeRecordBySig(
          signed.message.patient,
          signed.message.recordId,
          signed.message.cid,
          deadline,
          signature,
        );
      case 'SupersedeRecords':
        return chain.recordRegistry.write.supersedeRecordsBySig(
          signed.message.patient,
          signed.message.recordIds,
          signed.message.cids,
          deadline,
          signature,
        );
      case 'GrantAccess':
        return chain.consentManager.write.grantAccessBySig(
          signed.message.patient,
          signed.message.doctor,
          signed.message.scope,
          signed.message.expiresAt,
          deadline,
          signature,
        );
      case 'RejectRequest':
        return chain.consentManager.write.rejectRequestBySig(
          signed.message.patient,
          signed.message.doctor,
          deadline,
          signature,
        );
      case 'RevokeAccess':
        return chain.consentManager.write.revokeAccessBySig(
          signed.message.patient,
          signed.message.doctor,
          deadline,
          signature,
        );
      case 'ApproveDelegation':
        return chain.delegationRegistry.write.approveDelegationBySig(
          signed.message.patient,
          signed.message.colleague,
          deadline,
          signature,
        );
      case 'RejectDelegation':
        return chain.delegationRegistry.write.rejectDelegationBySig(
          signed.message.patient,
          signed.message.colleague,
          deadline,
          signature,
        );
      case 'RevokeDelegation':
        return chain.delegationRegistry.write.revokeDelegationBySig(
          signed.message.patient,
          signed.message.colleague,
          deadline,
          signature,
        );
      case 'AuthorizeDevice':
        return chain.streamAnchors.write.setDeviceAuthorizationBySig(
          signed.message.patient,
          signed.message.device,
          signed.message.authorized,
          deadline,
          signature,
        );
      case 'AnchorStreamBatch':
        return chain.streamAnchors.write.anchorStreamBatchBySig(
          signed.message.patient,
          signed.message.root,
          signed.message.segmentCount,
          deadline,
          signature,
        );
      case 'SubmitReport':
        return chain.diseaseReports.write.submitReportBySig(
          signed.message.roundId,
          signed.message.patient,
          signed.message.report,
          deadline,
          signature,
        );
    }
  })();
  return result as never;
}
