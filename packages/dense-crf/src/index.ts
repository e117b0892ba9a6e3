export {
  argmaxLabels,
  type BilateralOptions,
  DenseCRF,
  DenseCRF2D,
  type GaussianOptions,
  type PairwiseEnergyOptions,
  type RgbInput,
} from './densecrf.js';
export { DenseCrfError } from './errors.js';
export { bilateralFeatures, gaussianFeatures } from './features.js';
export { type Compatibility, type ResolvedCompatibility, resolveCompatibility } from './labelcompatibility.js';
export { NORMALIZATIONS, type Normalization, normalizationFactors } from './normalization.js';
export { PairwiseTerm } from './pairwise.js';
export { type LatticeOptions, PermutohedralLattice } from './permutohedral.js';
export { applyPreset, type CrfPreset, PRESETS, type PresetName } from './presets.js';
export { eigenExpf, expAndNormalize } from './softmax.js';
export {
  type ColorAnnotation,
  type LabelUnaryOptions,
  labelsFromColorAnnotation,
  type ProbabilityOptions,
  type UnaryLayout,
  unaryFromLabels,
  unaryFromProbabilities,
} from './unary.js';
export { simdAvailable } from './wasm/meanfield.js';
