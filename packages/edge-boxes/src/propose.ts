import type { RgbImage } from '@deconvnet/image';
import { type DetectEdgesOptions, detectEdges } from './detect.js';
import { edgeBoxes, type ScoredBox } from './edgeboxes.js';
import type { EdgeBoxesOptions } from './options.js';

export interface ProposeOptions extends EdgeBoxesOptions {
  /** Options of the gradient edge detector. */
  edges?: DetectEdgesOptions;
}

/** detectEdges + edgeBoxes: proposals for an RGB image, @deconvnet/image Boxes sorted by score. */
export function proposeBoxes(image: RgbImage, opts: ProposeOptions = {}): ScoredBox[] {
  const { edges: edgeOpts, ...boxOpts } = opts;
  return edgeBoxes(detectEdges(image, edgeOpts), boxOpts);
}
