import { type LoggedScope, type Scope, ScopeKind } from '@mhrchain/contracts';
import { AbiCoder, isHexString, keccak256, solidityPacked } from 'ethers';
import { InvalidConsentParametersError } from './errors.js';

/** A 0x-prefixed hex string. */
export type Hex = `0x${string}`;

/**
 * What a request, grant or delegation covers: every record of the patient, one category of records, or listed
 * record ids (1 to 64). The SDK's form of the contracts' `Scope` struct (`Scope` in `@mhrchain/contracts`): convert
 * with {@link toScopeTuple} and {@link fromScopeTuple}.
 */
export type AccessScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'category'; readonly category: number }
  | { readonly kind: 'records'; readonly recordIds: readonly Hex[] };

/** The most record ids a `records` scope may list (the contract's limit). */
export const MAX_SCOPE_RECORD_IDS = 64;

const KIND_CODES = { all: ScopeKind.All, category: ScopeKind.Category, records: ScopeKind.Records } as const;

/**
 * The scope as the contract's `Scope(uint8 kind,uint16 category,bytes32[] recordIds)` tuple.
 *
 * @deprecated Use `Scope` from `@mhrchain/contracts` (the same type, one name for it).
 */
export type ScopeTuple = Scope;

/**
 * Checks a scope and returns its contract tuple (`Scope` of `@mhrchain/contracts`).
 *
 * @throws {@link InvalidConsentParametersError} when the scope is malformed.
 * @example
 * ```ts
 * import { toScopeTuple } from '@mhrchain/consent';
 *
 * toScopeTuple({ kind: 'category', category: 3 }); // { kind: 1, category: 3, recordIds: [] }
 * ```
 */
export function toScopeTuple(scope: AccessScope): Scope {
  switch (scope?.kind) {
    case 'all':
      return { kind: KIND_CODES.all, category: 0, recordIds: [] };
    case 'category':
      if (!Number.isInteger(scope.category) || scope.category < 0 || scope.category > 0xffff)
        throw new InvalidConsentParametersError('A scope category is an integer from 0 to 65535.');
      return { kind: KIND_CODES.category, category: scope.category, recordIds: [] };
    case 'records': {
      const ids = scope.recordIds;
      if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_SCOPE_RECORD_IDS)
        throw new InvalidConsentParametersError(`A records scope lists 1 to ${MAX_SCOPE_RECORD_IDS} record ids.`);
      for (const id of ids)
        if (!isHexString(id, 32)) throw new InvalidConsentParametersError(`Not a record id: ${String(id)}`);
      return { kind: KIND_CODES.records, category: 0, recordIds: ids.map((id) => id.toLowerCase() as Hex) };
    }
    default:
      throw new InvalidConsentParametersError(`Unknown scope kind: ${String((scope as { kind?: unknown })?.kind)}`);
  }
}

/**
 * Reads a scope back from the contract's tuple (as decoded from calls or events).
 *
 * @example
 * ```ts
 * import { fromScopeTuple } from '@mhrchain/consent';
 *
 * fromScopeTuple({ kind: 0, category: 0, recordIds: [] }); // { kind: 'all' }
 * ```
 */
export function fromScopeTuple(tuple: Scope | LoggedScope): AccessScope {
  const kind = Number(tuple.kind);
  if (kind === KIND_CODES.all) return { kind: 'all' };
  if (kind === KIND_CODES.category) return { kind: 'category', category: Number(tuple.category) };
  if (kind === KIND_CODES.records)
    return { kind: 'records', recordIds: tuple.recordIds.map((id) => id.toLowerCase() as Hex) };
  throw new InvalidConsentParametersError(`Unknown scope kind code: ${kind}`);
}

const SCOPE_TYPEHASH = keccak256(new TextEncoder().encode('Scope(uint8 kind,uint16 category,bytes32[] recordIds)'));

/**
 * The EIP-712 struct hash of a scope, exactly as the contract computes it (`ScopeLib.hash`).
 *
 * @example
 * ```ts
 * import { scopeHash } from '@mhrchain/consent';
 *
 * const hash = scopeHash({ kind: 'all' }); // 0x…
 * ```
 */
export function scopeHash(scope: AccessScope): Hex {
  const tuple = toScopeTuple(scope);
  const ids = keccak256(tuple.recordIds.length ? solidityPacked(['bytes32[]'], [tuple.recordIds]) : '0x');
  return keccak256(
    AbiCoder.defaultAbiCoder().encode(
      ['bytes32', 'uint8', 'uint16', 'bytes32'],
      [SCOPE_TYPEHASH, tuple.kind, tuple.category, ids],
    ),
  ) as Hex;
}

/**
 * Whether `inner` is contained in `outer`, as far as can be told without the records' categories
 * (`records` inside `category` needs the registry and answers `false` here).
 *
 * @example
 * ```ts
 * import { isScopeWithin } from '@mhrchain/consent';
 *
 * isScopeWithin({ kind: 'category', category: 2 }, { kind: 'all' }); // true
 * ```
 */
export function isScopeWithin(inner: AccessScope, outer: AccessScope): boolean {
  if (outer.kind === 'all') return true;
  if (outer.kind === 'category') return inner.kind === 'category' && inner.category === outer.category;
  if (inner.kind !== 'records') return false;
  const allowed = new Set(outer.recordIds.map((id) => id.toLowerCase()));
  return inner.recordIds.every((id) => allowed.has(id.toLowerCase()));
}
