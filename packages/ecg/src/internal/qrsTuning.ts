/**
 * Tuning of the multi-lead vote of the QRS detector, chosen on half of the MIT-BIH DS1 records (see
 * `qrsDetector.bench.ts`, which repeats the choice and reports the other half). Mutable so that the benchmark can
 * search it; not part of the package API.
 */
export const QRS_TUNING = {
  /** Weight of the newest peak in a lead's running hit and false-alarm rates. */
  rate: 0.02,
  /** Floor of a lead's quality (hit rate minus false-alarm rate), so a lead that recovers is heard again. */
  floor: 0.05,
  /** Exponent of a lead's quality (hit rate minus false-alarm rate) in its vote weight. */
  qualityPower: 3,
  /** Largest threshold ratio one lead brings to the vote (an artefact in one lead cannot outvote a clean one). */
  ratioCap: 1.5,
  /**
   * A peak one lead takes for a beat is a beat when every other lead sees it above this fraction of its own primary
   * threshold and the vote exceeds `supportVote` (not 1).
   */
  support: 0.3,
  /** The vote a peak needs to be a beat when one lead takes it for a beat and the others support it. */
  supportVote: 0.7,
};
