// Everything @mhrchain/core exports that runs on every platform; `index.ts` (Node) and `index.browser.ts` (browsers)
// add the platform's embedded IPFS node.
export { BaseError, type BaseErrorParameters, docsBaseUrl } from './baseError.js';
export type { Block } from './block.js';
export { exportCar, type ImportCarReturnType, importCar } from './car.js';
export { type DecryptProgress, FRAME_SIZE } from './decryptStream.js';
export {
  createEncryptStream,
  type EncryptProgress,
  type EncryptStream,
  type EncryptStreamParameters,
  type EncryptStreamResult,
} from './encryptStream.js';
export {
  type DecryptRecordParameters,
  type DecryptRecordReturnType,
  decryptRecord,
  type EncryptRecordParameters,
  type EncryptRecordReturnType,
  encryptRecord,
  type OpenEnvelopeParameters,
  type OpenedEnvelope,
  openEnvelope,
} from './envelope.js';
export {
  CHUNK_SIZE,
  ENVELOPE_AEAD,
  ENVELOPE_TYPE,
  ENVELOPE_VERSION,
  type EnvelopeHeaderInfo,
  MAX_RECIPIENTS,
  readEnvelopeHeader,
} from './envelopeHeader.js';
export {
  type LoadEnvelopeOptions,
  type LoadEnvelopeReturnType,
  loadEnvelope,
  type RotateEnvelopeParameters,
  rotateEnvelope,
  type StoreEnvelopeParameters,
  type StoreEnvelopeReturnType,
  type StoreProgress,
  storeEnvelope,
} from './envelopeStorage.js';
export { type ErasableStore, type EraseDagOptions, type EraseDagReturnType, eraseDag } from './eraseDag.js';
export {
  BlockNotFoundError,
  DecryptionError,
  type ErrorParameters,
  IdentityDerivationError,
  IdentityShreddedError,
  InvalidBlockError,
  InvalidEnvelopeError,
  InvalidKeyError,
  InvalidParametersError,
  KuboRpcError,
  KuboStartError,
  KuboUnreachableError,
  PlatformNotSupportedError,
  ReadOnlyStorageError,
  RemotePinningError,
  ReplicationError,
  StorageReadOnlyError,
  UnsupportedPlatformError,
} from './errors.js';
export { type CreateGatewayStorageParameters, createGatewayStorage } from './gatewayStorage.js';
export {
  assertPublicKey,
  type BoundIdentityMessage,
  boundIdentityMessage,
  boundIdentityPurpose,
  type DeriveBoundIdentityParameters,
  deriveBoundIdentity,
  deriveIdentityFromSigner,
  generateIdentity,
  type Identity,
  identityDerivationMessage,
  importIdentity,
  type TypedDataSigner,
} from './identity.js';
export { createMemoryIdentityKeyStore, type IdentityKeyStore } from './identityKeyStore.js';
export {
  type CreateIndexedDbIdentityKeyStoreParameters,
  createIndexedDbIdentityKeyStore,
} from './indexedDbIdentityKeyStore.js';
export { type CreateKuboStorageParameters, createKuboStorage, type KuboStorage } from './kuboStorage.js';
export type { RecordMetadata, RecordMetadataInput } from './metadata.js';
export {
  type CreateRemotePinningParameters,
  createRemotePinning,
  type RemotePinning,
  type RemotePinOptions,
} from './remotePinning.js';
export {
  type CreateReplicatedStorageParameters,
  createReplicatedStorage,
  type Pinner,
  type ReplicatedStorage,
  type ReplicationStatus,
} from './replicatedStorage.js';
export { type RewrapEnvelopeParameters, type RewrapEnvelopeReturnType, rewrapEnvelope } from './rewrapEnvelope.js';
export { createMemoryStorage, type Storage, type StorageCallOptions } from './storage.js';
export {
  createTrustlessGatewayHandler,
  RAW_BLOCK_MEDIA_TYPE,
  type TrustlessGatewayHandler,
} from './trustlessGateway.js';
