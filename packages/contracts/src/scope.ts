/**
 * The kinds of consent scope, as the contracts number them.
 *
 * @example
 * ```ts
 * import { ScopeKind } from '@mhrchain/contracts';
 *
 * ScopeKind.Category; // 1
 * ```
 */
export const ScopeKind = { All: 0, Category: 1, Records: 2 } as const;

/** A scope kind: `0` all records, `1` one category, `2` listed record ids. */
export type ScopeKind = (typeof ScopeKind)[keyof typeof ScopeKind];

/** What a grant, request or delegation covers (the contracts' `Scope` struct). */
export interface Scope {
  kind: ScopeKind;
  /** The category code (only for `Category`, else 0). */
  category: number;
  /** The listed record ids (only for `Records`: 1 to 64 ids, else empty). */
  recordIds: readonly string[];
}

/**
 * A scope covering every record of the patient.
 *
 * @example
 * ```ts
 * import { scopeAll } from '@mhrchain/contracts';
 *
 * // await chain.consentManager.write.grantAccess(doctor, scopeAll(), expiresAt);
 * scopeAll();
 * ```
 */
export function scopeAll(): Scope {
  return { kind: ScopeKind.All, category: 0, recordIds: [] };
}

/**
 * A scope covering the patient's records of one category.
 *
 * @example
 * ```ts
 * import { scopeCategory } from '@mhrchain/contracts';
 *
 * scopeCategory(1); // ECG records, in the application's category codes
 * ```
 */
export function scopeCategory(category: number): Scope {
  return { kind: ScopeKind.Category, category, recordIds: [] };
}

/**
 * A scope covering the listed record ids only.
 *
 * @example
 * ```ts
 * import { scopeRecords } from '@mhrchain/contracts';
 *
 * scopeRecords(['0x6c1a3a1f2d1ab9a1b8c4d0f2e3a4b5c6d7e8f90112233445566778899aabbccdd']);
 * ```
 */
export function scopeRecords(recordIds: readonly string[]): Scope {
  return { kind: ScopeKind.Records, category: 0, recordIds };
}
