/** The @deconvnet/model builders the pipeline calls, in one place. */
import { DECONVNET_PRESETS, deconvNet, fcn8s } from '@deconvnet/model';
import type { NetKind, SegNet } from './net.js';

export { MEAN_BGR } from './preprocess.js';

export type PresetName = 'tiny' | 'small' | 'paper';

export interface NetBuildOptions {
  preset: PresetName;
  numClasses: number;
  /** Square input side (multiple of 32); default: the DeconvNet preset's. */
  inputSize?: number;
  /** Seed of the weight initialisers. */
  seed?: number;
}

/**
 * DeconvNet or FCN-8s from a preset. FCN-8s accepts any input size; it is built for the same square input as the
 * DeconvNet so that whole images are fed the same way (padded to a square and warped).
 */
export function buildNet(kind: NetKind, o: NetBuildOptions): SegNet {
  const inputSize = o.inputSize ?? DECONVNET_PRESETS[o.preset].inputSize;
  const seed = o.seed !== undefined ? { seed: o.seed } : {};
  if (kind === 'deconvnet') {
    const model = deconvNet({ preset: o.preset, numClasses: o.numClasses, inputSize, ...seed });
    return { kind, model, inputSize, numClasses: o.numClasses };
  }
  const model = fcn8s({ preset: o.preset, numClasses: o.numClasses, inputShape: [inputSize, inputSize], ...seed });
  return { kind, model, inputSize, numClasses: o.numClasses };
}
