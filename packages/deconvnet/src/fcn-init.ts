/**
 * FCN-8s initialised from a trained DeconvNet encoder. In the paper both networks start from the same ImageNet VGG16
 * (conv1_1 … conv5_3); without pretrained weights (CPU demo, no network access) the trained DeconvNet encoder plays
 * that role. DeconvNet has BN after every conv and FCN-8s has none, so each conv is folded with its BN in inference
 * mode: W' = W·γ/√(σ²+ε), b' = (b − μ)·γ/√(σ²+ε) + β — FCN's conv+ReLU then computes exactly DeconvNet's
 * conv+BN+ReLU. fc6 (different kernel size), fc7 and the score/upsampling layers keep their own initialisation.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/** Copies (folded) every `convX_Y` of `deconvnet` into the layer of the same name in `fcn`; returns the names copied. */
export function initFcnFromDeconvNet(fcn: LayersModel, deconvnet: LayersModel, epsilon = 1e-9): string[] {
  const byName = new Map(deconvnet.weights.map((w) => [w.originalName, w]));
  const copied: string[] = [];
  for (const layer of fcn.layers) {
    if (!/^conv\d_\d$/.test(layer.name)) continue;
    const k = byName.get(`${layer.name}/kernel`);
    const b = byName.get(`${layer.name}/bias`);
    const bn = (p: string) => byName.get(`${layer.name}_bn/${p}`);
    const [gamma, beta, mean, variance] = [bn('gamma'), bn('beta'), bn('moving_mean'), bn('moving_variance')];
    if (!k || !b || !gamma || !beta || !mean || !variance) continue;
    const target = layer.getWeights();
    if (target.length !== 2 || target[0]!.shape.join() !== k.shape.join()) continue;
    const folded = tf.tidy(() => {
      const s = tf.div(gamma.read(), tf.sqrt(tf.add(variance.read(), epsilon)));
      return [tf.mul(k.read(), s), tf.add(tf.mul(tf.sub(b.read(), mean.read()), s), beta.read())];
    });
    layer.setWeights(folded);
    tf.dispose(folded);
    copied.push(layer.name);
  }
  return copied;
}
