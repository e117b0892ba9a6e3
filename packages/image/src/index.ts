export {
  boxArea,
  clampBox,
  enlargeBox,
  flipBoxHorizontal,
  intersection,
  iou,
  isValidBox,
  makeSquare,
  roundBoxOut,
} from './box.js';
export {
  cropAndWarpLabel,
  cropAndWarpRgb,
  cropAndWarpScoreMap,
  cropLabel,
  cropRgb,
  cropScoreMap,
  flipHorizontal,
  type WarpOptions,
} from './crop.js';
export { type DecodedLabelPng, decodeLabelPng, encodeLabelPng } from './label-png.js';
export { type Palette, VOC_PALETTE, vocPalette } from './palette.js';
export { decodePpm, encodePpm } from './ppm.js';
export { colorizeLabels, drawBoxes, type OverlayOptions, overlayLabels } from './render.js';
export {
  type Combine,
  FLOAT32_MAX,
  type Interpolation,
  type Mapping,
  type ResampleArgs,
  type ResampleBatchOptions,
  resample,
  resampleBatch,
} from './resample.js';
export { resizeLabel, resizeRgb, resizeScoreMap } from './resize.js';
export { createScoreCanvas } from './score-canvas.js';
export { simdAvailable } from './simd-kernel.js';
export {
  assertLabelMap,
  assertRgbImage,
  assertSameSize,
  assertScoreMap,
  type Box,
  createLabelMap,
  createRgbImage,
  createScoreMap,
  ImageError,
  type LabelMap,
  type RgbImage,
  type ScoreMap,
  VOID,
} from './types.js';
export { compileWasm, ensureWasmMemory, instantiateWasm, type WasmMemory, type WasmModule } from './wasm-module.js';
