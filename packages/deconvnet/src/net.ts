/**
 * A network as the pipeline sees it: a tfjs-layers model taking [N, S, S, 3] preprocessed crops and returning
 * [N, S, S, classes] raw scores, plus the facts needed to feed it. DeconvNet and FCN-8s both fit.
 */
import type { RgbImage, ScoreMap } from '@deconvnet/image';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { preprocessImages } from './preprocess.js';

export type NetKind = 'deconvnet' | 'fcn';

export interface SegNet {
  kind: NetKind;
  model: LayersModel;
  /** Square input side. */
  inputSize: number;
  numClasses: number;
}

/** Runs the net on equally sized crops (inference mode) in batches of `batchSize`; returns raw score maps. */
export function predictScoreMaps(net: SegNet, crops: readonly RgbImage[], batchSize = 8): ScoreMap[] {
  const out: ScoreMap[] = [];
  for (let i = 0; i < crops.length; i += batchSize) {
    const batch = crops.slice(i, i + batchSize);
    const data = tf.tidy(() => {
      const x = preprocessImages(batch);
      const y = net.model.predict(x) as tf.Tensor;
      return y.dataSync() as Float32Array;
    });
    const [h, w] = [batch[0]!.height, batch[0]!.width];
    const per = h * w * net.numClasses;
    if (data.length !== per * batch.length) {
      throw new Error(
        `${net.kind}: model output has ${data.length} values, expected ${batch.length}×${h}×${w}×${net.numClasses}`,
      );
    }
    for (let k = 0; k < batch.length; k++) {
      out.push({ width: w, height: h, channels: net.numClasses, data: data.slice(k * per, (k + 1) * per) });
    }
  }
  return out;
}
