export { type Affinities, groupAffinities } from './affinity.js';
export { type ClusterParams, clusterEdges, type EdgeGroups } from './cluster.js';
export { type ColorSpace, colorPlanes } from './colorspace.js';
export { convTri } from './convtri.js';
export { cppSort, cppSortDescending, cppSortDescendingOrder } from './cppsort.js';
export { DEFAULT_DETECT_OPTIONS, type DetectEdgesOptions, detectEdges } from './detect.js';
export {
  edgeBoxes,
  edgeBoxesCore,
  edgeBoxesPdollar,
  fromPdollarBox,
  type PdollarBox,
  type ScoredBox,
  toPdollarBox,
} from './edgeboxes.js';
export { assertEdgeMap, type EdgeMap } from './edgemap.js';
export { type EdgeNmsOptions, edgeNms } from './edgenms.js';
export { gradient2, gradientMag } from './gradient.js';
export { type GridParams, type GridShape, gridShapes, type StepSizes, stepSizes, windowCount } from './grid.js';
export { type BoxIndex, buildBoxIndex } from './integral.js';
export { boxesNms, rawOverlap } from './nms.js';
export { DEFAULT_PARAMS, type EdgeBoxesOptions, type EdgeBoxesParams, resolveParams } from './options.js';
export { edgeOrientation } from './orientation.js';
export { PRESETS, type PresetName } from './presets.js';
export { type ProposeOptions, proposeBoxes } from './propose.js';
export { type RawBox, refineBox } from './refine.js';
export { BoxScorer, type ScoringTables, scoringTables } from './score.js';
export { scoreKernelAvailable } from './score-kernel.js';
