import type { EventArgs, FunctionResult } from './abiTypes.js';
import type { consentManagerAbi, delegationRegistryAbi } from './generated/index.js';

/**
 * A grant as `ConsentManager.grantOf` returns it (typed from the ABI: numbers are `bigint`, compare `status` with
 * `GrantStatus` through `Number(grant.status)`). `liveGrantOf` returns `[Grant, boolean]`.
 *
 * @example
 * ```ts
 * import { type Grant, GrantStatus } from '@mhrchain/contracts';
 *
 * const isActive = (grant: Grant) => Number(grant.status) === GrantStatus.Active;
 * // isActive(await chain.consentManager.read.grantOf(patient, doctor));
 * ```
 */
export type Grant = FunctionResult<typeof consentManagerAbi, 'grantOf'>;

/**
 * An access request as `ConsentManager.requestOf` returns it (`status` compares with `RequestStatus`).
 *
 * @example
 * ```ts
 * import { type AccessRequest, RequestStatus } from '@mhrchain/contracts';
 *
 * const isPending = (request: AccessRequest) => Number(request.status) === RequestStatus.Pending;
 * ```
 */
export type AccessRequest = FunctionResult<typeof consentManagerAbi, 'requestOf'>;

/**
 * A delegation as `DelegationRegistry.delegationOf` returns it (`status` compares with `DelegationStatus`).
 *
 * @example
 * ```ts
 * import { type Delegation, DelegationStatus } from '@mhrchain/contracts';
 *
 * const isApproved = (delegation: Delegation) => Number(delegation.status) === DelegationStatus.Approved;
 * ```
 */
export type Delegation = FunctionResult<typeof delegationRegistryAbi, 'delegationOf'>;

/**
 * A scope as the consent events log it (`AccessRequested`, `AccessGranted`, `DelegationRequested`): the contracts'
 * `Scope` struct decoded, numbers as `bigint`.
 *
 * @example
 * ```ts
 * import { type LoggedScope, ScopeKind } from '@mhrchain/contracts';
 *
 * const coversAll = (scope: LoggedScope) => Number(scope.kind) === ScopeKind.All;
 * ```
 */
export type LoggedScope = EventArgs<typeof consentManagerAbi, 'AccessGranted'>['scope'];
