/**
 * Network input and loss, from @deconvnet/model (deconvnet.md §3, §4.2): RGB uint8 → BGR float minus the Caffe
 * means, and per-pixel softmax cross-entropy ignoring 255, normalised by the number of valid pixels.
 */
import type { RgbImage } from '@deconvnet/image';
import { CAFFE_MEAN_BGR, segmentationLoss as loss, preprocess } from '@deconvnet/model';
import type * as tf from '@tensorflow/tfjs-core';

export const MEAN_BGR = CAFFE_MEAN_BGR;

export function preprocessImages(images: readonly RgbImage[]): tf.Tensor4D {
  return preprocess(images);
}

export function segmentationLoss(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return loss(logits, labels);
}
