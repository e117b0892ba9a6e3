/** BN statistics re-estimation over training windows (deconvnet.md §2.1), by @deconvnet/model. */

import type { RgbImage } from '@deconvnet/image';
import { reestimateBatchNorm as reestimate } from '@deconvnet/model';
import * as tf from '@tensorflow/tfjs-core';
import type { SegNet } from './net.js';
import { preprocessImages } from './preprocess.js';
import type { TrainingStream } from './training-stream.js';

/**
 * Forwards `batches` batches of training windows (the first ones of epoch `epoch` of the stream, a permutation the
 * training did not necessarily see) and stores their averaged BN statistics.
 */
export async function reestimateBatchNorm(
  net: SegNet,
  data: TrainingStream,
  epoch: number,
  batches = 8,
  batchSize = 8,
): Promise<boolean> {
  const xs: tf.Tensor4D[] = [];
  try {
    let imgs: RgbImage[] = [];
    for (let pass = 0; xs.length < batches && pass < batches; pass++) {
      for await (const { sample } of data.samples(epoch + pass)) {
        imgs.push(sample.image);
        if (imgs.length === batchSize) {
          xs.push(preprocessImages(imgs));
          imgs = [];
          if (xs.length === batches) break;
        }
      }
    }
    if (xs.length === 0) return false;
    const r = await reestimate(net.model, xs);
    return r.layers.length > 0;
  } finally {
    tf.dispose(xs);
  }
}
