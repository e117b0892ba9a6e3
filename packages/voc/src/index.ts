export {
  formatVocAnnotation,
  parseVocAnnotation,
  type VocAnnotation,
  type VocBndBox,
  type VocObject,
} from './annotation.js';
export {
  NUM_VOC_CLASSES,
  type Palette,
  requireVocClassIndex,
  VOC_CLASSES,
  VOC_PALETTE,
  VOID,
  type VocClassName,
  vocClassIndex,
} from './classes.js';
export { ConfusionMatrix, formatMetricsTable, metricsToJSON, type SegmentationMetrics } from './confusion.js';
export {
  type BadSample,
  createAugmentedDataset,
  createDataset,
  createSbdDataset,
  createVocDataset,
  type DatasetEntry,
  type DatasetOptions,
  SegmentationDataset,
  type TransformContext,
} from './dataset.js';
export { assertSafeId, parseSplitFile } from './ids.js';
export { extractInstances, type Instance, instanceClassesFromLabels } from './instances.js';
export {
  type MatCell,
  type MatChar,
  type MatFile,
  type MatNumeric,
  type MatNumericClass,
  type MatSparse,
  type MatStruct,
  type MatValue,
  matGet,
  matLabelMap,
  matNumbers,
  matSparseToMask,
  readMat,
} from './mat.js';
export { createRng, hashSeed, shuffleInPlace } from './random.js';
export { type ResultsLayoutOptions, vocResultsDir, writeVocPrediction } from './results.js';
export type { LoadOptions, SampleSource, SegmentationSample } from './sample.js';
export { loadSbdSample, readSbdClassLabel, readSbdInstances, readSbdSplit, resolveSbdRoot, sbdPaths } from './sbd.js';
export { augmentedTrainEntries, type SplitLists } from './splits.js';
export { CLASS_ART, type ClassArt, DISTRACTOR_CODEPOINTS } from './synth/catalog.js';
export {
  generateSyntheticScene,
  generateSyntheticVoc,
  type SyntheticVocOptions,
  type SyntheticVocResult,
} from './synth/generate.js';
export type { Scene, SceneObject, SceneOptions } from './synth/scene.js';
export { voidBand } from './synth/void-band.js';
export { loadVocSample, readVocAnnotation, readVocSplit, resolveVocRoot, vocPaths } from './voc2012.js';
export { parseXml, type XmlElement } from './xml.js';
