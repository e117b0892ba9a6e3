import type { DenseCRF2D, RgbInput } from './densecrf.js';
import type { Normalization } from './normalization.js';

export interface CrfPreset {
  readonly description: string;
  /** Where the values come from (dense-crf.md §7). */
  readonly source: string;
  readonly iterations: number;
  readonly normalization: Normalization;
  /** Smoothness term: θγ (px) and Potts weight w2. */
  readonly gaussian: { readonly sxy: number; readonly compat: number };
  /** Appearance term: θα (px), θβ (0..255) and Potts weight w1. */
  readonly bilateral: { readonly sxy: number; readonly srgb: number; readonly compat: number };
}

/** Published parameter sets (dense-crf.md §7). Weights are only comparable within one normalisation mode. */
export const PRESETS = {
  /** densecrf v2.2 example and pydensecrf README. */
  reference: {
    description: 'densecrf v2.2 example / pydensecrf defaults',
    source: 'tvercaut/densecrf examples/dense_inference.cpp',
    iterations: 5,
    normalization: 'symmetric',
    gaussian: { sxy: 3, compat: 3 },
    bilateral: { sxy: 80, srgb: 13, compat: 10 },
  },
  /** DeepLab v2 `run_densecrf.sh` (2011 code = NORMALIZE_AFTER). */
  deeplab: {
    description: 'DeepLab v2 run_densecrf.sh defaults (2011 code, normalise after)',
    source: 'deeplab-public-ver2 exper/run_densecrf.sh',
    iterations: 10,
    normalization: 'after',
    gaussian: { sxy: 3, compat: 3 },
    bilateral: { sxy: 49, srgb: 5, compat: 4 },
  },
  /** DeepLab v1 (vgg128_noup) cross-validated values. */
  deeplabV1: {
    description: 'DeepLab v1 (vgg128_noup) cross-validated CRF',
    source: 'deeplab-public-ver2 matlab/my_script/SetupEnv.m',
    iterations: 10,
    normalization: 'after',
    gaussian: { sxy: 3, compat: 3 },
    bilateral: { sxy: 50, srgb: 10, compat: 5 },
  },
  /** DeepLab refine program defaults (`dense_inference.cpp` of DeepLab's densecrf folder). */
  deeplabRefine: {
    description: 'DeepLab refine_pascal program defaults',
    source: 'DeepLab densecrf/refine_pascal/dense_inference.cpp',
    iterations: 10,
    normalization: 'after',
    gaussian: { sxy: 3, compat: 3 },
    bilateral: { sxy: 60, srgb: 20, compat: 10 },
  },
  /** DeepLab v2 ResNet-101 on VOC. */
  deeplabV2Resnet: {
    description: 'DeepLab v2 ResNet-101 VOC CRF',
    source: 'kazuto1011/deeplab-pytorch configs/voc12.yaml',
    iterations: 10,
    normalization: 'after',
    gaussian: { sxy: 1, compat: 3 },
    bilateral: { sxy: 67, srgb: 3, compat: 4 },
  },
  /** DeconvNet (`generate_EDeconvNet_CRF_results.m` through meanfield-matlab: raw lattice sums). */
  deconvnet: {
    description: 'DeconvNet EDeconvNet+CRF (meanfield-matlab, no normalisation)',
    source: 'HyeonwooNoh/DeconvNet inference/generate_EDeconvNet_CRF_results.m',
    iterations: 10,
    normalization: 'none',
    gaussian: { sxy: 3, compat: 3 },
    bilateral: { sxy: 20, srgb: 3, compat: 5 },
  },
} as const satisfies Record<string, CrfPreset>;

export type PresetName = keyof typeof PRESETS;

/** Adds the preset's Gaussian then bilateral term (the reference order) and returns its iteration count. */
export function applyPreset(crf: DenseCRF2D, preset: PresetName | CrfPreset, image: RgbInput): number {
  const p: CrfPreset = typeof preset === 'string' ? PRESETS[preset] : preset;
  if (p === undefined) throw new Error(`dense-crf: preset: unknown preset ${JSON.stringify(preset)}`);
  crf.addPairwiseGaussian({ sxy: p.gaussian.sxy, compat: p.gaussian.compat, normalization: p.normalization });
  crf.addPairwiseBilateral({
    sxy: p.bilateral.sxy,
    srgb: p.bilateral.srgb,
    compat: p.bilateral.compat,
    normalization: p.normalization,
    image,
  });
  return p.iterations;
}
