import * as tf from '@tensorflow/tfjs-core';
import { model as functionalModel, type LayersModel, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { ModelError } from '../errors.js';

export interface ReestimateOptions {
  /** Multiply the averaged variance by m/(m−1), m = N·H·W per batch, as the original script did (default true). */
  unbiased?: boolean;
}

export interface ReestimateResult {
  /** Names of the BN layers whose moving statistics were replaced. */
  layers: string[];
  batches: number;
}

/**
 * Re-estimates the inference statistics of every BatchNormalization layer, as DeconvNet's
 * BN_make_INFERENCE_script (deconvnet.md §2.1): forward each batch with batch statistics in every BN layer (training
 * mode), average the per-batch means and variances of each BN input, correct the variance by m/(m−1), and store them
 * as the moving mean and variance. `batches` are preprocessed input tensors (not disposed here).
 */
export async function reestimateBatchNorm(
  model: LayersModel,
  batches: Iterable<tf.Tensor4D> | AsyncIterable<tf.Tensor4D>,
  options: ReestimateOptions = {},
): Promise<ReestimateResult> {
  const bns = model.layers.filter((l) => l.getClassName() === 'BatchNormalization');
  if (bns.length === 0) return { layers: [], batches: 0 };
  const probe = functionalModel({ inputs: model.inputs, outputs: bns.map((l) => l.input as SymbolicTensor) });
  const sums = bns.map((l) => {
    const c = (l.input as SymbolicTensor).shape.at(-1) as number;
    return { mean: new Float64Array(c), variance: new Float64Array(c) };
  });
  let count = 0;
  for await (const x of batches as AsyncIterable<tf.Tensor4D>) {
    const stats = tf.tidy(() => {
      const outs = probe.apply(x, { training: true }) as tf.Tensor | tf.Tensor[];
      return (Array.isArray(outs) ? outs : [outs]).map((t) => {
        const axes = t.shape.slice(0, -1).map((_, i) => i);
        const { mean, variance } = tf.moments(t, axes);
        const m = t.shape.slice(0, -1).reduce((a, b) => a * b, 1);
        const k = options.unbiased === false || m < 2 ? 1 : m / (m - 1);
        return [mean, tf.mul(variance, k)];
      });
    });
    for (let i = 0; i < bns.length; i++) {
      const [mean, variance] = stats[i]!;
      const mv = await mean!.data();
      const vv = await variance!.data();
      for (let c = 0; c < mv.length; c++) {
        sums[i]!.mean[c]! += mv[c]!;
        sums[i]!.variance[c]! += vv[c]!;
      }
    }
    tf.dispose(stats.flat());
    count++;
  }
  if (count === 0) throw new ModelError('reestimateBatchNorm', 'no batches given');
  bns.forEach((layer, i) => {
    const find = (suffix: string) => {
      const w = layer.weights.find((v) => v.originalName.endsWith(suffix));
      if (!w) throw new ModelError(layer.name, `has no ${suffix} weight`);
      return w;
    };
    const mean = tf.tensor1d(Float32Array.from(sums[i]!.mean, (v) => v / count));
    const variance = tf.tensor1d(Float32Array.from(sums[i]!.variance, (v) => v / count));
    find('moving_mean').write(mean);
    find('moving_variance').write(variance);
    tf.dispose([mean, variance]); // write() shares the data; the variables keep it alive
  });
  return { layers: bns.map((l) => l.name), batches: count };
}
