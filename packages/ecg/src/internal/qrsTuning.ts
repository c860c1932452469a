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
};
