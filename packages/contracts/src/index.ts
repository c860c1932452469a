/**
 * `@mhrchain/contracts`: typed ethers v6 bindings of the MHR Chain contracts (identity registry, records, consent,
 * delegation, stream anchors, disease reports), deployment helpers and a deployment manifest, EIP-712 relayed
 * actions, revert decoding into typed errors and the audit timeline rebuilt from logs.
 *
 * Start a local chain with `startAnvil` from `@mhrchain/contracts/anvil`; vitest fixtures live in
 * `@mhrchain/contracts/testing`.
 *
 * @packageDocumentation
 */
export type {
  Abi,
  AbiErrorItem,
  AbiEventItem,
  AbiFunctionItem,
  AbiItem,
  AbiMode,
  AbiParameter,
  AbiParametersType,
  AbiParameterType,
  AbiPrimitiveType,
  AbiResultType,
  AbiTopicValue,
  AbiTupleType,
  ErrorArgs,
  ErrorName,
  EventArgs,
  EventFilterArgs,
  EventIndexedInput,
  EventName,
  FunctionArgs,
  FunctionResult,
  ReadFunctionName,
  WriteFunctionName,
} from './abiTypes.js';
export { type AssertDeployedParameters, assertDeployed } from './assertDeployed.js';
export {
  EventIndexError,
  LogQueryError,
  LogRangeError,
  RpcUnavailableError,
  TransactionDroppedError,
  TransactionReplacedError,
  TransactionRevertedError,
} from './chainErrors.js';
export { type DecodedTransactionError, decodeTransactionError } from './decodeTransactionError.js';
export {
  AnvilNotInstalledError,
  AnvilStartError,
  ContractCallError,
  type ContractErrorArgs,
  type ContractErrorName,
  ContractNotDeployedError,
  ContractRevertError,
  DeploymentNotFoundError,
  decodeContractError,
  decodeRevertData,
  InvalidSegmentBatchError,
  isContractRevert,
  UnknownDeploymentError,
} from './errors.js';
export {
  type CreateEventIndexParameters,
  createEventIndex,
  type EventIndex,
  type EventIndexEventsQuery,
  type EventIndexQuery,
  type EventIndexSyncResult,
} from './eventIndex.js';
export {
  createMemoryEventStore,
  type EventIndexChange,
  type EventIndexCheckpoint,
  type EventIndexState,
  type EventIndexStore,
  type IndexedLog,
} from './eventIndexStore.js';
export { encodeEventTopics } from './eventTopics.js';
export { freshBlockTag, noteWrittenBlock } from './freshBlock.js';
export {
  consentManagerAbi,
  consentManagerBytecode,
  delegationRegistryAbi,
  delegationRegistryBytecode,
  diseaseReportsAbi,
  diseaseReportsBytecode,
  identityRegistryAbi,
  identityRegistryBytecode,
  recordRegistryAbi,
  recordRegistryBytecode,
  streamAnchorsAbi,
  streamAnchorsBytecode,
} from './generated/index.js';
export { type CreateIndexedDbEventStoreParameters, createIndexedDbEventStore } from './indexedDbEventStore.js';
export {
  type CreateLogReaderParameters,
  classifyLogError,
  createLogReader,
  type LogErrorKind,
  type LogFilter,
  type LogReader,
  type ReadContractEventsParameters,
  readContractEvents,
  suggestedBlockRange,
} from './logReader.js';
export { withManagedNonce } from './managedNonce.js';
export {
  addressesForChain,
  type ConnectMhrChainOptions,
  connectMhrChain,
  type DeployMhrChainParameters,
  type DeployMhrChainReturnType,
  type DeploymentManifest,
  deployMhrChain,
  deployments,
  type MhrChain,
  type MhrChainAddresses,
  withDeployment,
} from './mhrChain.js';
export { type MhrChainAbiItems, type MhrChainContractName, mhrChainAbis } from './mhrChainAbis.js';
export { OBSERVER_VIEW, type ObservableFact } from './observerView.js';
export {
  type PlaintextLeak,
  type PrivacyNeedle,
  type ScanChainPrivacyParameters,
  type ScanChainPrivacyReturnType,
  scanChainPrivacy,
} from './privacyScan.js';
export {
  type AnySignedRelayedAction,
  delegationScopeHash,
  type RelayedAction,
  type RelayedActionMessages,
  type SignedRelayedAction,
  type SignRelayedActionParameters,
  signRelayedAction,
  submitRelayedAction,
} from './relayed.js';
export { type Scope, ScopeKind, scopeAll, scopeCategory, scopeRecords } from './scope.js';
export { buildSegmentMerkleTree, type SegmentMerkleTree, segmentLeaf } from './segmentMerkleTree.js';
export { DelegationStatus, GrantStatus, RequestStatus } from './status.js';
export { decodeAuditEvents, type ReadTimelineParameters, readTimeline, type TimelineEntry } from './timeline.js';
export {
  type CreateTransactionManagerParameters,
  createTransactionManager,
  type ManagedTransaction,
  type TransactionEvent,
  type TransactionManager,
} from './transactionManager.js';
export {
  type DecodableLog,
  type DecodedEvent,
  type EstimateGasMethods,
  type EventQuery,
  type ReadMethods,
  type TypedContract,
  type TypedContractOptions,
  typedContract,
  type WriteMethods,
  type WriteResult,
} from './typedContract.js';
export type { AccessRequest, Delegation, Grant, LoggedScope } from './views.js';
