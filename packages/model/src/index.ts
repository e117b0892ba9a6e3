export {
  type BackendCandidate,
  type BackendSelection,
  DEFAULT_BACKEND_ORDER,
  type SelectBackendOptions,
  selectBackend,
} from './backend.js';
export { bilinearFilter, bilinearKernel } from './builders/bilinear.js';
export {
  type DeconvNetOptions,
  decoderWidths,
  deconvNet,
  deconvNetConfig,
  deconvNetParamCount,
} from './builders/deconvnet.js';
export { type Fcn8sCropOffsets, type Fcn8sOptions, fcn8s, fcn8sConfig, fcn8sCropOffsets } from './builders/fcn8s.js';
export {
  type BlockWidths,
  DECONVNET_PRESETS,
  type DeconvNetConfig,
  FCN8S_PRESETS,
  type Fcn8sConfig,
  type PresetName,
  VGG16_BLOCK_DEPTHS,
} from './builders/presets.js';
export { ModelError } from './errors.js';
export { setBatchNormAffine } from './io/batch-norm-affine.js';
export { fileHandler, readModelArtifacts, writeModelArtifacts } from './io/file-handler.js';
export { importKerasVgg16, type KerasVgg16ImportOptions, type KerasVgg16ImportResult } from './io/keras-vgg16.js';
export { loadModel, loadModelWithMetadata, saveModel } from './io/save-load.js';
export { CropToReference, type CropToReferenceArgs } from './layers/crop-to-reference.js';
export { MaxPoolWithSwitches, maxPoolWithSwitches } from './layers/max-pool-with-switches.js';
export { registerLayers } from './layers/register.js';
export { computeSwitches, switchesToPlaneIndex } from './layers/switches.js';
export { Unpooling, type UnpoolingArgs, unpool } from './layers/unpooling.js';
export { type SegmentationLossOptions, segmentationLoss } from './loss.js';
export { CAFFE_MEAN_BGR, labelsToTensor, type PreprocessOptions, preprocess, toScoreMaps } from './preprocess.js';
export { type ReestimateOptions, type ReestimateResult, reestimateBatchNorm } from './training/batch-norm-stats.js';
export {
  createTrainer,
  type StepResult,
  stepSchedule,
  type Trainer,
  type TrainerOptions,
  type TrainerState,
  type TrainerStateArray,
} from './training/trainer.js';
