import { BaseError, type ErrorParameters, InvalidParametersError } from '@mhrchain/core';
import type { PendingAction } from './journal.js';

/**
 * A one-time code was rejected: wrong, expired, already used, locked after too many attempts, or presented for
 * another request. `reason` tells the patient's app which, so it can show the right message; the doctor's side should
 * only be told that the code was not accepted.
 *
 * @example
 * ```ts
 * import { OtpRejectedError } from '@mhrchain/consent';
 *
 * const error = new OtpRejectedError({ reason: 'expired' });
 * error.reason; // 'expired'
 * ```
 */
export class OtpRejectedError extends BaseError {
  static override name = 'OtpRejectedError';
  override name = 'OtpRejectedError';
  /** Why the code was rejected. */
  readonly reason: OtpRejectionReason;
  /** Attempts left before the challenge locks (0 once locked or used). */
  readonly attemptsLeft: number;

  constructor(parameters: { reason: OtpRejectionReason; attemptsLeft?: number }) {
    super(`One-time code rejected: ${parameters.reason}.`, { docsPath: 'consent-protocol.md#one-time-codes' });
    this.reason = parameters.reason;
    this.attemptsLeft = parameters.attemptsLeft ?? 0;
  }
}

/** Why a one-time code was rejected. */
export type OtpRejectionReason = 'mismatch' | 'expired' | 'used' | 'locked' | 'unknown-request' | 'wrong-request';

/**
 * Parameters of an OTP function were out of range (digits, period, secret length, URI syntax). Extends
 * `InvalidParametersError` from `@mhrchain/core`.
 *
 * @example
 * ```ts
 * import { InvalidOtpParametersError } from '@mhrchain/consent';
 *
 * const error = new InvalidOtpParametersError('digits must be 6, 7 or 8', { details: '5' });
 * console.log(error.shortMessage);
 * ```
 */
export class InvalidOtpParametersError extends InvalidParametersError {
  static override name = 'InvalidOtpParametersError';
  override name = 'InvalidOtpParametersError';
  constructor(shortMessage: string, parameters: ErrorParameters = {}) {
    super(shortMessage, { ...parameters, docsPath: 'errors.md#consent' });
  }
}

/**
 * A consent function was called with malformed parameters (scope, address, id, duration). Extends
 * `InvalidParametersError` from `@mhrchain/core`.
 *
 * @example
 * ```ts
 * import { InvalidConsentParametersError } from '@mhrchain/consent';
 *
 * throw new InvalidConsentParametersError('A records scope lists 1 to 64 record ids.');
 * ```
 */
export class InvalidConsentParametersError extends InvalidParametersError {
  static override name = 'InvalidConsentParametersError';
  override name = 'InvalidConsentParametersError';
  /**
   * @param shortMessage - What is wrong with the parameters, as one sentence.
   * @param parameters - `cause`, `details`; `docsPath` lets a subclass point at its own guide.
   */
  constructor(shortMessage: string, parameters: ErrorParameters & { docsPath?: string } = {}) {
    super(shortMessage, { docsPath: 'errors.md#consent', ...parameters });
  }
}

/**
 * A purpose is not a code of the published vocabulary (`PURPOSES_OF_USE`): free text, a code of another system, or
 * a contract number no purpose stands for. Raised before any transaction; `purpose` is what was given.
 *
 * @example
 * ```ts
 * import { InvalidPurposeError } from '@mhrchain/consent';
 *
 * const error = new InvalidPurposeError({ purpose: 'treatment' });
 * error.purpose; // 'treatment'
 * ```
 */
export class InvalidPurposeError extends InvalidConsentParametersError {
  static override name = 'InvalidPurposeError';
  override name = 'InvalidPurposeError';
  readonly purpose: unknown;
  constructor(parameters: { purpose: unknown }) {
    super('The purpose is not a code of the PurposeOfUse vocabulary.', {
      details: 'Use one of PURPOSES_OF_USE (TREAT, ETREAT, HPAYMT, …); free text is never written on chain.',
      docsPath: 'consent-protocol.md#purposes-of-use',
    });
    this.purpose = parameters.purpose;
  }
}

/**
 * A sealed OTP response could not be opened or verified: wrong recipient, tampered, malformed, or signed by someone
 * other than the doctor it names. Deliberately says nothing more.
 *
 * @example
 * ```ts
 * import { InvalidOtpResponseError } from '@mhrchain/consent';
 *
 * throw new InvalidOtpResponseError();
 * ```
 */
export class InvalidOtpResponseError extends BaseError {
  static override name = 'InvalidOtpResponseError';
  override name = 'InvalidOtpResponseError';
  constructor(parameters: { cause?: unknown } = {}) {
    super('The OTP response could not be opened or verified.', {
      ...parameters,
      docsPath: 'consent-protocol.md#the-otp-response',
    });
  }
}

/**
 * `resumePendingActions` could not settle a journalled action in this run: a step failed again (the wallet refused or
 * cannot pay, the provider is down, the store failed, the chain refused a transaction for a reason the chain does not
 * show settled). The action stays in the journal at the step it reached, and the next resume tries it again; the other
 * actions were settled regardless. `cause` is what failed (often a `ContractCallError` or `ContractRevertError` from
 * `@mhrchain/contracts`).
 *
 * @example
 * ```ts
 * import { type ConsentClient, resumePendingActions } from '@mhrchain/consent';
 *
 * declare const patient: ConsentClient;
 * const { failed } = await resumePendingActions(patient);
 * for (const { action, error } of failed) console.warn(action.kind, error.shortMessage, error.details);
 * ```
 */
export class PendingActionError extends BaseError {
  static override name = 'PendingActionError';
  override name = 'PendingActionError';
  /** The action's kind (`addRecord`, `revokeAccess`, …). */
  readonly kind: PendingAction['kind'];
  /** The step the journal keeps it at. */
  readonly step: string;

  constructor(parameters: { action: Pick<PendingAction, 'kind' | 'step'>; cause: unknown }) {
    const { action, cause } = parameters;
    super(`The pending ${action.kind} action could not be settled now; it stays in the journal for the next resume.`, {
      cause,
      docsPath: 'consent-protocol.md#the-action-journal-and-the-access-invariant',
    });
    this.kind = action.kind;
    this.step = action.step;
  }
}

/**
 * A record's anchor may still be mined: the account has transactions the node holds unmined, and one of them may be
 * the anchor an interrupted `addRecord` sent for an envelope that must now be re-wrapped (a reader lost access).
 * Re-wrapping and anchoring again now could anchor the record twice, once readable by that reader, so
 * `resumePendingActions` leaves the action in the journal (reported in `failed`) until those transactions are mined
 * or replaced; the next resume then keeps and rotates the anchor that landed, or re-wraps.
 *
 * @example
 * ```ts
 * import { AnchorNotSettledError, type ConsentClient, resumePendingActions } from '@mhrchain/consent';
 *
 * declare const patient: ConsentClient;
 * const { failed } = await resumePendingActions(patient);
 * if (failed.some(({ error }) => error.cause instanceof AnchorNotSettledError))
 *   console.info('An earlier anchor is still pending: resume again after the next blocks.');
 * ```
 */
export class AnchorNotSettledError extends BaseError {
  static override name = 'AnchorNotSettledError';
  override name = 'AnchorNotSettledError';
  /** The envelope CID whose anchor may still land. */
  readonly cid: string;
  /** How many transactions of the account the node holds unmined. */
  readonly pending: number;

  constructor(parameters: { cid: string; pending: number; cause?: unknown }) {
    const { cid, pending } = parameters;
    super(
      `An earlier anchor of this record may still be mined: ${pending} transaction(s) of the account are pending.`,
      {
        details: cid,
        ...(parameters.cause === undefined ? {} : { cause: parameters.cause }),
        docsPath: 'consent-protocol.md#the-action-journal-and-the-access-invariant',
      },
    );
    this.cid = cid;
    this.pending = pending;
  }
}
