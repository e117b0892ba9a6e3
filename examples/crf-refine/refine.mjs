// Refine a probability map with the dense CRF alone, using DeconvNet's settings (Gaussian σ 3 w 3 + bilateral
// σxy 20 σrgb 3 w 5, no normalisation, 10 iterations). Works for any source of probabilities: another network,
// a heuristic, a user's scribbles.
//   node refine.mjs IMAGE PROBS.f32 CLASSES OUT.png    (PROBS.f32: float32 H×W×CLASSES, pixel-major)
import { readFileSync } from 'node:fs';
import { DenseCRF2D } from '@deconvnet/dense-crf';
import { readImage, writeLabelPng } from '@deconvnet/image/node';

/** Returns MAP labels (Uint8Array) and marginals (Float32Array H×W×L). */
export function refine(image, probabilities, numLabels, { iterations = 10, spatialScale = 1 } = {}) {
  const crf = new DenseCRF2D(image.width, image.height, numLabels);
  crf.setUnaryFromProbabilities(probabilities, { clip: 1e-8 });
  crf.addPairwiseGaussian({ sx: 3 * spatialScale, sy: 3 * spatialScale, compat: 3, normalization: 'none' });
  crf.addPairwiseBilateral({
    sx: 20 * spatialScale,
    sy: 20 * spatialScale,
    sr: 3,
    sg: 3,
    sb: 3,
    image: image.data,
    compat: 5,
    normalization: 'none',
  });
  const marginals = crf.inference(iterations);
  const labels = new Uint8Array(image.width * image.height);
  for (let p = 0; p < labels.length; p++) {
    let best = 0;
    for (let c = 1; c < numLabels; c++) if (marginals[p * numLabels + c] > marginals[p * numLabels + best]) best = c;
    labels[p] = best;
  }
  return { labels, marginals };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [imagePath, probsPath, classes, out] = process.argv.slice(2);
  if (!imagePath || !probsPath || !classes || !out) {
    console.error('usage: node refine.mjs IMAGE PROBS.f32 CLASSES OUT.png');
    process.exit(2);
  }
  const image = await readImage(imagePath);
  const buf = readFileSync(probsPath);
  const probs = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
  const { labels } = refine(image, probs, Number(classes));
  await writeLabelPng(out, { width: image.width, height: image.height, data: labels });
  console.log(`refined ${image.width}×${image.height} → ${out}`);
}
