import {
  type AnySignedRelayedAction,
  type MhrChain,
  type MhrChainContractName,
  type RelayedAction,
  submitRelayedAction,
} from '@mhrchain/contracts';
import { BaseError, type ErrorParameters } from '@mhrchain/core';
import { getAddress } from 'ethers';

/**
 * A relayed action refused at the door: `status` is the HTTP status the service answers with (400 malformed or
 * invalid, 409 conflicting with an action already received or already used, 429 rate-limited).
 */
export class RelayRejectedError extends BaseError {
  static override name = 'RelayRejectedError';
  override name = 'RelayRejectedError';
  readonly status: 400 | 409 | 429;

  constructor(shortMessage: string, parameters: { status: 400 | 409 | 429 } & ErrorParameters) {
    const { status, ...rest } = parameters;
    super(shortMessage, rest);
    this.status = status;
  }
}

/** Which contract verifies each action, and which message field names the signing account. */
export const RELAYED_ACTIONS: { [A in RelayedAction]: { contract: MhrChainContractName | null; signer: string } } = {
  Register: { contract: 'identityRegistry', signer: 'account' },
  RotateEncryptionKey: { contract: 'identityRegistry', signer: 'account' },
  AnchorRecord: { contract: 'recordRegistry', signer: 'patient' },
  SupersedeRecord: { contract: 'recordRegistry', signer: 'patient' },
  SupersedeRecords: { contract: 'recordRegistry', signer: 'patient' },
  EraseRecords: { contract: 'recordRegistry', signer: 'patient' },
  GrantAccess: { contract: 'consentManager', signer: 'patient' },
  RejectRequest: { contract: 'consentManager', signer: 'patient' },
  RevokeAccess: { contract: 'consentManager', signer: 'patient' },
  ApproveDelegation: { contract: 'delegationRegistry', signer: 'patient' },
  RejectDelegation: { contract: 'delegationRegistry', signer: 'patient' },
  RevokeDelegation: { contract: 'delegationRegistry', signer: 'patient' },
  AuthorizeDevice: { contract: 'streamAnchors', signer: 'patient' },
  AnchorStreamBatch: { contract: 'streamAnchors', signer: 'patient' },
  SubmitReport: { contract: 'diseaseReports', signer: 'patient' },
  InvalidateNonces: { contract: null, signer: 'account' },
};

const CONTRACTS = new Set<string>([
  'identityRegistry',
  'recordRegistry',
  'consentManager',
  'delegationRegistry',
  'streamAnchors',
  'diseaseReports',
]);

/** A signed action as it travels in JSON: bigints as decimal strings. */
export type WireAction = Record<string, unknown>;

/** A received action, checked for shape, with what the relayer keys it by. */
export interface ParsedAction {
  signed: AnySignedRelayedAction;
  /** The contract that verifies it. */
  contract: MhrChainContractName;
  /** The signing account (checksummed). */
  account: string;
  /** `contract:account:nonce`: one signature nonce is one action, whatever the relayer receives. */
  id: string;
}

/** Encodes a signed action for JSON (bigints as decimal strings). */
export function toWire(signed: AnySignedRelayedAction): WireAction {
  return JSON.parse(JSON.stringify(signed, (_, value) => (typeof value === 'bigint' ? value.toString() : value)));
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads a signed action from JSON: a known action, a message naming a valid signer address, an integer nonce and
 * deadline, a 65-byte hex signature.
 *
 * @throws `RelayRejectedError` (400) for anything else.
 */
export function fromWire(value: unknown): ParsedAction {
  if (!isRecord(value)) throw new RelayRejectedError('The body must be a signed action object.', { status: 400 });
  const action = value.action;
  if (typeof action !== 'string' || !Object.hasOwn(RELAYED_ACTIONS, action))
    throw new RelayRejectedError('Unknown action.', { status: 400, details: String(action) });
  const spec = RELAYED_ACTIONS[action as RelayedAction];
  if (!isRecord(value.message)) throw new RelayRejectedError('The action has no message.', { status: 400 });
  const message = value.message;
  let account: string;
  try {
    account = getAddress(String(message[spec.signer]));
  } catch {
    throw new RelayRejectedError(`The message's ${spec.signer} is not an address.`, { status: 400 });
  }
  const integer = (name: string, raw: unknown) => {
    if (typeof raw !== 'string' && typeof raw !== 'number')
      throw new RelayRejectedError(`${name} is missing.`, { status: 400 });
    if (!/^\d+$/.test(String(raw)))
      throw new RelayRejectedError(`${name} must be a non-negative integer.`, { status: 400 });
    return BigInt(raw);
  };
  const nonce = integer('nonce', value.nonce);
  const deadline = integer('deadline', value.deadline);
  if (typeof value.signature !== 'string' || !/^0x[0-9a-fA-F]{130}$/.test(value.signature))
    throw new RelayRejectedError('The signature must be 65 bytes of hex.', { status: 400 });
  const contract = spec.contract ?? (message.contract as MhrChainContractName);
  if (!CONTRACTS.has(contract))
    throw new RelayRejectedError('Unknown contract.', { status: 400, details: String(message.contract) });
  const signed = { action, message, nonce, deadline, signature: value.signature } as AnySignedRelayedAction;
  return { signed, contract, account, id: `${contract}:${account.toLowerCase()}:${nonce}` };
}

/**
 * The call that submits `signed` (the contract's `…BySig` function): `submitRelayedAction`'s own mapping, run against
 * contracts that record the call instead of sending it.
 */
export async function relayedCall(
  chain: MhrChain,
  signed: AnySignedRelayedAction,
): Promise<{ to: string; data: string }> {
  let call: { to: string; data: string } | undefined;
  const recording = Object.fromEntries(
    (Object.keys(chain.addresses) as MhrChainContractName[]).map((name) => [
      name,
      {
        write: new Proxy(
          {},
          {
            get:
              (_, fn: string) =>
              async (...args: unknown[]) => {
                call = { to: chain[name].address, data: chain[name].contract.interface.encodeFunctionData(fn, args) };
                return {};
              },
          },
        ),
      },
    ]),
  );
  await submitRelayedAction(recording as unknown as MhrChain, signed);
  if (!call) throw new RelayRejectedError('The action maps to no contract call.', { status: 400 });
  return call;
}
