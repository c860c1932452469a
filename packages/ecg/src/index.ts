/**
 * `@mhrchain/ecg`: a WFDB reader for PhysioNet data, a lossless streaming ECG codec, streaming IIR filters,
 * QRS detection with heart-rate alerts, and an ANSI/AAMI EC57-style beat-by-beat scorer.
 *
 * @packageDocumentation
 */

export {
  type Biquad,
  type DesignButterworthParameters,
  type DesignEcgFilterParameters,
  type DesignNotchParameters,
  designButterworth,
  designEcgFilter,
  designNotch,
  magnitudeResponse,
} from './biquad.js';
export {
  type DecodeEcgReturnType,
  decodeEcg,
  type EncodeEcgParameters,
  encodeEcg,
} from './codec.js';
export { createEcgDecoderStream, createEcgEncoderStream } from './codecStreams.js';
export {
  EcgFrameError,
  EcgParameterError,
  FilterDesignError,
  InvalidEcgFrameError,
  InvalidEcgParametersError,
  InvalidFilterParametersError,
  InvalidWfdbFileError,
  WfdbFormatError,
} from './errors.js';
export {
  createFilterStream,
  createStreamingFilter,
  type FilterOptions,
  filterSignal,
  filterZeroPhase,
  type StreamingFilter,
} from './filter.js';
export {
  decodeEcgFrame,
  ECG_FRAME_VERSION,
  ECG_FRAME_VERSIONS,
  ECG_MAX_CHANNELS,
  ECG_MAX_FRAME_SAMPLES,
  type EcgFrame,
  type EcgFrameHeader,
  type EncodeEcgFrameParameters,
  encodeEcgFrame,
  readEcgFrameHeader,
} from './frame.js';
export {
  createHeartRateAlerts,
  type HeartRateAlert,
  type HeartRateAlerts,
  type HeartRateAlertsParameters,
  type HeartRateAlertType,
} from './heartRateAlerts.js';
export {
  createQrsDetector,
  detectQrs,
  type QrsBeat,
  type QrsDetector,
  type QrsDetectorParameters,
} from './qrsDetector.js';
export { type BeatScore, grossScore, type ScoreBeatsParameters, scoreBeats } from './scoreBeats.js';
export {
  annotationSymbol,
  flutterEpisodes,
  isBeatSymbol,
  parseWfdbAnnotations,
  type WfdbAnnotation,
} from './wfdbAnnotations.js';
export { parseWfdbHeader, type WfdbHeader, type WfdbSignalSpec } from './wfdbHeader.js';
export {
  type DecodeWfdbSignalFileParameters,
  decodeWfdbSignalFile,
  type ReadWfdbRecordParameters,
  readWfdbRecord,
  type WfdbRecord,
} from './wfdbSignals.js';
