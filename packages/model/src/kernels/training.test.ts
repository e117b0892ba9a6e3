import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { registerFastKernels, restoreKernels } from './registerFastKernels.js';
import { rand, use } from './testing.js';

/**
 * A small encoder-decoder in the shape of DeconvNet (3×3 conv + BN + ReLU, 2×2 max pooling, 3×3 transposed conv
 * + BN + ReLU, upsampling, 1×1 score, softmax cross-entropy) trained on wasm once the fast kernels are registered.
 */
function makeNet() {
  const v = (shape: number[], seed: number, scale: number) =>
    tf.variable(
      tf.tensor(
        rand(
          shape.reduce((a, b) => a * b),
          seed,
        ).map((x) => x * scale),
        shape,
      ),
    );
  return {
    w1: v([3, 3, 3, 8], 1, 0.5),
    g1: tf.variable(tf.ones([8])),
    b1: tf.variable(tf.zeros([8])),
    w2: v([3, 3, 8, 8], 2, 0.3),
    wt: v([3, 3, 8, 8], 3, 0.3), // transposed conv: [kh, kw, out, in]
    g2: tf.variable(tf.ones([8])),
    b2: tf.variable(tf.zeros([8])),
    ws: v([1, 1, 8, 2], 4, 0.3),
  };
}

type Net = ReturnType<typeof makeNet>;

function logits(p: Net, x: tf.Tensor4D): tf.Tensor4D {
  const bnRelu = (t: tf.Tensor4D, g: tf.Variable, b: tf.Variable) => {
    const { mean, variance } = tf.moments(t, [0, 1, 2]);
    return tf.relu(tf.batchNorm(t, mean, variance, b, g, 1e-3)) as tf.Tensor4D;
  };
  let h = bnRelu(tf.conv2d(x, p.w1 as tf.Tensor4D, 1, 'same'), p.g1, p.b1);
  h = tf.relu(tf.conv2d(h, p.w2 as tf.Tensor4D, 1, 'same'));
  h = tf.maxPool(h, 2, 2, 'valid');
  h = tf.image.resizeNearestNeighbor(h, [16, 16]);
  h = bnRelu(tf.conv2dTranspose(h, p.wt as tf.Tensor4D, [2, 16, 16, 8], 1, 'same'), p.g2, p.b2);
  return tf.conv2d(h, p.ws as tf.Tensor4D, 1, 'valid');
}

describe('training on wasm', () => {
  test('stock wasm cannot train a conv net; with the fast kernels the loss falls', async () => {
    await use('wasm');
    const x = tf.tensor4d(rand(2 * 16 * 16 * 3, 9), [2, 16, 16, 3]);
    // Target: class 1 where the first channel, smoothed over a 3×3 window, is positive.
    const smooth = tf.avgPool(tf.slice(x, [0, 0, 0, 0], [2, 16, 16, 1]), 3, 1, 'same');
    const labels = tf.tidy(() => tf.oneHot(tf.reshape(tf.cast(tf.greater(smooth, 0), 'int32'), [2, 16, 16]), 2));
    const net = makeNet();
    const opt = tf.train.adam(0.05);
    const loss = () => tf.losses.softmaxCrossEntropy(labels, logits(net, x)) as tf.Scalar;
    const step = () => {
      const l = opt.minimize(loss, true) as tf.Scalar;
      const v = l.dataSync()[0] as number;
      l.dispose();
      return v;
    };

    restoreKernels('wasm');
    expect(step).toThrow(/Conv2DBackpropFilter/);

    registerFastKernels('wasm');
    const first = step();
    const tensors = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 24; i++) last = step();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(first).toBeGreaterThan(0.4);
    expect(last).toBeLessThan(first * 0.5);

    const prof = await tf.profile(() => tf.dispose(opt.minimize(loss, true) as tf.Scalar));
    expect(prof.kernelNames).toEqual(expect.arrayContaining(['Conv2DBackpropFilter', 'Conv2DBackpropInput']));
    tf.dispose([x, smooth, labels, ...Object.values(net)]);
    opt.dispose();
  });
});
