/**
 * The statuses the contracts store, as numbered on chain (reads return them as `bigint`: compare with
 * `BigInt(GrantStatus.Active)` or `Number(status)`).
 *
 * @example
 * ```ts
 * import { GrantStatus } from '@mhrchain/contracts';
 *
 * // const grant = await chain.consentManager.read.grantOf(patient, doctor);
 * // Number(grant.status) === GrantStatus.Revoked
 * GrantStatus.Active; // 1
 * ```
 */
export const GrantStatus = { None: 0, Active: 1, Revoked: 2 } as const;

/** A grant status: `0` none, `1` active, `2` revoked. */
export type GrantStatus = (typeof GrantStatus)[keyof typeof GrantStatus];

/**
 * The status of an access request (`ConsentManager.requestOf`).
 *
 * @example
 * ```ts
 * import { RequestStatus } from '@mhrchain/contracts';
 *
 * RequestStatus.Pending; // 1
 * ```
 */
export const RequestStatus = { None: 0, Pending: 1, Granted: 2, Rejected: 3 } as const;

/** A request status: `0` none, `1` pending, `2` granted, `3` rejected. */
export type RequestStatus = (typeof RequestStatus)[keyof typeof RequestStatus];

/**
 * The status of a delegation (`DelegationRegistry.delegationOf`).
 *
 * @example
 * ```ts
 * import { DelegationStatus } from '@mhrchain/contracts';
 *
 * DelegationStatus.Approved; // 2
 * ```
 */
export const DelegationStatus = { None: 0, Pending: 1, Approved: 2, Rejected: 3, Revoked: 4 } as const;

/** A delegation status: `0` none, `1` pending, `2` approved, `3` rejected, `4` revoked. */
export type DelegationStatus = (typeof DelegationStatus)[keyof typeof DelegationStatus];
