import * as tf from '@tensorflow/tfjs-core';
import { ModelError } from './errors.js';

export interface SegmentationLossOptions {
  /** Label excluded from the loss and from the normalisation (Caffe's `ignore_label: 255`). */
  ignoreLabel?: number;
}

/**
 * Per-pixel softmax cross-entropy from integer labels, as Caffe's SoftmaxWithLoss with `ignore_label: 255` and
 * `normalize: true`: the sum over valid pixels of −log softmax(logits)[label], divided by the number of valid pixels
 * (1 if none, so an all-void batch gives 0 rather than NaN). `logits` [N, H, W, C]; `labels` [N, H, W] or
 * [N, H, W, 1], int32 or float holding integers. Labels outside 0…C−1 other than the ignore label contribute 0 (check
 * them with `labelsToTensor({ numClasses })`).
 */
export function segmentationLoss(
  logits: tf.Tensor,
  labels: tf.Tensor,
  options: SegmentationLossOptions = {},
): tf.Scalar {
  if (logits.rank !== 4)
    throw new ModelError('segmentationLoss', `logits must be [N, H, W, C], got shape [${logits.shape}]`);
  const [n, h, w, c] = logits.shape as [number, number, number, number];
  const squeeze = labels.rank === 4 && labels.shape[3] === 1;
  const ls = squeeze ? labels.shape.slice(0, 3) : labels.shape;
  if (ls.length !== 3 || ls[0] !== n || ls[1] !== h || ls[2] !== w) {
    throw new ModelError(
      'segmentationLoss',
      `labels must be [${n}, ${h}, ${w}] to match the logits, got [${labels.shape}]`,
    );
  }
  const ignore = options.ignoreLabel ?? 255;
  return tf.tidy(() => {
    const l = tf.cast(squeeze ? tf.reshape(labels, [n, h, w]) : labels, 'int32');
    const valid = tf.notEqual(l, tf.scalar(ignore, 'int32'));
    const target = tf.oneHot(tf.where(valid, l, tf.zerosLike(l)), c);
    const weight = tf.cast(valid, 'float32');
    const nll = tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), target), -1));
    const count = tf.maximum(tf.sum(weight), tf.scalar(1));
    return tf.div(tf.sum(tf.mul(nll, weight)), count) as tf.Scalar;
  });
}
