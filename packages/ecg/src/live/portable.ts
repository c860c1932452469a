// Everything @mhrchain/ecg/live exports that runs on every platform; `index.ts` (Node) and `index.browser.ts`
// (browsers) add the Mosquitto launcher.

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
  InvalidLiveParametersError,
  LiveAccessDeniedError,
  LiveMessageError,
  LiveMessageRejectedError,
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
export { type CreateMqttTransportParameters, createMqttTransport } from './mqttTransport.js';
export {
  type CreateLivePublisherParameters,
  createLivePublisher,
  LIVE_OFFLINE_QUEUE_DEFAULTS,
  type LiveDroppedFrames,
  type LiveOfflineQueueLimits,
  type LivePublisher,
  type LivePublisherState,
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
