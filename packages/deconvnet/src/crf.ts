/**
 * The dense-CRF post-processing of DeconvNet (deconvnet.md §5.5): unary = −log p from the (ensembled) class
 * probabilities, Potts Gaussian σ 3 weight 3 + bilateral σxy 20, σrgb 3, weight 5, no normalisation, 10 mean-field
 * iterations, MAP labels.
 */
import { DenseCRF2D } from '@deconvnet/dense-crf';
import type { LabelMap, RgbImage, ScoreMap } from '@deconvnet/image';

export interface CrfConfig {
  iterations?: number;
  gaussian?: { sx: number; sy: number; compat: number };
  bilateral?: { sx: number; sy: number; sr: number; sg: number; sb: number; compat: number };
  normalization?: 'symmetric' | 'after' | 'before' | 'none';
  /**
   * Multiply the spatial σ's by this (e.g. image side / 500 to keep VOC-scale settings meaningful on small images).
   * Default 1.
   */
  spatialScale?: number;
}

export const DECONVNET_CRF: Required<Omit<CrfConfig, 'spatialScale'>> = {
  iterations: 10,
  gaussian: { sx: 3, sy: 3, compat: 3 },
  bilateral: { sx: 20, sy: 20, sr: 3, sg: 3, sb: 3, compat: 5 },
  normalization: 'none',
};

export function refineWithCrf(
  image: RgbImage,
  probabilities: ScoreMap,
  config: CrfConfig = {},
): { labels: LabelMap; marginals: ScoreMap } {
  const c = { ...DECONVNET_CRF, ...config };
  const s = config.spatialScale ?? 1;
  const { width, height, channels } = probabilities;
  const crf = new DenseCRF2D(width, height, channels);
  crf.setUnaryFromProbabilities(probabilities.data, { clip: 1e-8 });
  crf.addPairwiseGaussian({
    sx: c.gaussian.sx * s,
    sy: c.gaussian.sy * s,
    compat: c.gaussian.compat,
    normalization: c.normalization,
  });
  crf.addPairwiseBilateral({
    sx: c.bilateral.sx * s,
    sy: c.bilateral.sy * s,
    sr: c.bilateral.sr,
    sg: c.bilateral.sg,
    sb: c.bilateral.sb,
    image: image.data,
    compat: c.bilateral.compat,
    normalization: c.normalization,
  });
  let q: Float32Array;
  try {
    q = crf.inference(c.iterations); // a fresh array: it outlives dispose()
  } finally {
    crf.dispose(); // hands the kernel memories to the pool for the next image
  }
  const labels = argmaxLabels({ width, height, channels, data: q });
  return { labels, marginals: { width, height, channels, data: q } };
}

/** Per-pixel argmax (first maximum wins). */
export function argmaxLabels(map: ScoreMap): LabelMap {
  const { width, height, channels: C, data } = map;
  const out = new Uint8Array(width * height);
  for (let p = 0; p < out.length; p++) {
    let best = 0;
    let bv = data[p * C]!;
    for (let c = 1; c < C; c++) {
      const v = data[p * C + c]!;
      if (v > bv) {
        bv = v;
        best = c;
      }
    }
    out[p] = best;
  }
  return { width, height, data: out };
}
