/**
 * The population the accuracy benchmark and the tests simulate: ICD-10 chapters with adult primary-care-like
 * prevalences (share of patients with at least one code in the chapter), 1.83 conditions per patient on average.
 */
export const BENCHMARK_CATEGORIES: readonly (readonly [string, number])[] = [
  ['IX circulatory', 0.3],
  ['IV endocrine, metabolic', 0.25],
  ['XIII musculoskeletal', 0.2],
  ['V mental, behavioural', 0.17],
  ['X respiratory', 0.15],
  ['XI digestive', 0.12],
  ['XIV genitourinary', 0.1],
  ['XII skin', 0.09],
  ['VI nervous system', 0.08],
  ['VII eye', 0.07],
  ['III blood, immune', 0.06],
  ['II neoplasms', 0.05],
  ['I infectious', 0.04],
  ['VIII ear', 0.035],
  ['XIX injury', 0.03],
  ['XVIII symptoms, unclassified', 0.025],
  ['XVII congenital', 0.02],
  ['XV pregnancy', 0.015],
  ['XXI health-service contact', 0.012],
  ['XVI perinatal', 0.01],
];

/** The prevalences of {@link BENCHMARK_CATEGORIES}, in order. */
export const BENCHMARK_PREVALENCES: Float64Array = Float64Array.from(BENCHMARK_CATEGORIES, ([, p]) => p);
