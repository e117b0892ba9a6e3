export {
  type AggregateResult,
  type AggregationInput,
  type AggregationMode,
  type Aggregator,
  type AggregatorConfig,
  createAggregator,
  DEFAULT_BAND_BYTES,
  type ProbabilityOptions,
  type ScoreMapBatch,
} from './aggregator.js';
export { type EnsembleMethod, type EnsembleOptions, ensembleWithFcn } from './ensemble.js';
export { applyFallback, type Fallback } from './fallback.js';
export {
  type Combine,
  createPasteWorkspace,
  FLOAT32_MAX,
  type PasteOptions,
  type PasteWorkspace,
  pasteBack,
  pasteInto,
} from './pasteback.js';
export { type PlannedWindow, type PlanOptions, planWindows } from './plan.js';
export { ORIGINAL_MIN_SIDE, type SelectionOptions, selectProposalIndices, selectProposals } from './selection.js';
export { type SoftmaxOptions, softmax, softmaxAt } from './softmax.js';
export { softmaxKernelAvailable } from './softmax-kernel.js';
export {
  type CropWindowOptions,
  cropMapping,
  cropToImage,
  cropWindow,
  imageToCrop,
  type PixelRegion,
  pasteMapping,
  proposalWindow,
  type WindowOptions,
  windowRegion,
} from './window.js';
