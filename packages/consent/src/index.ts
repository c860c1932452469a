/**
 * `@mhrchain/consent`: patient-controlled access to health records. Doctors request access; patients grant it
 * directly or confirm it with a one-time code; patients revoke at any time, with key rotation; doctors share with
 * colleagues only with the patient's approval; every decision is an on-chain event.
 *
 * @packageDocumentation
 */
export { InvalidOtpParametersError, OtpRejectedError, type OtpRejectionReason } from './errors.js';
export { type HotpParameters, hotp, type OtpAlgorithm } from './hotp.js';
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
export { type TotpParameters, totp, type VerifyTotpParameters, verifyTotp } from './totp.js';
