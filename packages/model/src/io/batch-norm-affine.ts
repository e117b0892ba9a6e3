import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { ModelError } from '../errors.js';

/**
 * Loads a per-channel affine y = scale·x + shift into a BN layer's inference path: the form in which the released
 * `DeconvNet_trainval_inference.caffemodel` stores its BN layers (scale' = γ/√(Var+ε), shift' = β − γE/√(Var+ε),
 * deconvnet.md §2.1). Sets γ = scale, β = shift, moving mean 0 and moving variance 1 − ε, so that γ/√(var + ε) = scale.
 */
export function setBatchNormAffine(
  model: LayersModel,
  layerName: string,
  scale: ArrayLike<number>,
  shift: ArrayLike<number>,
): void {
  let layer: ReturnType<LayersModel['getLayer']>;
  try {
    layer = model.getLayer(layerName);
  } catch {
    throw new ModelError(model.name, `has no layer ${layerName}`);
  }
  if (layer.getClassName() !== 'BatchNormalization')
    throw new ModelError(layerName, `is a ${layer.getClassName()}, not BatchNormalization`);
  const weights = layer.getWeights();
  if (weights.length !== 4) throw new ModelError(layerName, 'needs scale, center, moving mean and moving variance');
  const c = weights[0]!.shape[0]!;
  if (scale.length !== c || shift.length !== c) {
    throw new ModelError(layerName, `has ${c} channels, got ${scale.length} scales and ${shift.length} shifts`);
  }
  const eps = (layer.getConfig() as { epsilon: number }).epsilon;
  const values = [
    tf.tensor1d(Float32Array.from(scale)),
    tf.tensor1d(Float32Array.from(shift)),
    tf.zeros([c]),
    tf.fill([c], 1 - eps),
  ];
  layer.setWeights(values);
  tf.dispose(values);
}
