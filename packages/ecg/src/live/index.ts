/**
 * `@mhrchain/ecg/live`: live, end-to-end encrypted ECG streams from a wearable to authorised doctors over MQTT
 * (or any {@link LiveTransport}), with per-epoch stream keys wrapped for each doctor, rekeying on revocation,
 * replay/gap detection, a doctor-side monitor (filter, beats, heart rate, alerts) and archiving of sealed segments
 * to IPFS, anchored on chain in Merkle batches.
 *
 * @packageDocumentation
 */

export {
  type AnchoredBatch,
  type ArchivedSegment,
  type CreateStreamArchiveParameters,
  createStreamArchive,
  ECG_SEGMENT_MEDIA_TYPE,
  type SegmentInclusionProof,
  type StreamAnchorTarget,
  type StreamArchive,
} from './archive.js';
export {
  generateLiveDeviceKey,
  generateStreamId,
  type LiveDeviceKey,
  type LiveStreamDescriptor,
  liveStreamTopic,
} from './device.js';
export {
  LiveAccessDeniedError,
  LiveMessageError,
  type LiveMessageRejection,
  LiveParameterError,
  LiveTransportError,
  MosquittoStartError,
  SegmentVerificationError,
} from './errors.js';
export {
  type CreateLiveMonitorParameters,
  createLiveMonitor,
  type LiveMonitor,
  type MonitorAlertEvent,
  type MonitorBeatEvent,
  type MonitorEvent,
  type MonitorSamplesEvent,
  type MonitorSignalLossEvent,
  type MonitorStreamEvent,
} from './monitor.js';
export { type MosquittoInstance, type StartMosquittoOptions, startMosquitto } from './mosquitto.js';
export { type CreateMqttTransportParameters, createMqttTransport } from './mqttTransport.js';
export {
  type CreateLivePublisherParameters,
  createLivePublisher,
  type LivePublisher,
  type LivePublisherStats,
  type PublishedFrame,
  type PublishedFrameSink,
} from './publisher.js';
export {
  type ReadStreamRecipientsParameters,
  type ReadStreamRecipientsReturnType,
  readStreamRecipients,
} from './readStreamRecipients.js';
export {
  type LiveAccessDeniedEvent,
  type LiveConnectionEvent,
  type LiveFrameEvent,
  type LiveGapEvent,
  type LiveKeyEvent,
  type LiveRejectedEvent,
  type LiveStreamEvent,
  type LiveSubscription,
  type LiveSubscriptionStats,
  type SubscribeLiveStreamParameters,
  subscribeLiveStream,
} from './subscriber.js';
export type {
  LiveMessageHandler,
  LivePublishOptions,
  LiveTransport,
  LiveTransportEvent,
} from './transport.js';
export {
  type ReadArchivedSegmentParameters,
  readArchivedSegment,
  type VerifyArchivedSegmentParameters,
  verifyArchivedSegment,
} from './verifyArchivedSegment.js';
