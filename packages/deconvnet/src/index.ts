/**
 * deconvnet: the DeconvNet system end to end (Noh, Hong, Han, ICCV 2015) — two-stage training, proposal-based
 * inference with FCN-8s ensembling and dense CRF, evaluation of every variant, model folders and HTML reports.
 * The `deconvnet` command (dist/cli.js) drives all of it.
 */
export { type AugmentOptions, makeSample, resizeSide, stage1Relabel, type TrainingSample } from './augment.js';
export { type BackendInfo, initBackend } from './backend.js';
export { argmaxLabels, type CrfConfig, DECONVNET_CRF, refineWithCrf } from './crf.js';
export { resolveVocRoot } from './data-path.js';
export { DEMO_SETTINGS, type DemoOptions, type DemoSettings, runDemo } from './demo.js';
export { oneLine, UsageError } from './errors.js';
export {
  type EvalInstance,
  type EvalSample,
  type EvaluateOptions,
  evaluateVariants,
  evaluationToJson,
  formatEvaluation,
  instanceScores,
  sizeBucket,
  toVariantScores,
} from './evaluate.js';
export { initFcnFromDeconvNet } from './fcn-init.js';
export {
  DESCRIPTOR,
  type LoadedModel,
  loadModelDir,
  type ModelDescriptor,
  type NetDescriptor,
  netDescriptor,
  newDescriptor,
  readDescriptor,
  saveModelDir,
} from './model-dir.js';
export { buildNet, MEAN_BGR, type NetBuildOptions, type PresetName } from './model-glue.js';
export { type NetKind, predictScoreBatch, predictScoreMaps, type SegNet } from './net.js';
export { type ProgressEvent, type ProgressListener, silent } from './progress.js';
export { createProposalSource, type ProposalCacheOptions } from './proposal-cache.js';
export { type ReportData, type ReportSample, renderReport, writeReport } from './report.js';
export {
  type EvaluationResult,
  SIZE_BUCKETS,
  type SizeBucket,
  type SizeScores,
  VARIANTS,
  type VariantName,
  type VariantScores,
} from './results.js';
export { Rng, type RngState } from './rng.js';
export {
  createSegmenter,
  type ProposalConfig,
  type Segmenter,
  type SegmenterConfig,
  type SegmentResult,
  type VariantOutputs,
  wholeImageWindow,
} from './segmenter.js';
export {
  decodeTensorFile,
  encodeTensorFile,
  type NamedArray,
  readTensorFile,
  TensorFileError,
  writeTensorFile,
} from './tensor-file.js';
export {
  type LoadedSample,
  loadSplit,
  type StageConfig,
  type TrainPipelineOptions,
  type TrainPipelineResult,
  trainPipeline,
  validator,
} from './train-pipeline.js';
export {
  CHECKPOINT_VERSION,
  learningRateAt,
  ResumeError,
  type SgdConfig,
  type TrainHistory,
  type TrainOptions,
  train,
} from './trainer.js';
export {
  createWindowStream,
  memoryStream,
  type ProposalSource,
  type SampleSource,
  STREAM_START,
  type StreamCursor,
  type StreamItem,
  type TrainingStream,
  type WindowKind,
  type WindowStream,
  type WindowStreamOptions,
} from './training-stream.js';
export { getModelWeights, setModelWeights } from './weights.js';
export {
  type BalanceOptions,
  balanceByRepetition,
  type GtInstance,
  type Stage1Options,
  type Stage2Options,
  squareWindow,
  stage1Windows,
  stage2Windows,
  type TrainingWindow,
} from './windows.js';
