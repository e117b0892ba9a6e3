import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { segmentationLoss } from './loss.js';
import { rng, useBackend } from './test-setup.js';

beforeAll(() => useBackend('cpu'));

describe('segmentationLoss', () => {
  test('equals the brute-force mean of −log softmax over non-void pixels', () => {
    const r = rng(3);
    const [n, h, w, c] = [2, 3, 4, 5];
    const logits = Float32Array.from({ length: n * h * w * c }, () => r() * 8 - 4);
    const labels = Int32Array.from({ length: n * h * w }, () => (r() < 0.25 ? 255 : Math.floor(r() * c)));
    let sum = 0;
    let count = 0;
    for (let p = 0; p < n * h * w; p++) {
      if (labels[p] === 255) continue;
      const z = Array.from(logits.slice(p * c, p * c + c));
      const lse = Math.log(z.reduce((a, v) => a + Math.exp(v), 0));
      sum += lse - z[labels[p]!]!;
      count++;
    }
    const got = segmentationLoss(tf.tensor4d(logits, [n, h, w, c]), tf.tensor3d(labels, [n, h, w], 'int32'));
    expect(got.dataSync()[0]).toBeCloseTo(sum / count, 5);
    // [N, H, W, 1] float labels give the same value.
    const got4 = segmentationLoss(
      tf.tensor4d(logits, [n, h, w, c]),
      tf.tensor4d(Float32Array.from(labels), [n, h, w, 1]),
    );
    expect(got4.dataSync()[0]).toBeCloseTo(sum / count, 5);
  });

  test('void pixels get no gradient; an all-void batch gives 0; shape errors are clear', () => {
    const logits = tf.tensor4d([1, 2, 3, 4], [1, 1, 2, 2]);
    const g = tf
      .grad((x: tf.Tensor) => segmentationLoss(x, tf.tensor3d([0, 255], [1, 1, 2], 'int32')))(logits)
      .dataSync();
    // pixel 0, label 0: softmax − onehot = (σ(1−2) − 1, σ(2−1)); pixel 1 is void.
    const p0 = 1 / (1 + Math.exp(1));
    expect(g[0]).toBeCloseTo(p0 - 1, 6);
    expect(g[1]).toBeCloseTo(1 - p0, 6);
    expect(Array.from(g.slice(2), Math.abs)).toEqual([0, 0]);
    expect(segmentationLoss(logits, tf.tensor3d([255, 255], [1, 1, 2], 'int32')).dataSync()[0]).toBe(0);
    expect(() => segmentationLoss(logits, tf.tensor3d([0, 0, 0], [1, 1, 3]))).toThrow(/labels must be \[1, 1, 2\]/);
  });
});
