/**
 * `@mhrchain/consent`: patient-controlled access to health records. Doctors request access; patients grant it
 * directly or confirm it with a one-time code; patients revoke at any time, with key rotation; doctors share with
 * colleagues only with the patient's approval; every decision is an on-chain event.
 *
 * @packageDocumentation
 */

export {
  type AddRecordParameters,
  type AddRecordProgress,
  type AddRecordReturnType,
  addRecord,
} from './addRecord.js';
export {
  type AnswerAccessOtpParameters,
  type AnswerAccessOtpReturnType,
  answerAccessOtp,
} from './answerAccessOtp.js';
export {
  type ApproveDelegationParameters,
  type ApproveDelegationReturnType,
  approveDelegation,
  type DelegationDecisionParameters,
} from './approveDelegation.js';
export {
  type ApproveRequestParameters,
  type ApproveRequestReturnType,
  approveRequest,
} from './approveRequest.js';
export {
  type ApproveWithOtpParameters,
  type ApproveWithOtpReturnType,
  approveWithOtp,
} from './approveWithOtp.js';
export { type AttestDoctorParameters, type AttestDoctorReturnType, attestDoctor } from './attestDoctor.js';
export {
  type CancelSignedActionsParameters,
  type CancelSignedActionsReturnType,
  cancelSignedActions,
} from './cancelSignedActions.js';
export {
  type ConsentClient,
  type ConsentEventIndexOptions,
  type ConsentIdentitySource,
  type ConsentTransactionOptions,
  type CreateConsentClientParameters,
  createConsentClient,
  type PendingOtpRequest,
  type PendingOtpStore,
} from './client.js';
export {
  type ErasedRecord,
  type EraseRecordsParameters,
  type EraseRecordsReturnType,
  eraseRecords,
} from './eraseRecords.js';
export {
  AnchorNotSettledError,
  InvalidConsentParametersError,
  InvalidOtpParametersError,
  InvalidOtpResponseError,
  InvalidPurposeError,
  OtpRejectedError,
  type OtpRejectionReason,
  PendingActionError,
} from './errors.js';
export { type FhirExportOptions, MHR_CATEGORY_SYSTEM, MHR_CHAIN_ID_SYSTEM, MHR_EVENT_SYSTEM } from './fhir.js';
export {
  type GetPendingRequestParameters,
  type GetPendingRequestReturnType,
  getPendingRequest,
  type PendingRequest,
} from './getPendingRequest.js';
export { type GetTimelineParameters, type GetTimelineReturnType, getTimeline } from './getTimeline.js';
export { type GrantAccessParameters, type GrantAccessReturnType, grantAccess } from './grantAccess.js';
export { type HotpParameters, hotp, type OtpAlgorithm } from './hotp.js';
export { type CreateIndexedDbJournalStoreParameters, createIndexedDbJournalStore } from './indexedDbJournalStore.js';
export type { TransactionInfo } from './internal/transactions.js';
export {
  type IssueAccessOtpParameters,
  type IssueAccessOtpReturnType,
  issueAccessOtp,
} from './issueAccessOtp.js';
export {
  createMemoryJournalStore,
  type JournalActionKind,
  type JournalStore,
  type JournalValue,
  type PendingAction,
} from './journal.js';
export {
  type ActiveGrant,
  type ListActiveGrantsParameters,
  type ListActiveGrantsReturnType,
  listActiveGrants,
} from './listActiveGrants.js';
export {
  type ListPendingRequestsParameters,
  type ListPendingRequestsReturnType,
  listPendingRequests,
} from './listPendingRequests.js';
export {
  type ListReadableRecordsParameters,
  type ListReadableRecordsReturnType,
  listReadableRecords,
  type ReadableRecord,
} from './listReadableRecords.js';
export {
  type ListRecordsParameters,
  type ListRecordsReturnType,
  listRecords,
  type PatientRecord,
} from './listRecords.js';
export { type OpenRecordReturnType, openRecord } from './openRecord.js';
export { createOtpauthUri, type OtpauthParameters, parseOtpauthUri } from './otpauthUri.js';
export {
  type ConfirmOtpParameters,
  createOtpConfirmations,
  type IssuedOtp,
  type IssueOtpParameters,
  type OtpChallengeRecord,
  type OtpChallengeStore,
  type OtpConfirmations,
  type OtpConfirmationsOptions,
} from './otpConfirmations.js';
export {
  type OpenOtpResponseParameters,
  type OtpResponse,
  openOtpResponse,
  type SealOtpResponseParameters,
  sealOtpResponse,
} from './otpResponse.js';
export {
  isPurposeOfUse,
  PURPOSE_OF_USE_SYSTEM,
  PURPOSES_OF_USE,
  type PurposeOfUse,
  type PurposeOfUseDefinition,
  purposeOfUse,
  purposeOfUseFromNumber,
} from './purposeOfUse.js';
export { type ReadRecordParameters, type ReadRecordReturnType, readRecord } from './readRecord.js';
export { type ReconcileAccessReturnType, reconcileAccess } from './reconcileAccess.js';
export { createMemoryRecordStore, type RecordStore } from './recordStore.js';
export { registerDoctor } from './registerDoctor.js';
export { type RegisterReturnType, registerPatient } from './registerPatient.js';
export {
  type RejectDelegationParameters,
  type RejectDelegationReturnType,
  rejectDelegation,
} from './rejectDelegation.js';
export { type RejectRequestParameters, type RejectRequestReturnType, rejectRequest } from './rejectRequest.js';
export {
  type RequestAccessParameters,
  type RequestAccessReturnType,
  requestAccess,
} from './requestAccess.js';
export { type RequestBindingParameters, type RequestLocation, requestBinding, requestIdOf } from './requestBinding.js';
export {
  type RequestDelegationParameters,
  type RequestDelegationReturnType,
  requestDelegation,
} from './requestDelegation.js';
export {
  type FailedPendingAction,
  type ResumePendingActionsReturnType,
  resumePendingActions,
} from './resumePendingActions.js';
export {
  type PublishedVersion,
  type RevokeAccessParameters,
  type RevokeAccessReturnType,
  type Rotation,
  revokeAccess,
} from './revokeAccess.js';
export {
  type RevokeDelegationParameters,
  type RevokeDelegationReturnType,
  revokeDelegation,
} from './revokeDelegation.js';
export {
  type RotateExpiredAccessParameters,
  type RotateExpiredAccessReturnType,
  rotateExpiredAccess,
} from './rotateExpiredAccess.js';
export {
  type AccessScope,
  fromScopeTuple,
  type Hex,
  isScopeWithin,
  MAX_SCOPE_RECORD_IDS,
  type ScopeTuple,
  scopeHash,
  toScopeTuple,
} from './scope.js';
export { shredKeys } from './shredKeys.js';
export {
  compareTimelineEvents,
  compareTimelineTimes,
  counterpartOf,
  type TimelineEvent,
  type TimelineEventBase,
  type TimelineEventKind,
  type TimelineEventOf,
} from './timeline.js';
export { timelineToFhirAuditEvents } from './timelineToFhirAuditEvents.js';
export { timelineToFhirBundle } from './timelineToFhirBundle.js';
export { timelineToFhirConsents } from './timelineToFhirConsents.js';
export { type TotpParameters, totp, type VerifyTotpParameters, verifyTotp } from './totp.js';
export { type AccessViolation, type VerifyAccessReturnType, verifyAccess } from './verifyAccess.js';
