/** BN statistics re-estimation over training windows (deconvnet.md §2.1), by @deconvnet/model. */
import { reestimateBatchNorm as reestimate } from '@deconvnet/model';
import * as tf from '@tensorflow/tfjs-core';
import type { SegNet } from './net.js';
import { preprocessImages } from './preprocess.js';
import { Rng } from './rng.js';
import type { SampleSource } from './trainer.js';

/** Forwards `batches` batches of training windows (seeded) and stores their averaged BN statistics. */
export async function reestimateBatchNorm(
  net: SegNet,
  data: SampleSource,
  seed: number,
  batches = 8,
  batchSize = 8,
): Promise<boolean> {
  const rng = new Rng(seed);
  const order = rng.shuffle(Array.from({ length: data.count }, (_, i) => i));
  const xs: tf.Tensor4D[] = [];
  try {
    for (let b = 0; b < batches; b++) {
      const imgs = [];
      for (let k = 0; k < batchSize; k++) imgs.push(data.get(order[(b * batchSize + k) % order.length]!, rng).image);
      xs.push(preprocessImages(imgs));
    }
    const r = await reestimate(net.model, xs);
    return r.layers.length > 0;
  } finally {
    tf.dispose(xs);
  }
}
