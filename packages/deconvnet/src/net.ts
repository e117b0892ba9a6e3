/**
 * A network as the pipeline sees it: a tfjs-layers model taking [N, S, S, 3] preprocessed crops and returning
 * [N, S, S, classes] raw scores, plus the facts needed to feed it. DeconvNet and FCN-8s both fit.
 */
import type { ScoreMapBatch } from '@deconvnet/aggregate';
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
/**
 * Raw class scores of one batch of equally sized crops as one buffer (crop-major, HWC each): handed to the
 * aggregator's `addBatch` as is, so no per-crop copy is made.
 */
export function predictScoreBatch(net: SegNet, crops: readonly RgbImage[]): ScoreMapBatch {
  const data = tf.tidy(() => {
    const x = preprocessImages(crops);
    const y = net.model.predict(x) as tf.Tensor;
    return y.dataSync() as Float32Array;
  });
  const [h, w] = [crops[0]!.height, crops[0]!.width];
  if (data.length !== h * w * net.numClasses * crops.length) {
    throw new Error(
      `${net.kind}: model output has ${data.length} values, expected ${crops.length}×${h}×${w}×${net.numClasses}`,
    );
  }
  return { count: crops.length, width: w, height: h, channels: net.numClasses, data };
}

/** Raw class scores of each crop, run through the model `batchSize` crops at a time. */
export function predictScoreMaps(net: SegNet, crops: readonly RgbImage[], batchSize = 8): ScoreMap[] {
  const out: ScoreMap[] = [];
  for (let i = 0; i < crops.length; i += batchSize) {
    const b = predictScoreBatch(net, crops.slice(i, i + batchSize));
    const per = b.width * b.height * b.channels;
    for (let k = 0; k < b.count; k++) {
      out.push({ width: b.width, height: b.height, channels: b.channels, data: b.data.slice(k * per, (k + 1) * per) });
    }
  }
  return out;
}
