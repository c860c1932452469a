import { type BytesLike, type Signer, type TypedDataDomain, TypedDataEncoder, type TypedDataField } from 'ethers';
import type { MhrChain } from './mhrChain.js';
import type { MhrChainAbiItems, MhrChainContractName } from './mhrChainAbis.js';
import type { Scope } from './scope.js';
import type { WriteResult } from './typedContract.js';

/**
 * The message of each relayed (EIP-712 signed) action, without nonce and deadline, which the SDK fills in.
 *
 * An action that ends something names it, so a signature withheld by a relayer cannot end a later grant, request or
 * delegation of the same pair: `serial` is the grant (`RevokeAccess`), access request (`RejectRequest`) or delegation
 * request (`RejectDelegation`, `RevokeDelegation`) serial. Left out, {@link signRelayedAction} reads the current one
 * from the chain and signs it. An approval of a delegation names the exact request it approves (doctor, serial, EIP-712
 * scope hash, expiry: see {@link delegationScopeHash}); the contract refuses it for any other request.
 */
export interface RelayedActionMessages {
  Register: { account: string; encryptionKey: BytesLike };
  RotateEncryptionKey: { account: string; encryptionKey: BytesLike };
  AnchorRecord: { patient: string; cid: BytesLike; category: number };
  SupersedeRecord: { patient: string; recordId: BytesLike; cid: BytesLike };
  SupersedeRecords: { patient: string; recordIds: BytesLike[]; cids: BytesLike[] };
  EraseRecords: { patient: string; recordIds: BytesLike[] };
  GrantAccess: { patient: string; doctor: string; scope: Scope; expiresAt: bigint | number };
  RejectRequest: { patient: string; doctor: string; serial?: bigint | number };
  RevokeAccess: { patient: string; doctor: string; serial?: bigint | number };
  ApproveDelegation: {
    patient: string;
    colleague: string;
    doctor: string;
    serial: bigint | number;
    scopeHash: BytesLike;
    expiresAt: bigint | number;
  };
  RejectDelegation: { patient: string; colleague: string; serial?: bigint | number };
  RevokeDelegation: { patient: string; colleague: string; serial?: bigint | number };
  AuthorizeDevice: { patient: string; device: string; authorized: boolean };
  AnchorStreamBatch: { patient: string; root: BytesLike; segmentCount: number };
  SubmitReport: { roundId: bigint | number; patient: string; report: BytesLike };
  /** Cancels every unrelayed signature of `account` on `contract` with a nonce below `newNonce`. */
  InvalidateNonces: { contract: MhrChainContractName; account: string; newNonce: bigint | number };
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
const patientDoctorSerial = [f('patient', 'address'), f('doctor', 'address'), f('serial', 'uint32'), ...tail];
const patientColleagueSerial = [f('patient', 'address'), f('colleague', 'address'), f('serial', 'uint32'), ...tail];

/**
 * Per action: the contract that verifies it (`InvalidateNonces`: the message names it), the signer field and the
 * EIP-712 types (as the contracts hash them).
 */
const ACTIONS: {
  [A in RelayedAction]: { contract: MhrChainContractName | null; signer: string; types: Record<string, Field[]> };
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
  EraseRecords: {
    contract: 'recordRegistry',
    signer: 'patient',
    types: {
      EraseRecords: [f('patient', 'address'), f('recordIds', 'bytes32[]'), ...tail],
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
  RejectRequest: { contract: 'consentManager', signer: 'patient', types: { RejectRequest: patientDoctorSerial } },
  RevokeAccess: { contract: 'consentManager', signer: 'patient', types: { RevokeAccess: patientDoctorSerial } },
  ApproveDelegation: {
    contract: 'delegationRegistry',
    signer: 'patient',
    types: {
      ApproveDelegation: [
        f('patient', 'address'),
        f('colleague', 'address'),
        f('doctor', 'address'),
        f('serial', 'uint32'),
        f('scopeHash', 'bytes32'),
        f('expiresAt', 'uint40'),
        ...tail,
      ],
    },
  },
  RejectDelegation: {
    contract: 'delegationRegistry',
    signer: 'patient',
    types: { RejectDelegation: patientColleagueSerial },
  },
  RevokeDelegation: {
    contract: 'delegationRegistry',
    signer: 'patient',
    types: { RevokeDelegation: patientColleagueSerial },
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
  InvalidateNonces: {
    contract: null,
    signer: 'account',
    types: { InvalidateNonces: [f('account', 'address'), f('newNonce', 'uint256'), ...tail] },
  },
};

/** The EIP-712 type of a scope, as the contracts hash it. */
const SCOPE_TYPES = { Scope: [f('kind', 'uint8'), f('category', 'uint16'), f('recordIds', 'bytes32[]')] };

/**
 * The EIP-712 struct hash of a scope (`ScopeLib.hash` in the contracts): what a delegation approval names as
 * `scopeHash`.
 *
 * @example
 * ```ts
 * import { delegationScopeHash, scopeCategory } from '@mhrchain/contracts';
 *
 * delegationScopeHash(scopeCategory(1)); // 0x…, the hash the patient's approval of an ECG-only delegation names
 * ```
 */
export function delegationScopeHash(scope: Scope): string {
  return TypedDataEncoder.hashStruct('Scope', SCOPE_TYPES, {
    kind: scope.kind,
    category: scope.category,
    recordIds: [...scope.recordIds],
  });
}

/** The contract that verifies `action`. */
function contractOf(
  action: AnySignedRelayedAction | { action: RelayedAction; message: unknown },
): MhrChainContractName {
  const fixed = ACTIONS[action.action].contract;
  return fixed ?? (action.message as RelayedActionMessages['InvalidateNonces']).contract;
}

/** Fills in the serial an ending action names when the caller left it out: the current one on chain. */
async function withSerial<A extends RelayedAction>(
  chain: MhrChain,
  action: A,
  message: RelayedActionMessages[A],
): Promise<RelayedActionMessages[A]> {
  const m = message as Record<string, unknown>;
  if (m.serial !== undefined) return message;
  const read = async (): Promise<bigint | undefined> => {
    switch (action) {
      case 'RevokeAccess':
        return BigInt((await chain.consentManager.read.grantOf(m.patient as string, m.doctor as string)).serial);
      case 'RejectRequest':
        return BigInt((await chain.consentManager.read.requestOf(m.patient as string, m.doctor as string)).serial);
      case 'RejectDelegation':
      case 'RevokeDelegation':
        return BigInt(
          (await chain.delegationRegistry.read.delegationOf(m.patient as string, m.colleague as string)).serial,
        );
      default:
        return undefined;
    }
  };
  const serial = await read();
  return serial === undefined ? message : ({ ...message, serial } as RelayedActionMessages[A]);
}

/** The serial a signed ending action names (always set by {@link signRelayedAction}). */
function signedSerial(message: { serial?: bigint | number }): bigint {
  if (message.serial === undefined) throw new TypeError('A signed ending action must name its serial.');
  return BigInt(message.serial);
}

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
  const { chain, signer, action } = parameters;
  const spec = ACTIONS[action];
  const message = await withSerial(chain, action, parameters.message);
  const contract = chain[contractOf({ action, message })];
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
  const { contract: _verifying, ...fields } = message as Record<string, unknown>;
  const value = { ...fields, nonce, deadline };
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
      case 'EraseRecords':
        return chain.recordRegistry.write.eraseRecordsBySig(
          signed.message.patient,
          signed.message.recordIds,
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
          signedSerial(signed.message),
          deadline,
          signature,
        );
      case 'RevokeAccess':
        return chain.consentManager.write.revokeAccessBySig(
          signed.message.patient,
          signed.message.doctor,
          signedSerial(signed.message),
          deadline,
          signature,
        );
      case 'ApproveDelegation': {
        const { doctor, serial, scopeHash, expiresAt } = signed.message;
        return chain.delegationRegistry.write.approveDelegationBySig(
          signed.message.patient,
          signed.message.colleague,
          { doctor, serial, scopeHash, expiresAt },
          deadline,
          signature,
        );
      }
      case 'RejectDelegation':
        return chain.delegationRegistry.write.rejectDelegationBySig(
          signed.message.patient,
          signed.message.colleague,
          signedSerial(signed.message),
          deadline,
          signature,
        );
      case 'RevokeDelegation':
        return chain.delegationRegistry.write.revokeDelegationBySig(
          signed.message.patient,
          signed.message.colleague,
          signedSerial(signed.message),
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
      case 'InvalidateNonces':
        return chain[signed.message.contract].write.invalidateNoncesBySig(
          signed.message.account,
          signed.message.newNonce,
          deadline,
          signature,
        );
    }
  })();
  return result;
}
