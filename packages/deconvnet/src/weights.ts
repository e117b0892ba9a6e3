/** Reading and writing every weight of a layers model (trainable and BN moving statistics) by name. */
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { NamedArray } from './tensor-file.js';

export function getModelWeights(model: LayersModel): NamedArray[] {
  return model.weights.map((w) => {
    const t = w.read();
    return { name: w.originalName, shape: t.shape.slice(), data: (t.dataSync() as Float32Array).slice() };
  });
}

/** Sets every weight from `arrays` (matched by name); a missing name or a shape mismatch is an error naming `source`. */
export function setModelWeights(model: LayersModel, arrays: readonly NamedArray[], source = 'weights'): void {
  const byName = new Map(arrays.map((a) => [a.name, a]));
  for (const w of model.weights) {
    const a = byName.get(w.originalName);
    if (!a) throw new Error(`${source}: no values for weight ${w.originalName}`);
    const shape = w.shape as number[];
    if (a.shape.length !== shape.length || a.shape.some((d, i) => d !== shape[i])) {
      throw new Error(
        `${source}: weight ${w.originalName} has shape ${JSON.stringify(a.shape)}, the model expects ${JSON.stringify(shape)}`,
      );
    }
    tf.tidy(() => {
      w.write(tf.tensor(a.data, shape, 'float32'));
    });
  }
}
